#pragma once

#include "ClusterState.h"
#include "SandboxServer.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace chronoscope::sandbox {

/// `chronoscope-sandbox --cluster N`: N nodes in one process, each its own gRPC server on its own
/// port, all serving the store of the first node. Node 0 starts as the leader. The leader can be
/// killed (its server stops and its connections drop) or made to resign; the next alive node
/// takes over and gossip says so. With N = 1 this is the plain single-node sandbox plus the
/// Gossip and Operations services a real single node also serves.
class SandboxCluster
{
public:
    /// `first` is node 0; its store and its security settings are shared by the other nodes.
    /// `readOnlyReplicas` more nodes follow the `size` ones: they serve reads and never lead.
    SandboxCluster(SandboxServer &first, int size, int readOnlyReplicas = 0);
    ~SandboxCluster();
    SandboxCluster(const SandboxCluster &) = delete;
    SandboxCluster &operator=(const SandboxCluster &) = delete;

    int size() const { return m_state.size(); }
    ClusterState &state() { return m_state; }
    SandboxServer &node(int i);

    /// Starts every node: node 0 on `address` ("host:port"), node i on port + i, or each on any
    /// free port when the port is 0. All or nothing: on failure every node is stopped again.
    bool start(const QString &address, QString *error);
    QList<int> ports() const;

    void killLeader();
    void resignLeader();
    /// Called (on a worker thread) once the last alive node has stopped: main() exits then.
    void setAllStoppedHandler(std::function<void()> handler) { m_allStopped = std::move(handler); }
    /// Stops every node that still serves, node 0 included.
    void shutdown();

private:
    void stopNode(int node, std::chrono::milliseconds grace); // ClusterState's stop handler

    SandboxServer &m_first;
    ClusterState m_state;
    std::vector<std::unique_ptr<SandboxServer>> m_others; ///< nodes 1 … N-1
    std::mutex m_threadsMutex;
    std::vector<std::thread> m_stopThreads;
    std::function<void()> m_allStopped;
};

} // namespace chronoscope::sandbox
