#include "demo/DemoOrderEmails.h"

#include "PersistentSubscriptionGroup.h"
#include "PersistentSubscriptions.h"

#include <QDateTime>

#include <algorithm>
#include <limits>

namespace chronoscope::sandbox {

namespace {

PersistentSettings orderEmailSettings()
{
    PersistentSettings s;
    s.resolveLinks = true;     // the category stream holds links: the consumer wants the orders' events
    s.minCheckpointCount = 50; // checkpoints every 50 messages (the history's rate: minutes apart)
    s.maxCheckpointCount = 500;
    s.startFrom = 0;
    return s;
}

/// Why the consumer parked its n-th message: the mail provider timed out (retried until the max
/// retry count, then parked by the server) or refused the recipient (the consumer parked it outright).
struct Failure
{
    const char *reason;
    qint64 afterMs; ///< from delivery to parking
};

Failure failure(int n, const PersistentSettings &s)
{
    if (n % 2 == 1)
        return {"Client explicitly NAK'ed message.\nSMTP 550 5.1.1 recipient rejected: mailbox unavailable", 2000};
    // Sent maxRetryCount + 1 times, each timing out after messageTimeout (PersistentSubscription
    // ActionTakenForRetriedMessage): "Reached retry count of 10".
    return {nullptr, qint64(s.maxRetryCount + 1) * s.messageTimeoutMs};
}

} // namespace

DemoOrderEmails::DemoOrderEmails(EventStore &store, const DemoHistory::Options &options)
    : m_store(store)
    , m_group(std::make_unique<PersistentSubscriptionGroup>(store, kStream, kGroup, orderEmailSettings(),
                                                            PersistentFilter{}))
{
    // The outage: from an hour into the incident window, until kParkedCount messages are parked.
    m_parkFromMs = DemoHistory(options).incidentStartMs() + 3600 * 1000LL;
}

DemoOrderEmails::~DemoOrderEmails() = default;

void DemoOrderEmails::write(const std::string &stream, ProposedEvent e, qint64 ms)
{
    e.createdTicks = ms * kTicksPerMillisecond;
    m_store.append(stream, EventStore::Expected::Any, 0, {e});
}

void DemoOrderEmails::flushUntil(qint64 ms)
{
    while (!m_due.empty() && m_due.begin()->first <= ms) {
        const auto first = m_due.begin();
        const qint64 at = first->first;
        write(first->second.stream, first->second.event, at);
        m_lastParkMs = at;
        m_due.erase(first);
        // A parked message is done: the checkpoint may pass it now.
        for (auto it = m_parking.begin(); it != m_parking.end();)
            it = it->second <= at ? m_parking.erase(it) : std::next(it);
    }
}

void DemoOrderEmails::checkpoint(qint64 ms)
{
    // PersistentSubscription.TryMarkCheckpoint: just before the oldest message not done yet (one being
    // retried), else the last one read.
    const qint64 position = m_parking.empty() ? m_ceNumber : m_parking.begin()->first - 1;
    if (position < 0 || position == m_lastCheckpoint)
        return;
    if (m_lastCheckpoint < 0)
        write("$$" + m_group->checkpointStream(), PersistentSubscriptionGroup::checkpointMetadataEvent(), ms);
    write(m_group->checkpointStream(), PersistentSubscriptionGroup::checkpointEvent(std::to_string(position)), ms);
    m_lastCheckpoint = position;
    m_doneSinceCheckpoint = 0;
}

void DemoOrderEmails::before(const DemoEvent &e)
{
    if (!m_configWritten) {
        // Created by an operator a minute before the history starts.
        const qint64 at = e.createdMs - 60000;
        write(PersistentSubscriptions::configStream(),
              PersistentSubscriptions::configEvent({m_group.get()}, QDateTime::fromMSecsSinceEpoch(at, Qt::UTC)), at);
        m_configWritten = true;
    }
    flushUntil(e.createdMs);
}

void DemoOrderEmails::after(const DemoEvent &e, quint64 revision)
{
    m_lastMs = e.createdMs;
    if (!e.stream.startsWith("order-"))
        return;
    ++m_ceNumber; // its link's number in $ce-order
    const PersistentSettings &s = m_group->settings();
    if (e.type == "OrderConfirmed" && e.createdMs >= m_parkFromMs && m_parked < kParkedCount
        && ++m_confirmedInOutage % 4 == 1) {
        const Failure f = failure(m_parked++, s);
        const std::string reason = f.reason ? std::string(f.reason)
                                            : "Reached retry count of " + std::to_string(s.maxRetryCount);
        const qint64 at = e.createdMs + f.afterMs;
        m_parking.emplace(m_ceNumber, at);
        m_due.emplace(at,
                      Due{PersistentSubscriptionGroup::parkedLink(revision, e.stream.toStdString(), m_ceNumber, reason,
                                                                  QDateTime::fromMSecsSinceEpoch(at, Qt::UTC)),
                          m_group->parkedStream()});
        return;
    }
    // Acked at once: a checkpoint every minCheckpointCount messages (checkpointAfter is long past).
    if (++m_doneSinceCheckpoint >= s.minCheckpointCount)
        checkpoint(e.createdMs);
}

void DemoOrderEmails::finish()
{
    flushUntil(std::numeric_limits<qint64>::max());
    if (!m_due.empty() || m_ceNumber < 0)
        return;
    checkpoint(std::max(m_lastMs, m_lastParkMs));
}

} // namespace chronoscope::sandbox
