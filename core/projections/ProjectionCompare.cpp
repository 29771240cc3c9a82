#include "projections/ProjectionCompare.h"

#include "client/StreamsClient.h"
#include "projections/PartitionFetch.h"
#include "projections/ProjectionLocalFold.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

namespace chronoscope::projections {

namespace {

/// The data of the last event of `stream` of `type` (any type when empty), parsed; Undefined when none.
QJsonValue lastJsonOf(const StreamsClient &streams, const QByteArray &stream, const QByteArray &type,
                      const ProjectionsClient::Credentials &credentials, ClientError *error)
{
    QJsonValue found{QJsonValue::Undefined};
    const ReadSummary summary = streams.read(
        ReadRequest::forStream(stream, Direction::Backwards),
        [&](ResolvedEvent &&r) {
            const RecordedEvent &e = r.originalEvent();
            if (!type.isEmpty() && e.type != type)
                return true;
            const QJsonDocument doc = QJsonDocument::fromJson(e.data);
            found = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(QJsonValue::Null);
            return false;
        },
        nullptr, credentials);
    if (summary.error && summary.error.kind != ClientError::Kind::StreamNotFound && error)
        *error = summary.error;
    return found;
}

/// Partitions the server's last checkpoint names (the sandbox keeps a partitioned projection's whole
/// state in `$projections-NAME-checkpoint`; upstream keeps one checkpoint stream per partition, which
/// cannot be listed: there only the local fold's partitions are asked for).
QStringList checkpointPartitions(const StreamsClient &streams, const QString &name,
                                 const ProjectionsClient::Credentials &credentials)
{
    const QJsonValue cp = lastJsonOf(streams,
                                     (QStringLiteral("$projections-") + name + QStringLiteral("-checkpoint")).toUtf8(),
                                     QByteArrayLiteral("$ProjectionCheckpoint"), credentials, nullptr);
    QStringList keys = cp.toObject().keys();
    keys.removeAll(QStringLiteral("$shared"));
    return keys;
}

double seconds(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e9;
}

} // namespace

QString PartitionComparison::statusName(Status status)
{
    switch (status) {
    case Status::Equal: return QStringLiteral("equal");
    case Status::Different: return QStringLiteral("different");
    case Status::MissingOnServer: return QStringLiteral("missing-on-server");
    case Status::MissingLocally: return QStringLiteral("missing-locally");
    case Status::Unreadable: return QStringLiteral("unreadable");
    }
    return {};
}

ProjectionCompare::ProjectionCompare(const StreamsClient &streams, const ProjectionsClient &projections,
                                     ProjectionCompareOptions options)
    : m_streams(streams), m_projections(projections), m_options(std::move(options))
{}

QString ProjectionCompare::serverSource(const StreamsClient &streams, const QString &name, ClientError *error,
                                        const ProjectionsClient::Credentials &credentials)
{
    ClientError readError;
    const QJsonValue definition = lastJsonOf(streams, (QStringLiteral("$projections-") + name).toUtf8(),
                                             QByteArrayLiteral("$ProjectionUpdated"), credentials, &readError);
    if (readError) {
        if (error)
            *error = readError;
        return {};
    }
    if (!definition.isObject()) {
        if (error)
            *error = ClientError::protocol(
                QStringLiteral("projection '%1' has no definition in $projections-%1").arg(name));
        return {};
    }
    return definition.toObject().value(QLatin1String("query")).toString();
}

QByteArray ProjectionCompare::sha256(const QString &source)
{
    return QCryptographicHash::hash(source.toUtf8(), QCryptographicHash::Sha256).toHex();
}

std::optional<Position> ProjectionCompare::positionOfTag(const QString &tag)
{
    static const QRegularExpression pattern(QStringLiteral("^C:(\\d+)/P:(\\d+)$"));
    const QRegularExpressionMatch m = pattern.match(tag.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    bool okC = false, okP = false;
    const Position p{m.captured(1).toULongLong(&okC), m.captured(2).toULongLong(&okP)};
    if (!okC || !okP)
        return std::nullopt;
    return p;
}

ProjectionCompareReport ProjectionCompare::run(const CancellationPtr &cancel, const ProgressCallback &progress,
                                               const PartitionCallback &onPartition)
{
    ProjectionCompareReport report;
    ProjectionCompareProgress state;
    auto tell = [&]() {
        if (progress)
            progress(state);
    };
    tell();
    const ProjectionStatusResult status = m_projections.status(m_options.name, m_options.credentials);
    if (status.error) {
        report.error = status.error;
        return report;
    }
    report.details = status.details;

    // The definitions: the server's source, and the local one beside it by hash.
    ClientError sourceError;
    report.definition.serverSource = serverSource(m_streams, m_options.name, &sourceError, m_options.credentials);
    report.definition.serverSha256 = sourceError ? QByteArray() : sha256(report.definition.serverSource);
    if (m_options.localSource) {
        report.definition.localGiven = true;
        report.definition.localSha256 = sha256(*m_options.localSource);
        report.definition.differs = !report.definition.serverSha256.isEmpty()
            && report.definition.localSha256 != report.definition.serverSha256; // unknown when unreadable
    } else if (sourceError) {
        report.error = sourceError;
        return report;
    }

    // Where the fold stops: the projection's reported position (inclusive).
    const QString tag = report.details.position;
    const bool nothingYet = tag.startsWith(QLatin1String("C:-1"));
    std::optional<Position> foldTo = m_options.foldTo ? m_options.foldTo : positionOfTag(tag);
    report.positionBounded = foldTo.has_value() || nothingYet;
    report.foldedTo = foldTo.value_or(Position::end());
    state.foldTo = report.foldedTo;
    state.phase = ProjectionCompareProgress::Phase::Folding;
    tell();

    QElapsedTimer timer;
    timer.start();
    LocalFoldResult local;
    if (nothingYet && !m_options.foldTo) {
        local.partitioned = true; // nothing processed: no partition on either side to fold
        local.state = QJsonObject();
    } else {
        LocalFoldRequest request;
        request.source = m_options.localSource.value_or(report.definition.serverSource);
        request.fileName = m_options.localFileName.isEmpty() ? m_options.name + QStringLiteral(".js")
                                                             : m_options.localFileName;
        request.foldTo = report.foldedTo;
        request.engine = m_options.engine;
        request.maxEventsPerPartition = m_options.maxEventsPerPartition;
        request.credentials = m_options.credentials;
        local = foldLocally(m_streams, request, cancel, [&](quint64 read, quint64 folded, Position reached) {
            state.eventsRead = read;
            state.eventsFolded = folded;
            state.reached = reached;
            tell();
        });
    }
    report.foldSeconds = seconds(timer);
    report.eventsFolded = local.eventsFolded;
    report.foldErrors = local.foldErrors;
    report.cancelled = local.cancelled;
    if (local.error || !local.problem.isEmpty() || local.cancelled) {
        report.error = local.error;
        report.problem = local.problem;
        return report;
    }

    // Every partition either side knows of.
    const QHash<QString, QJsonValue> localStates = local.partitionStates();
    QList<PartitionInput> inputs;
    inputs.reserve(localStates.size());
    for (auto it = localStates.begin(); it != localStates.end(); ++it)
        inputs.append({it.key(), it.value()});
    if (local.partitioned)
        for (const QString &key : checkpointPartitions(m_streams, m_options.name, m_options.credentials))
            if (!localStates.contains(key))
                inputs.append({key, QJsonValue(QJsonValue::Undefined)});
    std::sort(inputs.begin(), inputs.end(),
              [](const PartitionInput &a, const PartitionInput &b) { return a.partition < b.partition; });
    state.phase = ProjectionCompareProgress::Phase::Fetching;
    state.partitions = quint64(inputs.size());
    tell();

    timer.restart();
    QElapsedTimer sinceTold;
    sinceTold.start();
    PartitionFetchRequest fetch{m_options.name, m_options.credentials, m_options.concurrency,
                                m_options.maxPathsPerPartition};
    const bool finished = fetchAndCompare(m_projections, fetch, inputs, cancel, [&](PartitionComparison &&c) {
        const auto trail = local.trails.constFind(c.partition);
        if (trail != local.trails.cend()) {
            c.eventCount = trail->count;
            for (const QByteArray &s : trail->streams)
                c.streams.append(QString::fromUtf8(s));
            c.streams.sort();
        }
        ProjectionCompareCounts &n = report.counts;
        ++n.partitions;
        switch (c.status) {
        case PartitionComparison::Status::Equal: ++n.equal; break;
        case PartitionComparison::Status::Different: ++n.different; break;
        case PartitionComparison::Status::MissingOnServer: ++n.missingOnServer; break;
        case PartitionComparison::Status::MissingLocally: ++n.missingLocally; break;
        case PartitionComparison::Status::Unreadable: ++n.unreadable; break;
        }
        if (c.status != PartitionComparison::Status::Equal && trail != local.trails.cend())
            c.events = trail->events;
        if (onPartition)
            onPartition(c);
        if (c.status != PartitionComparison::Status::Equal)
            report.differences.append(std::move(c));
        ++state.fetched;
        if (sinceTold.elapsed() >= 50) {
            sinceTold.restart();
            tell();
        }
    });
    report.fetchSeconds = seconds(timer);
    report.cancelled = !finished;
    std::sort(report.differences.begin(), report.differences.end(),
              [](const PartitionComparison &a, const PartitionComparison &b) { return a.partition < b.partition; });
    state.phase = ProjectionCompareProgress::Phase::Done;
    tell();
    return report;
}

} // namespace chronoscope::projections
