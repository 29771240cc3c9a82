#pragma once
// Our client through a leader killed in the middle of a read or a subscription
// (scenarios-failover.json), as failover.js drives the official clients. Ours resumes in the call
// (ResumingRead, Subscription) from the last delivered event: the driver makes one call and
// reports `recovery: {inCall: true}`, `interrupted` when the call went on from another node.

#include "ClusterSteps.h"

#include <QJsonObject>

#include <functional>

namespace driver {

/// A forward read of the step's stream from the start; the leader is killed after
/// `killLeaderAfter` events. {summary, interrupted, recovery}.
QJsonObject readThroughFailover(const StreamsClient &client, const Context &c, const QJsonObject &step);

/// Runs one `live` step through the driver (its result, labelled).
using LiveStepRunner = std::function<QJsonObject(const QJsonObject &step)>;

/// A subscription to the step's stream from the start; the leader is killed after
/// `killLeaderAfter` events, the `live` steps run once it caught up, and it ends after `count`
/// events. {summary, interrupted, recovery, live}.
QJsonObject subscribeThroughFailover(const StreamsClient &client, const Context &c, const QJsonObject &step,
                                     const LiveStepRunner &runLive);

} // namespace driver
