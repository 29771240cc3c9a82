#pragma once

#include "connection/ConnectionSettings.h"
#include "model/ClientError.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace chronoscope {

class NodeConnection;

/// One projection's statistics, every field of the Projections service's StatisticsResp.Details.
struct ProjectionDetails
{
    QString name;
    QString effectiveName;
    QString mode;        ///< "Continuous", "OneTime", "Transient"
    QString status;      ///< "Running", "Stopped", "Faulted (Enabled)", "Running/…"
    QString stateReason; ///< why it faulted
    QString position;    ///< checkpoint tag, e.g. "C:1234/P:1234"
    QString lastCheckpoint;
    QString checkpointStatus;
    float progress = 0; ///< percent
    qint64 eventsProcessedAfterRestart = 0;
    int partitionsCached = 0;
    qint64 version = 0;
    qint64 epoch = 0;
    qint64 coreProcessingTime = 0;
    qint64 bufferedEvents = 0;
    int writesInProgress = 0;
    int readsInProgress = 0;
    int writePendingEventsBeforeCheckpoint = 0;
    int writePendingEventsAfterCheckpoint = 0;

    /// The part of `status` before a '/', as the Node client splits it ("Running/Paused" → "Running").
    QString projectionStatus() const { return status.section(QLatin1Char('/'), 0, 0); }
};

struct ProjectionCallResult
{
    ClientError error;
};

struct ProjectionListResult
{
    ClientError error;
    QList<ProjectionDetails> projections;
};

struct ProjectionStatusResult
{
    ClientError error; ///< NotFound for an unknown name
    ProjectionDetails details;
};

/// A state or result: the server's google.protobuf.Value as JSON; an empty state is `{}`.
struct ProjectionValueResult
{
    ClientError error;
    QJsonValue value;
};

/// The Projections service (protocol sheet §6, docs/PROJECTIONS.md), through the same node handling as
/// StreamsClient (NodeConnection: `not-leader` answers followed, lost nodes rediscovered with backoff).
/// Errors are typed: NotFound for an unknown projection, AlreadyExists for a duplicate name (the server
/// answers UNKNOWN "… received Conflict instead"), AccessDenied, Unavailable, …
class ProjectionsClient
{
public:
    enum class Mode { All, Continuous, OneTime, Transient };
    using Credentials = std::optional<UserCredentials>;

    explicit ProjectionsClient(const ConnectionSettings &settings);
    ~ProjectionsClient();
    ProjectionsClient(const ProjectionsClient &) = delete;
    ProjectionsClient &operator=(const ProjectionsClient &) = delete;

    const ClientError &error() const { return m_error; }

    ProjectionCallResult createContinuous(const QString &name, const QString &query, bool emitEnabled = false,
                                          bool trackEmittedStreams = false,
                                          const Credentials &credentials = std::nullopt) const;
    ProjectionCallResult createTransient(const QString &name, const QString &query,
                                         const Credentials &credentials = std::nullopt) const;
    /// The server names a one-time projection itself (a new GUID): find it with list(Mode::OneTime).
    ProjectionCallResult createOneTime(const QString &query, const Credentials &credentials = std::nullopt) const;
    /// `emitEnabled` none: the emit option stays as it was.
    ProjectionCallResult update(const QString &name, const QString &query,
                                std::optional<bool> emitEnabled = std::nullopt,
                                const Credentials &credentials = std::nullopt) const;
    ProjectionCallResult remove(const QString &name, bool deleteEmittedStreams = false, bool deleteStateStream = false,
                                bool deleteCheckpointStream = false,
                                const Credentials &credentials = std::nullopt) const;
    ProjectionCallResult enable(const QString &name, const Credentials &credentials = std::nullopt) const;
    /// Stops it after writing a checkpoint.
    ProjectionCallResult disable(const QString &name, const Credentials &credentials = std::nullopt) const;
    /// Stops it without a checkpoint: what it processed since the last one is done again.
    ProjectionCallResult abort(const QString &name, const Credentials &credentials = std::nullopt) const;
    ProjectionCallResult reset(const QString &name, const Credentials &credentials = std::nullopt) const;

    /// A real server sends one Statistics reply per projection (KurrentDB's Statistics writes one per
    /// projection it manages; for a name, one). A server that sends statistics for more than
    /// kMaxProjections projections, or more than kMaxStatisticsBytes of them, is refused with a
    /// protocol-error instead of growing the list for as long as it sends: no server manages that many
    /// projections (each is a subsystem object with its own streams and, while running, a JavaScript
    /// runtime), and a projection's statistics are a few hundred bytes (names, status, positions, a
    /// fault's reason).
    static constexpr int kMaxProjections = 100000;
    static constexpr qint64 kMaxStatisticsBytes = qint64(32) << 20;

    ProjectionListResult list(Mode mode = Mode::All, const Credentials &credentials = std::nullopt) const;
    /// More than one reply for the name is refused (protocol-error): a server sends one.
    ProjectionStatusResult status(const QString &name, const Credentials &credentials = std::nullopt) const;
    /// One partition's state ("" = the projection's state when it is not partitioned).
    ProjectionValueResult state(const QString &name, const QString &partition = {},
                                const Credentials &credentials = std::nullopt) const;
    ProjectionValueResult result(const QString &name, const QString &partition = {},
                                 const Credentials &credentials = std::nullopt) const;

private:
    template<typename Result, typename Call>
    Result run(Call call) const;
    /// A call whose answer is empty (Create, Update, Delete, Enable, Disable, Reset).
    template<typename Resp, typename Req, typename Method>
    ProjectionCallResult command(const Req &req, Method method, const Credentials &credentials) const;

    std::shared_ptr<NodeConnection> m_connection;
    ClientError m_error;
};

} // namespace chronoscope
