#pragma once

#include "EventStore.h"
#include "demo/DemoHistory.h"

#include <QByteArray>

#include <map>
#include <memory>

namespace chronoscope::sandbox {

class PersistentSubscriptionGroup;

/// The demo's persistent subscription (issue 18 item 6): the group "order-emails" on `$ce-order`, whose
/// consumer e-mails customers about their orders. It runs along the whole history, and on the incident day
/// (DemoHistory::kIncidentDay) the mail provider failed: it parked a few OrderConfirmed messages. Written as
/// the server stores a group (docs/PERSISTENT-SUBSCRIPTIONS.md): its definition in
/// `$persistentSubscriptionConfig`, checkpoints (`$ce-order` event numbers) in its checkpoint stream, `$>`
/// links in its parked stream, each record at the time the server would have written it, in time order
/// with the history, so the sandbox loads the group at start with the parked messages to show.
///
/// `$ce-order`'s event numbers are counted here as the `$by_category` projection will number them (every
/// event of an `order-…` stream, in log order), so the checkpoints and the parked messages'
/// `subscriptionEventNumber` agree with the category stream once the projections have run.
class DemoOrderEmails
{
public:
    static constexpr const char *kStream = "$ce-order";
    static constexpr const char *kGroup = "order-emails";
    static constexpr int kParkedCount = 5;

    DemoOrderEmails(EventStore &store, const DemoHistory::Options &options);
    ~DemoOrderEmails();

    /// Before the history's event `e` is written: writes what the group wrote up to its time.
    void before(const DemoEvent &e);
    /// After it was written as `revision` of its stream: an order event is a message for the group.
    void after(const DemoEvent &e, quint64 revision);
    /// After the last event: what is left, and the checkpoint of a consumer that caught up.
    void finish();

private:
    struct Due
    {
        ProposedEvent event;
        std::string stream;
    };
    void write(const std::string &stream, ProposedEvent e, qint64 ms);
    void flushUntil(qint64 ms);
    void checkpoint(qint64 ms);

    EventStore &m_store;
    std::unique_ptr<PersistentSubscriptionGroup> m_group; ///< for its stream names and the config entry
    qint64 m_parkFromMs = 0;                              ///< the mail provider's outage on the incident day
    std::multimap<qint64, Due> m_due;                     ///< records the group writes later (a park after its retries)
    std::map<qint64, qint64> m_parking;                   ///< `$ce-order` number → park time, still retried
    qint64 m_ceNumber = -1;                               ///< the last order event's `$ce-order` number
    qint64 m_lastCheckpoint = -1;
    qint64 m_doneSinceCheckpoint = 0;
    qint64 m_lastMs = 0;     ///< the last history event's time
    qint64 m_lastParkMs = 0; ///< the last park's time
    int m_parked = 0;
    int m_confirmedInOutage = 0;
    bool m_configWritten = false;
};

} // namespace chronoscope::sandbox
