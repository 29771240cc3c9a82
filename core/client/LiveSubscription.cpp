#include "client/LiveSubscription.h"

namespace chronoscope {

LiveSubscription::LiveSubscription(const StreamsClient &client, const ReadRequest &request,
                                   const StreamsClient::Credentials &credentials, QObject *parent)
    : QObject(parent)
{
    // The callbacks run on the subscription's thread and post to this object's thread. They only
    // run while m_subscription lives, and the destructor joins its thread before QObject goes, which
    // drops what is still queued.
    m_subscription = client.subscribe(
        request,
        [this](SubscriptionMessage &&m) {
            QMetaObject::invokeMethod(this, [this, m = std::move(m)]() mutable { deliver(std::move(m)); },
                                      Qt::QueuedConnection);
        },
        [this](const ClientError &e) {
            QMetaObject::invokeMethod(this, [this, kind = e.kindName(), message = e.message]() {
                Q_EMIT ended(kind, message);
            }, Qt::QueuedConnection);
        },
        credentials);
}

LiveSubscription::~LiveSubscription() = default;

void LiveSubscription::cancel()
{
    m_subscription->cancel();
}

void LiveSubscription::deliver(SubscriptionMessage &&m)
{
    switch (m.kind) {
    case SubscriptionMessage::Kind::Confirmation: Q_EMIT confirmed(m.subscriptionId); break;
    case SubscriptionMessage::Kind::Event: Q_EMIT eventAppeared(m.event); break;
    case SubscriptionMessage::Kind::Checkpoint: Q_EMIT checkpointReached(m.position->commit, m.position->prepare); break;
    case SubscriptionMessage::Kind::CaughtUp:
        m_caughtUp = true;
        Q_EMIT caughtUp();
        break;
    case SubscriptionMessage::Kind::FellBehind: m_caughtUp = false; break;
    }
}

} // namespace chronoscope
