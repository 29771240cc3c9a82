#pragma once
// Is the server's projection right? ProjectionCompare folds a projection's source locally — with the
// core's JsReducer, the engine the sandbox runs user projections with — over the events of `$all` up to
// the position the projection reports (Statistics), not to the head, then fetches every partition's
// state from the server (many calls in flight) and compares each one (issue 13 item 4, PRODUCT.md F7).
//
// Usage, blocking (CLI, tests, a worker thread):
//
//     projections::ProjectionCompareOptions options;
//     options.name = QStringLiteral("order-totals");
//     options.localSource = sourceOfFile; // none: the server's own source
//     projections::ProjectionCompare compare(streams, projectionsClient, options);
//     auto report = compare.run(cancel, onProgress, [](const projections::PartitionComparison &p) { ... });
//     if (!report.complete()) ... report.error / report.problem / report.cancelled
//     report.counts.differing() == 0 → every partition equal; report.definition.differs → source drift
//
// Usage, GUI (the thread that owns the runner never blocks; results arrive in batches as they come):
//
//     auto *runner = new projections::ProjectionCompareRunner(this);
//     runner->setClients(streamsClient, projectionsClient);
//     connect(runner, &ProjectionCompareRunner::progressChanged, ...);
//     connect(runner, &ProjectionCompareRunner::partitionsCompared, ...); // every partition, equal ones too
//     connect(runner, &ProjectionCompareRunner::finished, ...);           // the report (differences only)
//     runner->start(options);  ...  runner->cancel();
//
// A partition that is not equal carries the events that fed it (PartitionComparison::events) so a view
// can open them; firstDivergence() says after which of them two sources' states part.
#include "base/Cancellation.h"
#include "base/JobTracker.h"
#include "client/ProjectionsClient.h"
#include "model/ClientError.h"
#include "model/Types.h"
#include "script/ProjectionEngine.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace chronoscope {
class StreamsClient;
}

namespace chronoscope::projections {

struct ProjectionCompareOptions
{
    QString name;                       ///< the projection, as the server names it
    std::optional<QString> localSource; ///< the source to fold (a local file's); none: the server's own
    QString localFileName;              ///< shown in fold errors, e.g. "order-totals.js"
    /// Fold up to here instead of the projection's reported position (tests, "what if"); none: its position.
    std::optional<Position> foldTo;
    int concurrency = 64;             ///< State calls in flight at once
    int maxPathsPerPartition = 50;    ///< differing paths kept per partition (pathCount is always exact)
    int maxEventsPerPartition = 1000; ///< events kept per partition that is not equal (eventCount is exact)
    engine::JsEngineKind engine = engine::JsEngineKind::Default;
    ProjectionsClient::Credentials credentials; ///< for both clients' calls; none: the connection's
};

/// One event that reached a partition's handlers: enough for a view to open it.
struct PartitionEvent
{
    QByteArray stream;
    quint64 revision = 0;
    Position position;
    QByteArray type;
};

/// One partition: what the local fold says against what the server says.
struct PartitionComparison
{
    enum class Status {
        Equal,
        Different,       ///< both have state; `paths` lists where they disagree
        MissingOnServer, ///< the local fold has state, the server answers `{}`
        MissingLocally,  ///< the server has state (its checkpoint names the partition), the local fold none
        Unreadable,      ///< the server's State call failed for it; see `problem`
    };
    QString partition; ///< "" for a projection that is not partitioned
    Status status = Status::Equal;
    QStringList paths; ///< where they differ, as JsonPath::display() shows it ("/total")
    int pathCount = 0;
    QJsonValue local{QJsonValue::Undefined};  ///< the local fold's state (Undefined: none)
    QJsonValue server{QJsonValue::Undefined}; ///< the server's state (Undefined: the call failed)
    QString problem;
    /// The partition's events in order (kept only when not equal): those of the streams the local source
    /// reads that its partitioning puts here, with or without a handler of its own (another source's may).
    QList<PartitionEvent> events;
    quint64 eventCount = 0;                   ///< all of them
    QStringList streams;                      ///< the streams they came from
    static QString statusName(Status status); ///< "equal", "different", "missing-on-server", …
};

struct ProjectionCompareCounts
{
    quint64 partitions = 0;
    quint64 equal = 0;
    quint64 different = 0;
    quint64 missingOnServer = 0;
    quint64 missingLocally = 0;
    quint64 unreadable = 0;
    quint64 differing() const { return different + missingOnServer + missingLocally + unreadable; }
};

/// The source the server runs against the local one, by SHA-256 of their UTF-8 text.
struct DefinitionDrift
{
    QString serverSource;
    QByteArray serverSha256; ///< hex
    QByteArray localSha256;  ///< hex; empty when no local source was given
    bool localGiven = false;
    bool differs = false; ///< a local source was given and its hash is not the server's
};

struct ProjectionCompareProgress
{
    enum class Phase { Preparing, Folding, Fetching, Done };
    Phase phase = Phase::Preparing;
    quint64 eventsRead = 0;   ///< records of `$all` read so far
    quint64 eventsFolded = 0; ///< of those, events that reached a handler
    Position foldTo;          ///< where the fold stops
    Position reached;         ///< the last record read
    quint64 partitions = 0;   ///< known once folding ends
    quint64 fetched = 0;      ///< partitions compared so far
};

struct ProjectionCompareReport
{
    ClientError error; ///< a call failed (the projection is unknown: NotFound, …)
    QString problem;   ///< the source does not load, the position cannot be read, the fold failed
    bool cancelled = false;
    ProjectionDetails details;    ///< the projection's statistics when the comparison started
    Position foldedTo;            ///< the position the fold stopped at (inclusive)
    bool positionBounded = false; ///< false: the reported position was not a `C:/P:` tag, folded to the head
    quint64 eventsFolded = 0;
    QStringList foldErrors; ///< handler errors of the local fold (it went on past them)
    DefinitionDrift definition;
    ProjectionCompareCounts counts;
    QList<PartitionComparison> differences; ///< every partition that is not equal, by partition name
    double foldSeconds = 0;
    double fetchSeconds = 0;
    bool complete() const { return !error && problem.isEmpty() && !cancelled; }
};

/// After which event two sources' states of one partition first part (firstDivergence()).
struct PartitionDivergence
{
    ClientError error;
    QString problem;
    int index = -1;                           ///< into the events given; -1: they never part
    QJsonValue before{QJsonValue::Undefined}; ///< first source's partition state after that event
    QJsonValue after{QJsonValue::Undefined};  ///< second source's
    qint64 createdMs = 0;                     ///< that event's time (ms since the epoch, UTC)
    int eventsRead = 0;                       ///< events read and folded (all of them when they never part)
    bool cancelled = false;
};

/// The comparison itself, blocking: run it on a worker thread (the runner below does). Progress and
/// partitions are reported on the calling thread, cancel from anywhere.
class ProjectionCompare
{
public:
    using ProgressCallback = std::function<void(const ProjectionCompareProgress &)>;
    /// Every partition as soon as it is compared (equal ones too, without their events).
    using PartitionCallback = std::function<void(const PartitionComparison &)>;

    /// Both clients must outlive the comparison; they are used from several threads at once.
    ProjectionCompare(const StreamsClient &streams, const ProjectionsClient &projections,
                      ProjectionCompareOptions options);

    ProjectionCompareReport run(const CancellationPtr &cancel = nullptr, const ProgressCallback &progress = {},
                                const PartitionCallback &onPartition = {});

    /// The source the server runs: the `query` of the last `$ProjectionUpdated` in `$projections-NAME`.
    static QString serverSource(const StreamsClient &streams, const QString &name, ClientError *error,
                                const ProjectionsClient::Credentials &credentials = std::nullopt);
    /// Lower-case hex SHA-256 of the source's UTF-8 text.
    static QByteArray sha256(const QString &source);
    /// "C:<commit>/P:<prepare>" → the position; none for other tags (stream-based ones, "C:-1/P:-1").
    static std::optional<Position> positionOfTag(const QString &tag);
    /// Reads `events` (one partition's, as a comparison gave them) and folds them with `sourceA` and
    /// `sourceB`, returning the first event after which `partition`'s states differ. `progress` is
    /// called with the events folded so far.
    static PartitionDivergence firstDivergence(const StreamsClient &streams, const QString &sourceA,
                                               const QString &sourceB, const QString &partition,
                                               const QList<PartitionEvent> &events,
                                               const CancellationPtr &cancel = nullptr,
                                               const std::function<void(int done)> &progress = {});

private:
    const StreamsClient &m_streams;
    const ProjectionsClient &m_projections;
    ProjectionCompareOptions m_options;
};

/// Runs a ProjectionCompare on a worker thread for a GUI: latest start wins, cancel() stops it; the
/// signals arrive on the runner's thread.
class ProjectionCompareRunner : public QObject
{
    Q_OBJECT
public:
    explicit ProjectionCompareRunner(QObject *parent = nullptr);
    ~ProjectionCompareRunner() override;

    void setClients(std::shared_ptr<const StreamsClient> streams, std::shared_ptr<const ProjectionsClient> projections);
    void start(const ProjectionCompareOptions &options);
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progressChanged(const chronoscope::projections::ProjectionCompareProgress &progress);
    /// Compared partitions, in batches (at most every 100 ms).
    void partitionsCompared(const QList<chronoscope::projections::PartitionComparison> &partitions);
    void finished(const chronoscope::projections::ProjectionCompareReport &report);

private:
    std::shared_ptr<const StreamsClient> m_streams;
    std::shared_ptr<const ProjectionsClient> m_projections;
    bool m_running = false;
    JobTracker m_jobs{this}; // last: its destructor waits for the worker
};

} // namespace chronoscope::projections

Q_DECLARE_METATYPE(chronoscope::projections::ProjectionCompareProgress)
Q_DECLARE_METATYPE(chronoscope::projections::PartitionComparison)
Q_DECLARE_METATYPE(chronoscope::projections::ProjectionCompareReport)
