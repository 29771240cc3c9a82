#pragma once

#include "base/JobTracker.h"
#include "client/ProjectionsClient.h"

#include <QJsonValue>
#include <QObject>
#include <QStringList>

#include <memory>

namespace chronoscope {

class StreamsClient;

/// A projection's definition as the server persisted it: the last `$ProjectionUpdated` of
/// `$projections-NAME` (docs/PROJECTIONS.md, "Streams"). System projections have none: their source is
/// built into the server.
struct ProjectionDefinition
{
    ClientError error;
    bool found = false;
    QString name;
    QString query;
    QString mode;
    bool emitEnabled = false;
    bool trackEmittedStreams = false;
    qint64 version = -1;
};

/// The partitions a projection has state for: the keys of the state in its last checkpoint
/// (`$projections-NAME-checkpoint`) when its source partitions (`foreachStream()`, `partitionBy()`);
/// one partition "" otherwise.
struct ProjectionPartitions
{
    ClientError error;
    bool partitioned = false;
    QStringList partitions;
};

/// One partition's state and result, as the server answers them.
struct ProjectionPartitionValues
{
    QString name;
    QString partition;
    ClientError stateError;
    QJsonValue state;
    ClientError resultError;
    QJsonValue result;
};

/// Reads one projection for the pane, in a worker: its definition and partitions (load()), then a
/// partition's state and result (loadPartition()). Each answer is a signal; a newer request drops the
/// answer of the one before.
class ProjectionInspector : public QObject
{
    Q_OBJECT
public:
    explicit ProjectionInspector(QObject *parent = nullptr);
    ~ProjectionInspector() override;

    void setClients(std::shared_ptr<const ProjectionsClient> projections, std::shared_ptr<const StreamsClient> streams);

    void load(const QString &name);
    void loadPartition(const QString &name, const QString &partition);
    void cancel();

    /// Whether `query` partitions its state (foreachStream(), partitionBy()).
    static bool sourcePartitions(const QString &query);
    static ProjectionDefinition readDefinition(const StreamsClient &streams, const QString &name,
                                               const CancellationPtr &cancel = nullptr);
    static ProjectionPartitions readPartitions(const StreamsClient &streams, const QString &name, bool partitioned,
                                               const CancellationPtr &cancel = nullptr);

Q_SIGNALS:
    void loaded(const chronoscope::ProjectionDefinition &definition,
                const chronoscope::ProjectionPartitions &partitions);
    void partitionLoaded(const chronoscope::ProjectionPartitionValues &values);

private:
    std::shared_ptr<const ProjectionsClient> m_projections;
    std::shared_ptr<const StreamsClient> m_streams;
    JobTracker m_definitionJob{this};
    JobTracker m_partitionJob{this};
};

} // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::ProjectionDefinition)
Q_DECLARE_METATYPE(chronoscope::ProjectionPartitions)
Q_DECLARE_METATYPE(chronoscope::ProjectionPartitionValues)
