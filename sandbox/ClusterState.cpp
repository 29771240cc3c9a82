#include "ClusterState.h"

#include "WireFormat.h"

#include <QDateTime>

namespace chronoscope::sandbox {
namespace {

qint64 nowTicks()
{
    return QDateTime::currentMSecsSinceEpoch() * 10000;
}

bool asksForLeader(const grpc::ServerContextBase *context)
{
    const auto &metadata = context->client_metadata();
    const auto it = metadata.find("requires-leader");
    if (it == metadata.end())
        return false;
    // The server parses it with bool.TryParse: case-insensitive "true".
    return QByteArray(it->second.data(), int(it->second.size())).trimmed().toLower() == "true";
}

} // namespace

ClusterState::ClusterState(int size, int readOnlyReplicas)
    : m_members(size_t(std::max(size, 1) + std::max(readOnlyReplicas, 0)))
{
    const size_t voters = size_t(std::max(size, 1));
    for (size_t i = 0; i < m_members.size(); ++i) {
        ClusterMember &m = m_members[i];
        m.instanceId = QUuid::createUuidV5(QUuid(), QStringLiteral("chronoscope-sandbox-node-%1").arg(i));
        m.state = i == 0 ? Leader : i < voters ? Follower : ReadOnlyReplica;
        m.timeStampTicks = nowTicks();
    }
}

void ClusterState::setEndPoint(int node, const std::string &host, int port)
{
    std::lock_guard lock(m_mutex);
    m_members.at(size_t(node)).host = host;
    m_members.at(size_t(node)).port = port;
}

std::vector<ClusterMember> ClusterState::members() const
{
    std::lock_guard lock(m_mutex);
    std::vector<ClusterMember> out = m_members;
    const qint64 now = nowTicks();
    for (ClusterMember &m : out)
        if (m.alive)
            m.timeStampTicks = now;
    return out;
}

int ClusterState::leader() const
{
    std::lock_guard lock(m_mutex);
    for (size_t i = 0; i < m_members.size(); ++i)
        if (m_members[i].alive && m_members[i].state == Leader)
            return int(i);
    return -1;
}

bool ClusterState::isLeader(int node) const
{
    std::lock_guard lock(m_mutex);
    const ClusterMember &m = m_members.at(size_t(node));
    return m.alive && m.state == Leader;
}

bool ClusterState::isAlive(int node) const
{
    std::lock_guard lock(m_mutex);
    return m_members.at(size_t(node)).alive;
}

void ClusterState::electAfter(int node)
{
    const int n = int(m_members.size());
    for (int step = 1; step <= n; ++step) {
        ClusterMember &candidate = m_members[size_t((node + step) % n)];
        if (candidate.alive && candidate.state != ReadOnlyReplica) {
            candidate.state = Leader;
            candidate.timeStampTicks = nowTicks();
            return;
        }
    }
}

bool ClusterState::resign(int node)
{
    std::lock_guard lock(m_mutex);
    ClusterMember &m = m_members.at(size_t(node));
    if (!m.alive || m.state != Leader)
        return false;
    m.state = Follower; // the real node passes through ResigningLeader; clients only see the outcome
    m.timeStampTicks = nowTicks();
    electAfter(node);   // wraps round to `node` itself when it is alone
    return true;
}

void ClusterState::kill(int node, std::chrono::milliseconds grace)
{
    std::function<void(int, std::chrono::milliseconds)> handler;
    {
        std::lock_guard lock(m_mutex);
        ClusterMember &m = m_members.at(size_t(node));
        if (!m.alive)
            return;
        const bool led = m.state == Leader;
        m.alive = false;
        m.state = Shutdown;
        m.timeStampTicks = nowTicks();
        if (led)
            electAfter(node);
        handler = m_stopHandler;
    }
    if (handler)
        handler(node, grace);
}

void ClusterState::setStopHandler(std::function<void(int, std::chrono::milliseconds)> handler)
{
    std::lock_guard lock(m_mutex);
    m_stopHandler = std::move(handler);
}

grpc::Status ClusterState::checkLeader(grpc::ServerContextBase *context, int node) const
{
    if (!asksForLeader(context))
        return grpc::Status::OK;
    std::string host;
    int port = 0;
    {
        std::lock_guard lock(m_mutex);
        const ClusterMember &self = m_members.at(size_t(node));
        if (self.alive && self.state == Leader)
            return grpc::Status::OK;
        for (const ClusterMember &m : m_members)
            if (m.alive && m.state == Leader) {
                host = m.host;
                port = m.port;
            }
    }
    if (port == 0) // no leader to name: the real server's answer without leader info
        return grpc::Status(grpc::StatusCode::UNKNOWN, "No leader info available in response");
    return wire::error(context, grpc::StatusCode::NOT_FOUND, "Leader info available", "not-leader",
                       {{"leader-endpoint-host", host}, {"leader-endpoint-port", std::to_string(port)}});
}

} // namespace chronoscope::sandbox
