#pragma once
// A raw gRPC consumer (and the helpers the persistent subscription sandbox tests share) of a sandbox persistent
// subscription for the sandbox tests: collects the events a Read call receives on a thread of its own, acks and nacks
// them.

#include "EventStore.h"
#include "SandboxServer.h"
#include "support/Eventually.h"

#include "persistent.grpc.pb.h"
#include "wire/ProtoConvert.h"
#include <QElapsedTimer>
#include <functional>
#include <optional>

#include <grpcpp/grpcpp.h>

#include <QElapsedTimer>
#include <QThread>
#include <QUuid>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pps = event_store::client::persistent_subscriptions;

struct ReceivedEvent
{
    std::string stream;
    quint64 revision = 0;
    QUuid ackId; ///< the link's id when there is one
    int retryCount = 0;
    bool hasLink = false;
    std::string data;
};

class PersistentProbe
{
public:
    PersistentProbe(pps::PersistentSubscriptions::Stub &stub, const std::string &stream, const std::string &group,
                    int bufferSize = 10)
    {
        m_rw = stub.Read(&m_context);
        pps::ReadReq req;
        auto *o = req.mutable_options();
        if (stream == "$all")
            o->mutable_all();
        else
            o->mutable_stream_identifier()->set_stream_name(stream);
        o->set_group_name(group);
        o->set_buffer_size(bufferSize);
        o->mutable_uuid_option()->mutable_string();
        m_rw->Write(req);
        m_thread = std::thread([this] {
            pps::ReadResp resp;
            while (m_rw->Read(&resp)) {
                std::lock_guard lock(m_mutex);
                if (resp.has_subscription_confirmation()) {
                    m_confirmation = resp.subscription_confirmation().subscription_id();
                    continue;
                }
                const auto &e = resp.event();
                ReceivedEvent r;
                r.stream = e.event().stream_identifier().stream_name();
                r.revision = e.event().stream_revision();
                r.hasLink = e.has_link();
                r.ackId = chronoscope::proto::uuidFrom(e.has_link() ? e.link().id() : e.event().id());
                r.retryCount = e.retry_count();
                r.data = e.event().data();
                m_events.push_back(r);
            }
            std::lock_guard lock(m_mutex);
            m_ended = true;
        });
    }

    ~PersistentProbe() { close(); }

    /// Ends the call (the server retries what was in flight) and returns its status.
    grpc::Status close()
    {
        if (!m_thread.joinable())
            return m_status;
        m_context.TryCancel();
        m_thread.join();
        m_status = m_rw->Finish();
        return m_status;
    }
    /// Waits for the call to end by itself (the server dropped it) and returns its status.
    grpc::Status waitEnd(int ms = 5000)
    {
        QElapsedTimer t;
        t.start();
        while (!ended() && t.elapsed() < ms)
            QThread::msleep(5);
        if (!ended())
            return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "still open");
        m_thread.join();
        m_status = m_rw->Finish();
        return m_status;
    }

    bool ended() const
    {
        std::lock_guard lock(m_mutex);
        return m_ended;
    }
    std::string confirmation() const
    {
        std::lock_guard lock(m_mutex);
        return m_confirmation;
    }
    std::vector<ReceivedEvent> events() const
    {
        std::lock_guard lock(m_mutex);
        return m_events;
    }
    /// Waits until at least `n` events arrived; returns them.
    std::vector<ReceivedEvent> waitFor(size_t n, int ms = 5000) const
    {
        QElapsedTimer t;
        t.start();
        while (events().size() < n && t.elapsed() < ms)
            QThread::msleep(5);
        return events();
    }

    void ack(const std::vector<QUuid> &ids) { send(ids, nullptr, {}); }
    void nack(const std::vector<QUuid> &ids, pps::ReadReq::Nack::Action action, const std::string &reason = {})
    {
        send(ids, &action, reason);
    }

private:
    void send(const std::vector<QUuid> &ids, const pps::ReadReq::Nack::Action *action, const std::string &reason)
    {
        pps::ReadReq req;
        auto add = [&](auto *msg) {
            for (const QUuid &id : ids)
                chronoscope::proto::setUuid(msg->add_ids(), id, false);
        };
        if (action) {
            add(req.mutable_nack());
            req.mutable_nack()->set_action(*action);
            req.mutable_nack()->set_reason(reason);
        } else {
            add(req.mutable_ack());
        }
        std::lock_guard lock(m_writeMutex);
        m_rw->Write(req);
    }

    grpc::ClientContext m_context;
    std::unique_ptr<grpc::ClientReaderWriter<pps::ReadReq, pps::ReadResp>> m_rw;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::mutex m_writeMutex;
    std::vector<ReceivedEvent> m_events;
    std::string m_confirmation;
    bool m_ended = false;
    grpc::Status m_status;
};

namespace persistent_test {

using namespace chronoscope;
using namespace chronoscope::sandbox;

inline void appendTo(EventStore &store, const std::string &stream, int n, const std::string &metadata = {})
{
    for (int i = 0; i < n; ++i)
        store.append(stream, EventStore::Expected::Any, 0,
                     {ProposedEvent{QUuid::createUuid(), "Tick", true, "{\"i\":" + std::to_string(i) + "}", metadata,
                                    0}});
}

struct Box
{
    SandboxServer server;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<pps::PersistentSubscriptions::Stub> stub;
    QString error;
    bool start()
    {
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &error);
        if (port <= 0)
            return false;
        channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
        stub = pps::PersistentSubscriptions::NewStub(channel);
        return true;
    }
};

using SettingsEdit = std::function<void(pps::CreateReq::Settings *)>;

/// Fast settings: short timeouts, checkpoints after every event.
inline void fast(pps::CreateReq::Settings *s)
{
    s->set_message_timeout_ms(10000);
    s->set_max_retry_count(10);
    s->set_live_buffer_size(100);
    s->set_read_batch_size(10);
    s->set_history_buffer_size(100);
    s->set_checkpoint_after_ms(0);
    s->set_min_checkpoint_count(1);
    s->set_max_checkpoint_count(1);
    s->set_consumer_strategy("RoundRobin");
}

inline grpc::Status create(pps::PersistentSubscriptions::Stub &stub, const std::string &stream,
                           const std::string &group, const SettingsEdit &edit = {},
                           const std::function<void(pps::CreateReq::AllOptions *)> &all = {})
{
    pps::CreateReq req;
    auto *o = req.mutable_options();
    o->set_group_name(group);
    if (stream == "$all") {
        o->mutable_all()->mutable_start();
        if (all)
            all(o->mutable_all());
        else
            o->mutable_all()->mutable_no_filter();
    } else {
        o->mutable_stream()->mutable_stream_identifier()->set_stream_name(stream);
        o->mutable_stream()->mutable_start();
    }
    fast(o->mutable_settings());
    if (edit)
        edit(o->mutable_settings());
    pps::CreateResp resp;
    grpc::ClientContext ctx;
    return stub.Create(&ctx, req, &resp);
}

inline std::optional<pps::SubscriptionInfo> info(pps::PersistentSubscriptions::Stub &stub, const std::string &stream,
                                                 const std::string &group, grpc::Status *status = nullptr)
{
    pps::GetInfoReq req;
    if (stream == "$all")
        req.mutable_options()->mutable_all();
    else
        req.mutable_options()->mutable_stream_identifier()->set_stream_name(stream);
    req.mutable_options()->set_group_name(group);
    pps::GetInfoResp resp;
    grpc::ClientContext ctx;
    const grpc::Status s = stub.GetInfo(&ctx, req, &resp);
    if (status)
        *status = s;
    if (!s.ok())
        return std::nullopt;
    return resp.subscription_info();
}

inline grpc::Status replay(pps::PersistentSubscriptions::Stub &stub, const std::string &stream,
                           const std::string &group, std::optional<qint64> stopAt = std::nullopt)
{
    pps::ReplayParkedReq req;
    req.mutable_options()->mutable_stream_identifier()->set_stream_name(stream);
    req.mutable_options()->set_group_name(group);
    if (stopAt)
        req.mutable_options()->set_stop_at(*stopAt);
    else
        req.mutable_options()->mutable_no_limit();
    pps::ReplayParkedResp resp;
    grpc::ClientContext ctx;
    return stub.ReplayParked(&ctx, req, &resp);
}

inline std::string trailer(const grpc::ClientContext &ctx, const char *key)
{
    const auto &md = ctx.GetServerTrailingMetadata();
    const auto it = md.find(key);
    return it == md.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

inline std::vector<QUuid> idsOf(const std::vector<ReceivedEvent> &events)
{
    std::vector<QUuid> out;
    for (const ReceivedEvent &e : events)
        out.push_back(e.ackId);
    return out;
}

} // namespace persistent_test
