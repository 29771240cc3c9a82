#include "SandboxCluster.h"

namespace chronoscope::sandbox {

SandboxCluster::SandboxCluster(SandboxServer &first, int size, int readOnlyReplicas)
    : m_first(first), m_state(size, readOnlyReplicas)
{
    m_first.joinCluster(&m_state, 0);
    for (int i = 1; i < m_state.size(); ++i) {
        auto node = std::make_unique<SandboxServer>(first.store());
        node->joinCluster(&m_state, i);
        node->shareCallStatsOf(first);
        m_others.push_back(std::move(node));
    }
    m_state.setStopHandler([this](int node, std::chrono::milliseconds grace) { stopNode(node, grace); });
}

SandboxCluster::~SandboxCluster()
{
    shutdown();
}

SandboxServer &SandboxCluster::node(int i)
{
    return i == 0 ? m_first : *m_others.at(size_t(i - 1));
}

bool SandboxCluster::start(const QString &address, QString *error)
{
    const int colon = address.lastIndexOf(QLatin1Char(':'));
    const QString host = address.left(colon);
    bool ok = false;
    const int basePort = address.mid(colon + 1).toInt(&ok);
    if (colon < 0 || !ok || basePort < 0 || basePort + size() - 1 > 65535) {
        if (error)
            *error = QStringLiteral("--listen needs host:port with room for %1 ports, got '%2'").arg(size()).arg(address);
        return false;
    }
    for (int i = 0; i < size(); ++i) {
        SandboxServer &n = node(i);
        if (i > 0)
            n.copySecurityFrom(m_first);
        const QString nodeAddress = host + QLatin1Char(':') + QString::number(basePort == 0 ? 0 : basePort + i);
        const int port = n.start(nodeAddress, error);
        if (port == 0) {
            for (int j = 0; j < i; ++j)
                node(j).shutdown(std::chrono::milliseconds(0));
            return false;
        }
        m_state.setEndPoint(i, host.toStdString(), port);
    }
    return true;
}

QList<int> SandboxCluster::ports() const
{
    QList<int> out;
    for (const ClusterMember &m : m_state.members())
        out << m.port;
    return out;
}

void SandboxCluster::killLeader()
{
    const int leader = m_state.leader();
    if (leader >= 0)
        m_state.kill(leader);
}

void SandboxCluster::resignLeader()
{
    const int leader = m_state.leader();
    if (leader >= 0)
        m_state.resign(leader);
}

void SandboxCluster::stopNode(int node, std::chrono::milliseconds grace)
{
    // A kill may come from a call served by that very node (Operations.Shutdown), whose server
    // cannot wait for itself: stop it from a thread of its own. The node takes no new call at
    // once; calls under way are cut after `grace` (none for a kill of the leader).
    std::lock_guard lock(m_threadsMutex);
    m_stopThreads.emplace_back([this, node, grace] {
        this->node(node).shutdown(grace);
        bool anyAlive = false;
        for (int i = 0; i < size(); ++i)
            anyAlive = anyAlive || m_state.isAlive(i);
        if (!anyAlive && m_allStopped)
            m_allStopped();
    });
}

void SandboxCluster::shutdown()
{
    // No new stop threads from here on (a kill racing with this one is stopped below anyway).
    m_state.setStopHandler({});
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(m_threadsMutex);
        threads.swap(m_stopThreads);
    }
    for (std::thread &t : threads)
        t.join();
    // Node 0 too: every node refers to m_state, which dies with this object.
    for (int i = 0; i < size(); ++i)
        node(i).shutdown();
}

} // namespace chronoscope::sandbox
