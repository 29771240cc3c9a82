#pragma once

#include "connection/ConnectionSettings.h"

#include <QList>
#include <QUuid>

#include <optional>
#include <random>

namespace chronoscope {

/// A cluster member as Gossip.Read reports it (protocol sheet §8.1).
struct ClusterMember
{
    /// Wire values of MemberInfo.VNodeState that matter to a client.
    enum State { Follower = 6, Leader = 8, ReadOnlyLeaderless = 12, PreReadOnlyReplica = 13, ReadOnlyReplica = 14 };

    QUuid instanceId;
    qint64 timeStamp = 0; ///< 100 ns ticks since the Unix epoch
    int state = 0;
    bool alive = false;
    std::optional<EndPoint> endPoint;

    /// "Leader", "Follower", … as the server names the state; "State N" for unknown values.
    static QString stateName(int state);
};

/// Picks the node to connect to from a gossip answer, as the official clients do (Node
/// `discovery.ts`): only alive members in Follower, Leader or a read-only state qualify; they are
/// shuffled, then those in the preferred state come first. So `leader` falls back to a follower,
/// `follower` to the leader, `readOnlyReplica` to any node, and `random` takes any at random.
class NodeSelector
{
public:
    /// Every qualifying member, best first.
    static QList<ClusterMember> ordered(NodePreference preference, const QList<ClusterMember> &members,
                                        std::mt19937 &random);
    /// The endpoint of the best member; none when no member qualifies.
    static std::optional<EndPoint> select(NodePreference preference, const QList<ClusterMember> &members,
                                          std::mt19937 &random);
    static bool qualifies(const ClusterMember &member);
};

} // namespace chronoscope
