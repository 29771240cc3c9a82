#pragma once

#include "AccessControl.h"
#include "AppendNotifier.h"
#include "CallStats.h"
#include "ClusterState.h"
#include "EncodedReply.h"
#include "EventStore.h"
#include "FaultPlan.h"

#include "streams.grpc.pb.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

namespace chronoscope::sandbox {

/// Passes the store's append notifications on to one node's own subscribers. Nodes of a cluster
/// share the store; each closes only its own notifier when it stops, so a node going away ends
/// its subscriptions and no other node's.
class NotifierRelay final : public AppendNotifier::Listener
{
public:
    NotifierRelay(AppendNotifier &source, AppendNotifier &target) : m_source(source), m_target(target)
    {
        m_source.add(this);
    }
    ~NotifierRelay() override { m_source.remove(this); }
    NotifierRelay(const NotifierRelay &) = delete;
    NotifierRelay &operator=(const NotifierRelay &) = delete;
    void appended() override { m_target.appended(); }
    void closing() override { m_target.close(); }

private:
    AppendNotifier &m_source;
    AppendNotifier &m_target;
};

/// The Streams service as the real server answers it: reads (stream and `$all`, filters, links),
/// Append with expected states, Delete and Tombstone, with errors in trailers or bodies exactly
/// where the real server puts them (protocol sheet §4, §10).
class StreamsService final
    : public WithEncodedRead<event_store::client::streams::Streams::Service>
{
public:
    explicit StreamsService(EventStore &store) : m_store(store) {}
    /// This node's live subscriptions: close() ends them (shutdown), open() lets new ones in.
    AppendNotifier &subscribers() { return m_subscribers; }
    /// Checks credentials and stream ACLs; without one (the default, as with --insecure) every call
    /// runs as the system account.
    void setAccessControl(const AccessControl *access) { m_access = access; }
    /// Counts Append and BatchAppend calls into `stats` (none: not counted).
    void setCallStats(CallStats *stats) { m_stats = stats; }
    /// As node `node` of `cluster`: calls with `requires-leader: true` get `not-leader` while it
    /// does not lead (checked after authorization, as the real server does).
    void setCluster(const ClusterState *cluster, int node)
    {
        m_cluster = cluster;
        m_node = node;
    }

    /// Faults for tests: every append asks `plan` what goes wrong (FaultPlan); null: nothing does.
    void setFaultPlan(std::shared_ptr<FaultPlan> plan);
    /// What a fault's crash does (called on the handler's thread, which then fails its call).
    void setCrashHandler(std::function<void()> handler) { m_crash = std::move(handler); }
    /// Ends the stalls under way at once, writing nothing (the server is going away).
    void stopStalls();
    /// Appends a fault stalls, from the stall's start until what follows it (the write, or not) is done.
    int stallingAppends() const { return m_stalling; }

    /// Reads run on the callback API with pre-encoded replies (ReadReactor): the hot path.
    grpc::ServerWriteReactor<EncodedReply> *Read(grpc::CallbackServerContext *context,
                                                     const grpc::ByteBuffer *request) override;
    grpc::Status Append(grpc::ServerContext *context,
                        grpc::ServerReader<event_store::client::streams::AppendReq> *reader,
                        event_store::client::streams::AppendResp *response) override;
    grpc::Status Delete(grpc::ServerContext *context, const event_store::client::streams::DeleteReq *request,
                        event_store::client::streams::DeleteResp *response) override;
    /// Multiplexed appends: one response per correlation id, errors as google.rpc.Status in the
    /// body (StreamsBatchAppend.cpp).
    grpc::Status BatchAppend(grpc::ServerContext *context,
                             grpc::ServerReaderWriter<event_store::client::streams::BatchAppendResp,
                                                      event_store::client::streams::BatchAppendReq> *stream) override;
    grpc::Status Tombstone(grpc::ServerContext *context, const event_store::client::streams::TombstoneReq *request,
                           event_store::client::streams::TombstoneResp *response) override;

private:
    grpc::ServerWriteReactor<EncodedReply> *readStream(grpc::CallbackServerContext *context,
                                                           const event_store::client::streams::ReadReq::Options &o);
    grpc::ServerWriteReactor<EncodedReply> *readAll(const event_store::client::streams::ReadReq::Options &o);
    /// Catch-up subscriptions to a stream or `$all` (StreamsSubscriptions.cpp).
    grpc::ServerWriteReactor<EncodedReply> *subscribe(grpc::CallbackServerContext *context,
                                                          const event_store::client::streams::ReadReq::Options &o);

    // Authorization, one small check per RPC (StreamsAuthorization.cpp): OK or the status to return.
    grpc::Status authorizeRead(grpc::ServerContextBase *context, const event_store::client::streams::ReadReq &request) const;
    grpc::Status authorizeWrite(grpc::ServerContextBase *context, const std::string &stream) const;
    grpc::Status authorizeDelete(grpc::ServerContextBase *context, const std::string &stream) const;

    /// The fault the next append to `stream` meets (none without a plan).
    Fault nextFault(const std::string &stream);
    /// Sits out a fault's stall; false when stopStalls() cut it short.
    bool stall(std::chrono::milliseconds duration);
    /// Counts a stalled append in stallingAppends() for as long as its handler deals with it.
    struct Stalling
    {
        std::atomic<int> *count;
        explicit Stalling(std::atomic<int> *c) : count(c)
        {
            if (count)
                ++*count;
        }
        ~Stalling()
        {
            if (count)
                --*count;
        }
        Stalling(const Stalling &) = delete;
        Stalling &operator=(const Stalling &) = delete;
    };
    /// The status of a call cut by a fault, after the crash handler ran when the fault says so.
    grpc::Status cut(const Fault &fault);

    EventStore &m_store;
    mutable std::mutex m_faultMutex;
    std::shared_ptr<FaultPlan> m_faults;
    std::function<void()> m_crash;
    std::condition_variable m_stallWake;
    bool m_stopping = false;
    std::atomic<int> m_stalling{0};
    AppendNotifier m_subscribers;
    NotifierRelay m_relay{m_store.notifier(), m_subscribers};
    const AccessControl *m_access = nullptr;
    CallStats *m_stats = nullptr;
    const ClusterState *m_cluster = nullptr;
    int m_node = 0;
};

} // namespace chronoscope::sandbox
