#pragma once

#include "base/Cancellation.h"
#include "connection/ConnectionSettings.h"
#include "model/ClientError.h"
#include "model/ReadRequest.h"
#include "model/Types.h"

#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <thread>

namespace chronoscope {

class GrpcChannel;
class NodeConnection;
class ReadOrderCheck;

/// One message of a catch-up subscription, in the order the server sent it (protocol sheet §4.2).
struct SubscriptionMessage
{
    enum class Kind {
        Confirmation, ///< first: `subscriptionId`
        Event,        ///< `event`
        Checkpoint,   ///< filtered `$all` only: `position` (nothing the client wants before it)
        CaughtUp,     ///< the catch-up reached the head; live events follow. `streamRevision` / `position` when sent
        FellBehind,   ///< defined by the protocol; current servers do not send it
    };
    Kind kind = Kind::Event;
    QString subscriptionId;
    ResolvedEvent event;
    std::optional<Position> position;
    std::optional<qint64> streamRevision;
};

/// A catch-up subscription to a stream or `$all` (a ReadRequest: stream or all, `from`, filter
/// with its checkpoint multiplier and window, resolveLinks; direction and count are ignored). The
/// revision or position it starts from is exclusive, as on the server: it delivers what follows.
///
/// When its node goes away (UNAVAILABLE, or the server cancelling as it stops), it reconnects
/// through the NodeConnection (backing off; rediscovering in a cluster) and subscribes again after
/// the last event it delivered — the stream revision or `$all` position of the record read — so
/// nothing is missed or repeated; the new call's confirmation and caught-up come through again.
/// It ends after kMaxReconnects reconnections in a row that delivered no event, once the node has
/// also been gone for the settings' subscriptionPatienceMs (30 s by default). (A subscription
/// from the end that lost its node before its first event resumes from the end again.)
///
/// Events that break the order of the stream or `$all` (ReadOrderCheck: a duplicate, a revision
/// going back or skipping, a position going back) end it with a ProtocolError naming them; they
/// are not delivered.
///
/// It runs on its own thread from construction: `onMessage` is called there for every message and
/// `onEnd` once at the end with the reason (kind Cancelled after cancel(), None when the server ends
/// the call with OK). Neither call blocks the thread that made the subscription. Destroying it
/// cancels and waits for the thread, so do not destroy it from inside its own callbacks.
class Subscription
{
public:
    using MessageHandler = std::function<void(SubscriptionMessage &&)>;
    using EndHandler = std::function<void(const ClientError &)>;

    static constexpr int kMaxReconnects = 6;

    Subscription(std::shared_ptr<NodeConnection> connection, const ReadRequest &request,
                 const std::optional<UserCredentials> &credentials, MessageHandler onMessage, EndHandler onEnd);
    ~Subscription();
    Subscription(const Subscription &) = delete;
    Subscription &operator=(const Subscription &) = delete;

    /// Ends the subscription from any thread (its own callbacks included); onEnd follows with Cancelled.
    void cancel();
    /// Blocks until onEnd has run.
    void wait();

private:
    void run(std::shared_ptr<NodeConnection> connection, ReadRequest request,
             std::optional<UserCredentials> credentials);
    /// One Read call; counts what it delivered and remembers where the last event was.
    ClientError runOnce(const std::shared_ptr<GrpcChannel> &channel, const ReadRequest &request,
                        const std::optional<UserCredentials> &credentials, quint64 *messages);
    /// Turns `request` into the one that goes on after the last delivered event.
    void resumeAfterLast(ReadRequest *request) const;

    MessageHandler m_onMessage;
    EndHandler m_onEnd;
    CancellationPtr m_cancel = std::make_shared<Cancellation>();
    std::unique_ptr<ReadOrderCheck> m_order; ///< across reconnections: a resumed call goes on from the last event
    std::optional<quint64> m_lastRevision; ///< stream subscriptions
    std::optional<Position> m_lastPosition; ///< `$all` subscriptions
    std::thread m_thread;
};

} // namespace chronoscope
