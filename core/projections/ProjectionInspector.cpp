#include "projections/ProjectionInspector.h"

#include "client/StreamsClient.h"
#include "model/ReadRequest.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace chronoscope {

namespace {

/// The last event of `stream` (none when it is empty or absent; a missing stream is no error).
std::optional<RecordedEvent> lastEvent(const StreamsClient &streams, const QByteArray &stream,
                                       const CancellationPtr &cancel, ClientError *error)
{
    ReadRequest request = ReadRequest::forStream(stream, Direction::Backwards);
    request.maxCount = 1;
    std::optional<RecordedEvent> last;
    const ReadSummary summary = streams.read(
        request,
        [&last](ResolvedEvent &&e) {
            last = e.originalEvent();
            return false;
        },
        cancel);
    if (summary.error && summary.error.kind != ClientError::Kind::StreamNotFound
        && summary.error.kind != ClientError::Kind::StreamDeleted)
        *error = summary.error;
    return last;
}

} // namespace

ProjectionInspector::ProjectionInspector(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<ProjectionDefinition>();
    qRegisterMetaType<ProjectionPartitions>();
    qRegisterMetaType<ProjectionPartitionValues>();
}

ProjectionInspector::~ProjectionInspector() = default;

void ProjectionInspector::setClients(std::shared_ptr<const ProjectionsClient> projections,
                                     std::shared_ptr<const StreamsClient> streams)
{
    cancel();
    m_projections = std::move(projections);
    m_streams = std::move(streams);
}

void ProjectionInspector::cancel()
{
    m_definitionJob.cancel();
    m_partitionJob.cancel();
}

bool ProjectionInspector::sourcePartitions(const QString &query)
{
    static const QRegularExpression re(QStringLiteral("\\b(foreachStream|partitionBy)\\s*\\("));
    return re.match(query).hasMatch();
}

ProjectionDefinition ProjectionInspector::readDefinition(const StreamsClient &streams, const QString &name,
                                                         const CancellationPtr &cancel)
{
    ProjectionDefinition d;
    d.name = name;
    const std::optional<RecordedEvent> last = lastEvent(streams, QByteArrayLiteral("$projections-") + name.toUtf8(),
                                                        cancel, &d.error);
    if (!last || last->type != QByteArrayLiteral("$ProjectionUpdated"))
        return d;
    const QJsonObject o = QJsonDocument::fromJson(last->data).object();
    d.found = o.contains(QLatin1String("query"));
    d.query = o.value(QLatin1String("query")).toString();
    d.mode = o.value(QLatin1String("mode")).toVariant().toString();
    d.emitEnabled = o.value(QLatin1String("emitEnabled")).toBool();
    d.trackEmittedStreams = o.value(QLatin1String("trackEmittedStreams")).toBool();
    d.version = o.value(QLatin1String("version")).toInteger(-1);
    return d;
}

ProjectionPartitions ProjectionInspector::readPartitions(const StreamsClient &streams, const QString &name,
                                                         bool partitioned, const CancellationPtr &cancel)
{
    ProjectionPartitions p;
    p.partitioned = partitioned;
    if (!partitioned) {
        p.partitions = {QString()};
        return p;
    }
    const std::optional<RecordedEvent> checkpoint = lastEvent(
        streams, QByteArrayLiteral("$projections-") + name.toUtf8() + QByteArrayLiteral("-checkpoint"), cancel,
        &p.error);
    if (!checkpoint)
        return p;
    const QJsonObject state = QJsonDocument::fromJson(checkpoint->data).object();
    for (auto it = state.begin(); it != state.end(); ++it)
        if (it.key() != QLatin1String("$shared"))
            p.partitions.append(it.key());
    return p;
}

void ProjectionInspector::load(const QString &name)
{
    m_partitionJob.cancel();
    if (!m_streams)
        return;
    m_definitionJob.start([this, name, streams = m_streams](const JobTracker::Job &job) {
        ProjectionDefinition definition = readDefinition(*streams, name, job.cancellation());
        ProjectionPartitions partitions = readPartitions(*streams, name, sourcePartitions(definition.query),
                                                         job.cancellation());
        job.post([this, definition, partitions] { Q_EMIT loaded(definition, partitions); });
    });
}

void ProjectionInspector::loadPartition(const QString &name, const QString &partition)
{
    if (!m_projections)
        return;
    m_partitionJob.start([this, name, partition, projections = m_projections](const JobTracker::Job &job) {
        ProjectionPartitionValues values;
        values.name = name;
        values.partition = partition;
        const ProjectionValueResult state = projections->state(name, partition);
        values.stateError = state.error;
        values.state = state.value;
        if (job.isCancelled())
            return;
        const ProjectionValueResult result = projections->result(name, partition);
        values.resultError = result.error;
        values.result = result.value;
        job.post([this, values] { Q_EMIT partitionLoaded(values); });
    });
}

} // namespace chronoscope
