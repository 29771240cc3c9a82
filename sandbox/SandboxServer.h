#pragma once

#include "CallStats.h"
#include "EventStore.h"
#include "FaultPlan.h"

#include <QString>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace grpc {
class Server;
class ServerBuilder;
} // namespace grpc

namespace chronoscope::sandbox {

class AccessControl;
class ClusterState;
class GossipService;
class OperationsService;
class StreamsService;
class ServerFeaturesService;
class ProjectionsService;
class PersistentSubscriptionsService;

/// The gRPC settings every sandbox server is built with (message sizes, transport buffers); the
/// read benchmark's floor server uses them too.
void applyServerSettings(grpc::ServerBuilder &builder);

/// The certificate files of a secure sandbox, named after the real server's options.
struct TlsFiles
{
    QString certificateFile;           ///< --certificate-file: PEM, the server's certificate (chain)
    QString privateKeyFile;            ///< --certificate-private-key-file: PEM
    QString trustedRootCertificates;   ///< --trusted-root-certificates-path: a PEM file or a folder of them; optional
    bool userCertificates = false;     ///< --user-certificates: a verified client certificate's CN names the user
};

/// The sandbox server: an EventStore behind the EventStoreDB gRPC services. Used by
/// `chronoscope-sandbox`, by tests and by the app's `--demo`.
class SandboxServer
{
public:
    SandboxServer();
    /// A node of a cluster: serves `shared`, the store of the cluster's first node.
    explicit SandboxServer(EventStore &shared);
    ~SandboxServer();

    EventStore &store() { return m_store; }
    /// Live subscriptions on this node (0 before start).
    size_t liveSubscriptions() const;

    /// Serves TLS with these files and checks credentials and stream ACLs, as the real server does
    /// without --insecure. Call before start(). Returns an error naming the file that is unusable.
    QString enableSecurity(const TlsFiles &files);
    bool isSecure() const { return m_secure; }
    /// The same TLS files and checks as `other` (the other nodes of a cluster). Call before start().
    void copySecurityFrom(const SandboxServer &other);

    /// The Append / BatchAppend calls this server (and every node sharing its record) served.
    const CallStats &callStats() const { return *m_stats; }
    /// Counts into `other`'s record: the nodes of a cluster keep one. Call before start().
    void shareCallStatsOf(const SandboxServer &other) { m_stats = other.m_stats; }

    /// Makes this server node `node` of `cluster`: it serves Gossip and Operations, and answers
    /// `requires-leader` calls with `not-leader` while it does not lead. Call before start().
    void joinCluster(ClusterState *cluster, int node);

    /// Listens on `address` ("127.0.0.1:0" picks a free port): h2c without authorization unless
    /// enableSecurity() was called. Returns the bound port, or 0 with `error` set.
    int start(const QString &address, QString *error);
    /// Stops serving; calls still running after `grace` are cancelled (a zero grace is a kill).
    void shutdown(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));
    int port() const { return m_port; }

    /// Faults for tests: every append this server serves asks `plan` what goes wrong with it
    /// (FaultPlan: kill before the commit, commit and drop the answer, stall past the deadline,
    /// optionally with the server dying). Any time, before or while serving; null: no faults.
    void setFaultPlan(std::shared_ptr<FaultPlan> plan);
    std::shared_ptr<FaultPlan> faultPlan() const;
    /// What a fault's crash does. By default the server dies as under a kill: it stops taking
    /// calls and cuts those under way (from a thread of its own; the faulted call is failed
    /// first), until restart(). `chronoscope-sandbox` makes it end the process instead.
    void setCrashHandler(std::function<void()> handler);
    /// A fault's crash happened, and no restart() since.
    bool hasCrashed() const { return m_crashed; }
    /// Appends in a fault's stall, or finishing after it, right now (a test waits for them: once 0,
    /// what a stalled append does has been done).
    int stallingAppends() const;

    /// A restart, as of the process: stops serving (calls under way cut), restarts the store
    /// (EventStore::restart: the ids the weak idempotency check remembers are forgotten; with a
    /// log file the data survive, in memory they are lost) and serves again on the same port with
    /// the same settings and fault plan. Only for a server that owns its store (not a cluster node).
    bool restart(QString *error);

private:
    /// Waits for the default crash's shutdown thread, if a fault started one.
    void joinCrash();

    std::unique_ptr<EventStore> m_ownStore; ///< null for a cluster node that shares another's
    EventStore &m_store;
    ClusterState *m_cluster = nullptr;
    int m_node = 0;
    std::unique_ptr<GossipService> m_gossip;
    std::unique_ptr<OperationsService> m_operations;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<StreamsService> m_streams;
    std::unique_ptr<ServerFeaturesService> m_features;
    std::unique_ptr<ProjectionsService> m_projections;
    std::unique_ptr<PersistentSubscriptionsService> m_persistent;
    std::shared_ptr<CallStats> m_stats = std::make_shared<CallStats>();
    std::unique_ptr<grpc::Server> m_server;
    std::mutex m_shutdownMutex; ///< a cluster node may be killed from a worker while main() shuts all down
    QString m_address;          ///< where it listens, the bound port filled in: restart() listens there again
    mutable std::mutex m_faultMutex;
    std::shared_ptr<FaultPlan> m_faults;
    std::function<void()> m_crashHandler;
    std::atomic<bool> m_crashed{false};
    std::thread m_crashThread; ///< the default crash: shutdown from a thread, as a handler cannot wait for itself
    int m_port = 0;
    bool m_secure = false;
    bool m_userCertificates = false;
    std::string m_certificate, m_privateKey, m_trustedRoots;
};

} // namespace chronoscope::sandbox
