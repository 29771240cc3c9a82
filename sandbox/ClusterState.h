#pragma once

#include <QUuid>

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope::sandbox {

/// One node as gossip shows it (protocol sheet §8.1). `state` holds the wire values of
/// MemberInfo.VNodeState (Follower 6, Leader 8, Shutdown 11, …).
struct ClusterMember
{
    QUuid instanceId;
    std::string host;
    int port = 0;
    int state = 0;
    bool alive = true;
    qint64 timeStampTicks = 0; ///< 100 ns ticks since the Unix epoch: when gossip last heard of it
};

/// The membership of the sandbox's cluster: which node leads, which follow, which are dead. The
/// nodes share one store, so there is nothing to replicate; what the clients see is the real
/// server's behaviour around it: gossip, `not-leader` answers, elections after a leader dies or
/// resigns. A single node is a cluster of one that leads, as a real single-node server.
class ClusterState
{
public:
    /// Wire values of MemberInfo.VNodeState that the sandbox uses.
    enum State { Follower = 6, Leader = 8, Shutdown = 11, ReadOnlyReplica = 14 };

    /// `size` nodes that may lead (node 0 does first), then `readOnlyReplicas` nodes that never do.
    explicit ClusterState(int size, int readOnlyReplicas = 0);

    int size() const { return int(m_members.size()); }
    void setEndPoint(int node, const std::string &host, int port);
    /// A snapshot: alive members are stamped with the current time, dead ones keep their last.
    std::vector<ClusterMember> members() const;
    int leader() const; ///< -1 while no node leads (all dead)
    bool isLeader(int node) const;
    bool isAlive(int node) const;

    /// The leader steps down and the next alive node (in node order, read-only replicas excepted)
    /// takes over; a leader alone is elected again. False when `node` does not lead.
    bool resign(int node);
    /// The node stops serving: it is dead for gossip, and when it led the next alive node leads.
    /// The handler set with setStopHandler() shuts its server down (never on the calling thread's
    /// stack of a call to that very server, see SandboxCluster).
    /// Calls under way get `grace` before they are cut (Operations.Shutdown needs its answer out).
    void kill(int node, std::chrono::milliseconds grace = std::chrono::milliseconds(0));
    void setStopHandler(std::function<void(int, std::chrono::milliseconds)> handler);

    /// OK, or the real server's answer to a call asking for the leader (`requires-leader: true`)
    /// on a node that does not lead: NOT_FOUND with `exception: not-leader` and the leader's
    /// endpoint in `leader-endpoint-host`/`leader-endpoint-port` (sheet §10.1).
    grpc::Status checkLeader(grpc::ServerContextBase *context, int node) const;

private:
    void electAfter(int node); // with m_mutex held

    mutable std::mutex m_mutex;
    std::vector<ClusterMember> m_members;
    std::function<void(int, std::chrono::milliseconds)> m_stopHandler;
};

} // namespace chronoscope::sandbox
