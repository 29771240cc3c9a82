#pragma once

#include "Cancellation.h"
#include "ClientError.h"
#include "ConnectionSettings.h"
#include "ReadRequest.h"
#include "Types.h"

#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <thread>

namespace chronoscope {

class GrpcChannel;

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
/// It runs on its own thread from construction: `onMessage` is called there for every message and
/// `onEnd` once at the end with the reason (kind Cancelled after cancel(), None when the server ends
/// the call with OK). Neither call blocks the thread that made the subscription. Destroying it
/// cancels and waits for the thread, so do not destroy it from inside its own callbacks.
class Subscription
{
public:
    using MessageHandler = std::function<void(SubscriptionMessage &&)>;
    using EndHandler = std::function<void(const ClientError &)>;

    Subscription(std::shared_ptr<GrpcChannel> channel, const ReadRequest &request,
                 const std::optional<UserCredentials> &credentials, MessageHandler onMessage, EndHandler onEnd);
    ~Subscription();
    Subscription(const Subscription &) = delete;
    Subscription &operator=(const Subscription &) = delete;

    /// Ends the subscription from any thread (its own callbacks included); onEnd follows with Cancelled.
    void cancel();
    /// Blocks until onEnd has run.
    void wait();

private:
    void run(std::shared_ptr<GrpcChannel> channel, ReadRequest request, std::optional<UserCredentials> credentials);

    MessageHandler m_onMessage;
    EndHandler m_onEnd;
    CancellationPtr m_cancel = std::make_shared<Cancellation>();
    std::thread m_thread;
};

} // namespace chronoscope
