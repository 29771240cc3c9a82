#pragma once

#include "client/StreamsClient.h"

#include <QObject>

#include <memory>

namespace chronoscope {

/// A Subscription as a QObject for Qt code: its messages arrive as signals in this object's thread
/// (queued from the subscription's own thread), so a view can connect to them directly. Deleting
/// the object cancels the subscription; no signal is emitted after that.
class LiveSubscription : public QObject
{
    Q_OBJECT
public:
    LiveSubscription(const StreamsClient &client, const ReadRequest &request,
                     const StreamsClient::Credentials &credentials = std::nullopt, QObject *parent = nullptr);
    ~LiveSubscription() override;

    void cancel();
    bool isCaughtUp() const { return m_caughtUp; }

Q_SIGNALS:
    void confirmed(const QString &subscriptionId);
    void eventAppeared(const chronoscope::ResolvedEvent &event);
    /// Filtered `$all` only: nothing the filter wants lies before `commit`.
    void checkpointReached(quint64 commit, quint64 prepare);
    void caughtUp();
    /// Once, at the end: kind Cancelled after cancel(), None when the server ended the call with OK.
    void ended(const QString &errorKind, const QString &message);

private:
    void deliver(SubscriptionMessage &&m);

    std::unique_ptr<Subscription> m_subscription;
    bool m_caughtUp = false;
};

} // namespace chronoscope
