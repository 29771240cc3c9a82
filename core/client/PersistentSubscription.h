#pragma once

#include "client/PersistentSubscriptionTypes.h"
#include "connection/ConnectionSettings.h"

#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace grpc {
class ClientContext;
template<typename W, typename R>
class ClientReaderWriter;
} // namespace grpc

namespace event_store::client::persistent_subscriptions {
class ReadReq;
class ReadResp;
} // namespace event_store::client::persistent_subscriptions

namespace chronoscope {

class GrpcChannel;

/// One consumer of a persistent subscription group (the bidirectional Read call): events arrive on
/// its own thread through `onEvent`; ack() and nack() may be called from any thread, that one
/// included. `onEnd` runs once with why it ended: None when the server ended it with OK,
/// Cancelled after cancel(), a typed error otherwise (PersistentSubscriptionNotFound,
/// MaximumSubscribersReached, PersistentSubscriptionDropped when the group was updated or the
/// subsystem restarted, …). It does not reconnect: the group keeps what was not acked, so a new
/// consumer gets it again. Destroying it cancels and waits (not from inside its callbacks).
class PersistentSubscription
{
public:
    using EventHandler = std::function<void(PersistentEvent &&)>;
    using ConfirmHandler = std::function<void(const QString &subscriptionId)>;
    using EndHandler = std::function<void(const ClientError &)>;

    PersistentSubscription(std::shared_ptr<GrpcChannel> channel, const PersistentGroup &group, int bufferSize,
                           const std::optional<UserCredentials> &credentials, ConfirmHandler onConfirm,
                           EventHandler onEvent, EndHandler onEnd);
    ~PersistentSubscription();
    PersistentSubscription(const PersistentSubscription &) = delete;
    PersistentSubscription &operator=(const PersistentSubscription &) = delete;

    /// The events were handled: the group checkpoints past them.
    bool ack(const QList<QUuid> &ids);
    /// The events were not handled: park, retry, skip (or stop, which the server ignores).
    bool nack(const QList<QUuid> &ids, NackAction action, const QString &reason);
    void cancel();
    /// Blocks until onEnd has run.
    void wait();

private:
    using Stream = grpc::ClientReaderWriter<event_store::client::persistent_subscriptions::ReadReq,
                                            event_store::client::persistent_subscriptions::ReadResp>;
    void run(const PersistentGroup &group, int bufferSize);
    bool send(const event_store::client::persistent_subscriptions::ReadReq &request);

    std::shared_ptr<GrpcChannel> m_channel;
    std::unique_ptr<grpc::ClientContext> m_context;
    std::unique_ptr<Stream> m_stream;
    std::mutex m_writeMutex;
    ConfirmHandler m_onConfirm;
    EventHandler m_onEvent;
    EndHandler m_onEnd;
    bool m_cancelled = false;
    std::thread m_thread;
};

} // namespace chronoscope
