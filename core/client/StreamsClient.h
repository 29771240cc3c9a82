#pragma once

#include "base/Cancellation.h"
#include "client/Subscription.h"
#include "cluster/Discovery.h"
#include "connection/ConnectionSettings.h"
#include "model/ClientError.h"
#include "model/ReadRequest.h"
#include "model/StreamMetadata.h"
#include "model/Types.h"

#include <functional>
#include <memory>

namespace chronoscope {

class GrpcChannel;
class NodeConnection;

/// How a read ended. A missing (or soft-deleted) stream is not an error on the wire: the server
/// sends a `stream_not_found` message; it is reported here as error kind StreamNotFound.
struct ReadSummary
{
    ClientError error;
    quint64 eventCount = 0;
    std::optional<quint64> firstStreamPosition;
    std::optional<quint64> lastStreamPosition;
};

struct ReadResult
{
    QList<ResolvedEvent> events;
    ClientError error;
};

struct AppendResult
{
    ClientError error; ///< WrongExpectedVersion carries `expected` and `actualRevision`
    std::optional<quint64> nextExpectedRevision;
    std::optional<Position> position;
};

struct DeleteResult
{
    ClientError error;
    std::optional<Position> position;
};

struct StreamMetadataResult
{
    ClientError error;
    QByteArray streamName;
    std::optional<StreamMetadata> metadata; ///< none when the stream has no metadata
    std::optional<quint64> metastreamRevision;
};

struct SupportedMethod
{
    QString service; ///< lower-case, e.g. "event_store.client.streams.streams"
    QString method;  ///< lower-case, e.g. "batchappend"
    QStringList features;
};

struct ServerInfo
{
    ClientError error;
    QString version;  ///< "24.10.0"; empty when the server does not say (UNIMPLEMENTED)
    QList<SupportedMethod> methods;
    bool supports(const QString &service, const QString &method) const;
};

/// The Streams and ServerFeatures services over gRPC. Calls block the calling thread: run them in
/// a worker (the GUI uses jobs). Safe to use from several threads at once.
/// In a cluster (`+discover` or several hosts) it picks the node by nodePreference, follows
/// `not-leader` answers to the leader (retrying the call once there), and reconnects to another
/// node with backoff when one is lost; reads then go on from the last delivered event
/// (NodeConnection, ReadResume).
class StreamsClient
{
public:
    /// Connects lazily (to the first host, or where discovery says); `error()` tells when a
    /// channel could not be built (e.g. an unreadable CA file).
    explicit StreamsClient(const ConnectionSettings &settings);
    ~StreamsClient();
    StreamsClient(const StreamsClient &) = delete;
    StreamsClient &operator=(const StreamsClient &) = delete;

    const ClientError &error() const { return m_error; }

    using EventHandler = std::function<bool(ResolvedEvent &&)>; ///< return false to stop reading

    /// Every operation takes optional per-call credentials: they replace the connection string's
    /// user for that call (empty credentials = anonymous); none = the connection string's.
    using Credentials = std::optional<UserCredentials>;

    /// Streams events to `onEvent` as they arrive; stops when it returns false or on cancellation.
    ReadSummary read(const ReadRequest &request, const EventHandler &onEvent,
                     const CancellationPtr &cancel = nullptr, const Credentials &credentials = std::nullopt) const;
    /// Reads everything into memory: for small reads and tests.
    ReadResult readAll(const ReadRequest &request, const Credentials &credentials = std::nullopt) const;

    AppendResult append(const QByteArray &stream, const ExpectedState &expected, const QList<EventData> &events,
                        const Credentials &credentials = std::nullopt) const;
    DeleteResult deleteStream(const QByteArray &stream, const ExpectedState &expected,
                              const Credentials &credentials = std::nullopt) const;
    DeleteResult tombstoneStream(const QByteArray &stream, const ExpectedState &expected,
                                 const Credentials &credentials = std::nullopt) const;

    StreamMetadataResult getStreamMetadata(const QByteArray &stream, const Credentials &credentials = std::nullopt) const;
    AppendResult setStreamMetadata(const QByteArray &stream, const StreamMetadata &metadata,
                                   const ExpectedState &expected = ExpectedState::any(),
                                   const Credentials &credentials = std::nullopt) const;

    ServerInfo serverInfo() const;

    /// Starts a catch-up subscription (see Subscription) and returns at once: `onMessage` and
    /// `onEnd` run on the subscription's own thread. Destroy the result (or cancel() it) to stop.
    std::unique_ptr<Subscription> subscribe(const ReadRequest &request, Subscription::MessageHandler onMessage,
                                            Subscription::EndHandler onEnd,
                                            const Credentials &credentials = std::nullopt) const;
    /// Gossip.Read of the node the client talks to (connecting first): the cluster as it sees it.
    GossipResult clusterMembers() const;
    /// The node calls go to now; none before the first call or right after a node was lost.
    std::optional<EndPoint> currentNode() const;

private:
    /// One Read call on `channel`, without reconnecting.
    ReadSummary readOnce(const std::shared_ptr<GrpcChannel> &channel, const ReadRequest &request,
                         const EventHandler &onEvent, const CancellationPtr &cancel,
                         const Credentials &credentials) const;

    std::shared_ptr<NodeConnection> m_connection;
    ClientError m_error;
};

} // namespace chronoscope
