#pragma once
// ProjectionCompare's first half: the projection's source folded locally over `$all` up to a position.
#include "projections/ProjectionCompare.h"

#include <QHash>
#include <QSet>

namespace chronoscope::projections {

/// The events one partition received locally.
struct PartitionTrail
{
    QList<PartitionEvent> events; ///< up to the cap
    quint64 count = 0;
    QSet<QByteArray> streams;
};

struct LocalFoldResult
{
    ClientError error;
    QString problem;
    bool cancelled = false;
    bool partitioned = false;
    QJsonValue state{QJsonValue::Undefined}; ///< JsReducer::state()
    QHash<QString, PartitionTrail> trails;   ///< by partition ("" when not partitioned)
    quint64 eventsRead = 0;
    quint64 eventsFolded = 0;
    QStringList foldErrors;
    /// The partitions with local state and their state.
    QHash<QString, QJsonValue> partitionStates() const;
};

struct LocalFoldRequest
{
    QString source;
    QString fileName;
    Position foldTo; ///< inclusive; Position::end(): to the head
    engine::JsEngineKind engine = engine::JsEngineKind::Default;
    int maxEventsPerPartition = 1000;
    ProjectionsClient::Credentials credentials;
};

/// Reads `$all` forwards (filtered on the server by the source's streams and categories where it can)
/// and folds what engine::feedRecordOf and JsReducer::selects let through, stopping after `foldTo`.
/// `progress` runs on the calling thread every few thousand records.
LocalFoldResult foldLocally(const StreamsClient &streams, const LocalFoldRequest &request,
                            const CancellationPtr &cancel,
                            const std::function<void(quint64 read, quint64 folded, Position reached)> &progress);

} // namespace chronoscope::projections
