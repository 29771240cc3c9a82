#pragma once

#include "client/PersistentSubscription.h"
#include "client/PersistentSubscriptionTypes.h"
#include "connection/ConnectionSettings.h"

#include <memory>

namespace chronoscope {

class NodeConnection;

/// The PersistentSubscriptions service over gRPC: manage groups (create, update, delete, info,
/// list, replay parked messages, restart the subsystem) and consume them (subscribe). Calls block
/// the calling thread (run them in a worker) and go through the same node handling as
/// StreamsClient (NodeConnection: discovery, `not-leader` followed to the leader once, reconnect
/// with backoff). Errors are typed: PersistentSubscriptionNotFound, PersistentSubscriptionExists,
/// PersistentSubscriptionFailed (the server's reason in the message), MaximumSubscribersReached,
/// AccessDenied, Unimplemented (a server without the service), …
class PersistentSubscriptionsClient
{
public:
    using Credentials = std::optional<UserCredentials>;

    explicit PersistentSubscriptionsClient(const ConnectionSettings &settings);
    ~PersistentSubscriptionsClient();
    PersistentSubscriptionsClient(const PersistentSubscriptionsClient &) = delete;
    PersistentSubscriptionsClient &operator=(const PersistentSubscriptionsClient &) = delete;

    const ClientError &error() const { return m_error; }

    /// `filter` only for a group on `$all` (it cannot be changed later).
    PersistentResult create(const PersistentGroup &group, const PersistentSubscriptionSettings &settings,
                            const std::optional<ReadFilter> &filter = std::nullopt,
                            const Credentials &credentials = std::nullopt) const;
    /// The consumer strategy travels as the protocol's enum (no PinnedByCorrelation), as in the
    /// official clients; the server keeps the checkpoint and drops the connected consumers.
    PersistentResult update(const PersistentGroup &group, const PersistentSubscriptionSettings &settings,
                            const Credentials &credentials = std::nullopt) const;
    PersistentResult remove(const PersistentGroup &group, const Credentials &credentials = std::nullopt) const;
    /// A real server's GetInfo and List replies hold one SubscriptionInfo per group, one ConnectionInfo
    /// per consumer connected to it (each a gRPC call the server keeps open) and, with extra statistics,
    /// about a dozen measurements per connection. A reply holding more than kMaxReplyEntries of those in
    /// all is refused (protocol-error) before protobuf builds them: no server has that many groups and
    /// consumers, and 17 MiB of empty entries would otherwise become millions of objects (GiBs).
    static constexpr qint64 kMaxReplyEntries = 200000;

    PersistentInfoResult getInfo(const PersistentGroup &group, const Credentials &credentials = std::nullopt) const;
    /// Every group (`stream` none), a stream's groups, or `$all`'s ("$all").
    PersistentListResult list(const std::optional<QByteArray> &stream = std::nullopt,
                              const Credentials &credentials = std::nullopt) const;
    /// Sends the parked messages below parked event number `stopAt` (none: all) to the consumers again.
    PersistentResult replayParked(const PersistentGroup &group, std::optional<qint64> stopAt = std::nullopt,
                                  const Credentials &credentials = std::nullopt) const;
    PersistentResult restartSubsystem(const Credentials &credentials = std::nullopt) const;

    /// Connects a consumer (see PersistentSubscription); null with `error` set when no node could be reached.
    std::unique_ptr<PersistentSubscription>
    subscribe(const PersistentGroup &group, int bufferSize, PersistentSubscription::EventHandler onEvent,
              PersistentSubscription::EndHandler onEnd, PersistentSubscription::ConfirmHandler onConfirm = {},
              ClientError *error = nullptr, const Credentials &credentials = std::nullopt) const;

private:
    std::shared_ptr<NodeConnection> m_connection;
    ClientError m_error;
};

} // namespace chronoscope
