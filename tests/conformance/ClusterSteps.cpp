#include "ClusterSteps.h"

#include "DriverJson.h"
#include "cluster/Discovery.h"

#include <QJsonArray>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <thread>

namespace driver {

namespace {

/// Gossip of the first node that answers: after a kill, node 0 may be gone.
QList<ClusterMember> members(const Context &c)
{
    const Discovery discovery(c.settings);
    ClientError last;
    for (const int port : c.ports.isEmpty() ? QList<int>{c.port} : c.ports) {
        const GossipResult g = discovery.readMembers(EndPoint{QStringLiteral("127.0.0.1"), quint16(port)});
        if (!g.error)
            return g.members;
        last = g.error;
    }
    driverError(QStringLiteral("gossip: ") + last.toString());
}

bool refusesConnections(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        driverError(QStringLiteral("socket: %1").arg(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(quint16(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool refused = ::connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0 && errno == ECONNREFUSED;
    ::close(fd);
    return refused;
}

} // namespace

QString clusterConnectionString(const QJsonObject &connection, const Context &c)
{
    QStringList hosts;
    const QJsonArray indexes = connection.value(QStringLiteral("hosts")).toArray(QJsonArray{0});
    for (const QJsonValue &i : indexes)
        hosts << QStringLiteral("127.0.0.1:%1").arg(c.ports.value(i.toInt(), c.port));
    const QString preference = connection.value(QStringLiteral("nodePreference")).toString();
    return QStringLiteral("esdb%1://%2?tls=false%3")
        .arg(connection.value(QStringLiteral("discover")).toBool() ? QStringLiteral("+discover") : QString(),
             hosts.join(QLatin1Char(',')),
             preference.isEmpty() ? QString() : QStringLiteral("&nodePreference=") + preference);
}

QJsonObject membersResult(const Context &c)
{
    // Ports differ between runs: what each node is, sorted by state, as common.js reports it.
    QList<QPair<QString, bool>> list;
    for (const ClusterMember &m : members(c))
        list << qMakePair(ClusterMember::stateName(m.state), m.alive);
    std::sort(list.begin(), list.end());
    QJsonArray out;
    for (const auto &m : list)
        out.append(QJsonObject{{QStringLiteral("state"), m.first}, {QStringLiteral("alive"), m.second}});
    return QJsonObject{{QStringLiteral("members"), out}};
}

QJsonObject connectionResult(const StreamsClient &client, const QJsonObject &step, const Context &c)
{
    const auto node = client.currentNode();
    if (!node)
        driverError(QStringLiteral("the client is connected to no node"));
    QString role = QStringLiteral("not a member (%1)").arg(node->toString());
    for (const ClusterMember &m : members(c))
        if (m.endPoint && m.endPoint->port == node->port)
            role = ClusterMember::stateName(m.state);
    if (step.value(QStringLiteral("anyRole")).toBool()
        && (role == QLatin1String("Leader") || role == QLatin1String("Follower")
            || role == QLatin1String("ReadOnlyReplica")))
        role = QStringLiteral("any serving node");
    return QJsonObject{{QStringLiteral("role"), role}};
}

void killLeader(const Context &c)
{
    if (c.sandboxPid <= 0)
        driverError(QStringLiteral("killing the leader needs --sandbox-pid (a sandbox started by compare.js)"));
    int leader = 0;
    for (const ClusterMember &m : members(c))
        if (m.alive && m.state == ClusterMember::Leader && m.endPoint)
            leader = m.endPoint->port;
    if (leader == 0)
        driverError(QStringLiteral("no alive leader to kill"));
    if (::kill(pid_t(c.sandboxPid), SIGUSR2) != 0)
        driverError(QStringLiteral("cannot signal the sandbox (pid %1): errno %2").arg(c.sandboxPid).arg(errno));
    // Each probe is a real connection attempt: the condition awaited, not a guessed delay.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!refusesConnections(leader)) {
        if (std::chrono::steady_clock::now() > deadline)
            driverError(QStringLiteral("port %1 still accepts connections after the kill").arg(leader));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

} // namespace driver
