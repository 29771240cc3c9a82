#include "session/LiveTail.h"

#include "client/StreamsClient.h"
#include "session/TimelineIndexLoader.h"

namespace chronoscope {

LiveTail::LiveTail(std::shared_ptr<const StreamsClient> client, const ReadRequest &request, int intervalMs,
                   QObject *parent)
    : QObject(parent), m_client(std::move(client)), m_intervalMs(intervalMs)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer); // a coarse timer may fire early: batches would come closer
    connect(&m_timer, &QTimer::timeout, this, &LiveTail::flush);
    // The callbacks run on the subscription's thread until m_subscription is destroyed, which joins it.
    m_subscription = m_client->subscribe(
        request,
        [this](SubscriptionMessage &&m) {
            if (m.kind == SubscriptionMessage::Kind::Event)
                enqueue(engine::TimelineIndexLoader::indexedRecord(std::move(m.event)), std::nullopt);
        },
        [this](const ClientError &e) { enqueue(std::nullopt, e); });
}

LiveTail::~LiveTail()
{
    // Join the subscription's thread first: what it queued for this object is dropped with it.
    m_subscription.reset();
}

void LiveTail::enqueue(std::optional<RecordedEvent> event, std::optional<ClientError> end)
{
    if (!event && !end)
        return;
    std::lock_guard<std::mutex> lock(m_mutex);
    if (event)
        m_pending.append(std::move(*event));
    if (end)
        m_end = std::move(end);
    if (std::exchange(m_woken, true))
        return;
    QMetaObject::invokeMethod(this, &LiveTail::schedule, Qt::QueuedConnection);
}

void LiveTail::schedule()
{
    const qint64 since = m_sinceFlush.isValid() ? m_sinceFlush.elapsed() : m_intervalMs;
    if (since >= m_intervalMs)
        flush();
    else if (!m_timer.isActive())
        m_timer.start(int(m_intervalMs - since));
}

void LiveTail::flush()
{
    if (m_ended)
        return;
    // A timer may still fire a little early: wait out the rest rather than batch closer together.
    if (m_sinceFlush.isValid() && m_sinceFlush.elapsed() < m_intervalMs) {
        m_timer.start(int(m_intervalMs - m_sinceFlush.elapsed()));
        return;
    }
    QList<RecordedEvent> batch;
    std::optional<ClientError> end;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        batch.swap(m_pending);
        end = m_end;
        m_woken = false;
    }
    if (!batch.isEmpty()) {
        m_sinceFlush.start();
        Q_EMIT appended(batch);
    }
    if (end) {
        m_ended = true;
        Q_EMIT ended(*end);
    }
}

} // namespace chronoscope
