#pragma once

#include "base/Cancellation.h"
#include "client/PersistentSubscriptionTypes.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace chronoscope {

class PersistentSubscriptionsClient;
class StreamsClient;

/// One group as the Subscriptions pane shows it: what the server reports, and how far its last
/// checkpoint is behind the head of what it reads.
struct PersistentGroupStatus
{
    PersistentSubscriptionInfo info;
    /// Events after the last checkpoint up to the head (for `$all`: counted up to kLagCountLimit);
    /// none when not known (a group that started at the end and has not checkpointed yet).
    std::optional<qint64> lagEvents;
    bool lagAtLeast = false; ///< `$all` only: more than kLagCountLimit events, lagEvents is the limit
    /// The head event's time minus the time of the oldest event not checkpointed; 0 when caught up.
    std::optional<qint64> lagMs;
    QString lagError; ///< why the lag could not be read (the stream read failed)

    PersistentGroup group() const { return {info.eventSource, info.groupName}; }
};

/// Every group of a server with its lag, read in one go (blocking: run it in a worker).
struct PersistentOverview
{
    static constexpr qint64 kLagCountLimit = 10000;

    ClientError error; ///< List failed (Unimplemented: the server has no persistent subscriptions)
    QList<PersistentGroupStatus> groups;

    /// List (all groups), then for each the head and the event after its checkpoint.
    static PersistentOverview read(const PersistentSubscriptionsClient &client, const StreamsClient &streams,
                                   const CancellationPtr &cancel = {});
    /// The lag of one group from `info` (two reads, three for `$all`).
    static PersistentGroupStatus lagOf(const PersistentSubscriptionInfo &info, const StreamsClient &streams);
    /// "C:123/P:120" → the position; none for anything else.
    static std::optional<Position> parseAllPosition(const QString &text);
};

} // namespace chronoscope
