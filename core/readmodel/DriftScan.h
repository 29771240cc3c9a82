#pragma once

#include "model/ClientError.h"
#include "model/Reducer.h"
#include "readmodel/ReadModelMapping.h"
#include "readmodel/ReadModelSource.h"

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace chronoscope {
class StreamsClient;
}

namespace chronoscope::readmodel {

struct DriftScanOptions
{
    int workers = 2;         ///< fold threads; each takes the next aggregates in turn
    int rowBatchSize = 2000; ///< rows per batch from the read model
    /// Read `$ce-<category>` (links resolved) instead of `$all` filtered on the server by the stream prefix.
    bool readCategoryStream = false;
    int maxPathsPerAggregate = 50; ///< differing paths kept per aggregate (the count is always exact)
    /// Bytes the events kept until the read ends may take (about 600 per event of the demo's orders); past it
    /// the scan stops with DriftReport::limitError rather than take the machine's memory. 0: half of it.
    quint64 memoryBudget = 0;
};

/// One differing path: the fold's value and the row's there (Undefined where that side has none).
struct DriftValue
{
    QString path; ///< as in AggregateDrift::paths
    QJsonValue fold{QJsonValue::Undefined};
    QJsonValue row{QJsonValue::Undefined};
};

/// One aggregate whose read model does not say what its events say.
struct AggregateDrift
{
    enum class Status {
        Different,        ///< both exist; `paths` lists where they disagree
        MissingRow,       ///< events, but no row
        RowWithoutEvents, ///< a row, but no events
        Unreadable,       ///< the fold failed, or the read model has several rows for it; see `problem`
    };
    QString aggregateId;
    Status status = Status::Different;
    QStringList paths;        ///< where they differ, as JsonPath::display() shows it ("/state/total")
    int pathCount = 0;        ///< all of them, even beyond maxPathsPerAggregate
    QList<DriftValue> values; ///< one per path in `paths`, in the same order: what each side says there
    QString problem;          ///< fold errors, values that did not coerce, duplicate rows
    static QString statusName(Status status);
};

struct DriftCounts
{
    quint64 events = 0;     ///< events of the category read
    quint64 rows = 0;       ///< read-model rows read
    quint64 aggregates = 0; ///< aggregates with events
    quint64 equal = 0;
    quint64 different = 0;
    quint64 missingRow = 0;
    quint64 rowWithoutEvents = 0;
    quint64 unreadable = 0;
    quint64 drifted() const { return different + missingRow + rowWithoutEvents + unreadable; }
};

struct DriftProgress
{
    enum class Phase { Reading, Folding, Done };
    Phase phase = Phase::Reading;
    quint64 events = 0;
    quint64 rows = 0;
    quint64 folded = 0;
    quint64 aggregates = 0; ///< known once reading ends
};

struct DriftReport
{
    DriftCounts counts;
    QList<AggregateDrift> drifts; ///< every aggregate that is not equal, by aggregate id
    ClientError eventsError;      ///< reading the events failed: no drift is reported then
    ReadModelError rowsError;     ///< reading the rows failed: no drift is reported then
    bool cancelled = false;
    QString limitError; ///< the scan stopped at a limit (DriftScanOptions::memoryBudget): why, in a sentence
    bool complete() const { return !eventsError && !rowsError && !cancelled && limitError.isEmpty(); }
};

/// The drift scan (issue 14, PRODUCT.md F8): one pass over a category's events and one over its read
/// model's rows (both streamed, at the same time). Events are sorted by aggregate as they arrive; then worker
/// threads fold the aggregates — each with its own reducer, taking the next ones in turn — and compare them
/// with their rows through the mapping. Blocking: run it on a worker thread; progress is reported from the
/// calling thread, cancel from anywhere.
class DriftScan
{
public:
    /// Builds a fresh reducer; called once on each fold thread (JavaScript engines belong to their thread).
    using ReducerFactory = std::function<std::unique_ptr<engine::Reducer>()>;
    using ProgressCallback = std::function<void(const DriftProgress &)>;

    /// `client` and `rows` must outlive the scan; `rows` is used from a thread of the scan's own.
    DriftScan(const StreamsClient &client, ReadModelSource &rows, ReadModelMapping mapping, ReducerFactory makeReducer,
              DriftScanOptions options = {});

    DriftReport run(const CancellationPtr &cancel = nullptr, const ProgressCallback &progress = {});

private:
    const StreamsClient &m_client;
    ReadModelSource &m_rows;
    ReadModelMapping m_mapping;
    ReducerFactory m_makeReducer;
    DriftScanOptions m_options;
};

} // namespace chronoscope::readmodel
