#pragma once

#include "model/ClientError.h"
#include "model/ReadRequest.h"
#include "model/Types.h"

#include <QList>
#include <QString>

#include <optional>

namespace chronoscope {

/// The group a persistent subscription call is about: a stream's group, or one on `$all`.
struct PersistentGroup
{
    QByteArray stream; ///< "$all" for a group on `$all`
    QString group;
    bool isAll() const { return stream == "$all"; }
    static PersistentGroup onStream(const QByteArray &s, const QString &g) { return {s, g}; }
    static PersistentGroup onAll(const QString &g) { return {QByteArrayLiteral("$all"), g}; }
    /// Where the server parks this group's messages: `$persistentsubscription-<stream>::<group>-parked`
    /// (`$>` links to the parked events; PERSISTENT-SUBSCRIPTIONS.md).
    QByteArray parkedStream() const { return subscriptionStream("-parked"); }
    /// Where the server writes this group's checkpoints: `$persistentsubscription-<stream>::<group>-checkpoint`.
    QByteArray checkpointStream() const { return subscriptionStream("-checkpoint"); }
    /// Whether `name` is a group's parked stream (read it with links resolved to see the events).
    static bool isParkedStream(const QByteArray &name)
    {
        return name.startsWith("$persistentsubscription-") && name.endsWith("-parked");
    }

private:
    /// PersistentSubscriptionMessageParker / PersistentSubscriptionCheckpointWriter: the subscription id
    /// is "<stream>::<group>", prefixed with "$persistentsubscription-".
    QByteArray subscriptionStream(const char *suffix) const
    {
        return QByteArrayLiteral("$persistentsubscription-") + stream + "::" + group.toUtf8() + suffix;
    }
};

/// The settings of a group, with the official clients' defaults.
struct PersistentSubscriptionSettings
{
    bool resolveLinks = false;
    bool extraStatistics = false;
    int messageTimeoutMs = 30000;
    int maxRetryCount = 10;
    int liveBufferSize = 500;
    int readBatchSize = 20;
    int historyBufferSize = 500;
    int checkpointAfterMs = 2000;
    int minCheckpointCount = 10;
    int maxCheckpointCount = 1000;
    int maxSubscriberCount = 0; ///< 0 = unlimited
    /// "DispatchToSingle", "RoundRobin", "Pinned" or "PinnedByCorrelation".
    QString consumerStrategy = QStringLiteral("RoundRobin");
    /// Where a group without a checkpoint starts: a stream revision, or a `$all` commit position;
    /// none = the end (only new events).
    std::optional<quint64> startFrom = 0;
};

/// One consumer connected to a group, as GetInfo reports it.
struct PersistentConnection
{
    QString from;
    QString username;
    QString connectionName;
    qint64 totalItems = 0;
    int availableSlots = 0;
    int inFlightMessages = 0;
};

/// What GetInfo and List report about a group.
struct PersistentSubscriptionInfo
{
    QByteArray eventSource; ///< the stream, or "$all"
    QString groupName;
    QString status;    ///< "Live", "Behind", …
    QString startFrom; ///< as the server prints it: "0", "-1", "C:0/P:0"
    QString lastCheckpointedPosition;
    QString lastKnownPosition;
    PersistentSubscriptionSettings settings;
    QList<PersistentConnection> connections;
    qint64 totalItems = 0;
    int readBufferCount = 0;
    int retryBufferCount = 0;
    int totalInFlightMessages = 0;
    int outstandingMessagesCount = 0;
    qint64 parkedMessageCount = 0;
};

struct PersistentResult
{
    ClientError error;
};

struct PersistentInfoResult
{
    ClientError error;
    PersistentSubscriptionInfo info;
};

struct PersistentListResult
{
    ClientError error;
    QList<PersistentSubscriptionInfo> subscriptions;
};

/// An event of a persistent subscription: ack or nack it by `ackId()`.
struct PersistentEvent
{
    ResolvedEvent event;
    int retryCount = 0;
    /// The id the server expects back: the link's when the event came through one.
    QUuid ackId() const { return event.originalEvent().id; }
};

/// What a nack asks the server to do with the events.
enum class NackAction { Unknown = 0, Park = 1, Retry = 2, Skip = 3, Stop = 4 };

} // namespace chronoscope
