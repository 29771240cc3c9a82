#include "cluster/NodeSelector.h"

#include <algorithm>
#include <iterator>

namespace chronoscope {
namespace {

/// The states a preference asks for; members in them come first.
bool preferred(NodePreference preference, int state)
{
    switch (preference) {
    case NodePreference::Leader: return state == ClusterMember::Leader;
    case NodePreference::Follower: return state == ClusterMember::Follower;
    case NodePreference::ReadOnlyReplica:
        return state == ClusterMember::ReadOnlyLeaderless || state == ClusterMember::PreReadOnlyReplica
            || state == ClusterMember::ReadOnlyReplica;
    case NodePreference::Random: return false;
    }
    return false;
}

} // namespace

QString ClusterMember::stateName(int state)
{
    static const char *const names[] = {"Initializing", "DiscoverLeader", "Unknown", "PreReplica", "CatchingUp",
                                        "Clone", "Follower", "PreLeader", "Leader", "Manager", "ShuttingDown",
                                        "Shutdown", "ReadOnlyLeaderless", "PreReadOnlyReplica", "ReadOnlyReplica",
                                        "ResigningLeader"};
    if (state >= 0 && state < int(std::size(names)))
        return QLatin1String(names[state]);
    return QStringLiteral("State %1").arg(state);
}

bool NodeSelector::qualifies(const ClusterMember &m)
{
    return m.alive
        && (m.state == ClusterMember::Follower || m.state == ClusterMember::Leader
            || m.state == ClusterMember::ReadOnlyLeaderless || m.state == ClusterMember::PreReadOnlyReplica
            || m.state == ClusterMember::ReadOnlyReplica);
}

QList<ClusterMember> NodeSelector::ordered(NodePreference preference, const QList<ClusterMember> &members,
                                           std::mt19937 &random)
{
    std::vector<ClusterMember> out;
    for (const ClusterMember &m : members)
        if (qualifies(m))
            out.push_back(m);
    std::shuffle(out.begin(), out.end(), random);
    std::stable_partition(out.begin(), out.end(),
                          [preference](const ClusterMember &m) { return preferred(preference, m.state); });
    return QList<ClusterMember>(out.begin(), out.end());
}

std::optional<EndPoint> NodeSelector::select(NodePreference preference, const QList<ClusterMember> &members,
                                             std::mt19937 &random)
{
    for (const ClusterMember &m : ordered(preference, members, random))
        if (m.endPoint)
            return m.endPoint;
    return std::nullopt;
}

} // namespace chronoscope
