#include "readmodel/DriftScan.h"

#include "client/StreamsClient.h"
#include "json/JsonDiff.h"
#include "readmodel/ReadModelTransform.h"

#include <QHash>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace chronoscope::readmodel {

QString AggregateDrift::statusName(Status status)
{
    switch (status) {
    case Status::Different: return QStringLiteral("different");
    case Status::MissingRow: return QStringLiteral("missing-row");
    case Status::RowWithoutEvents: return QStringLiteral("row-without-events");
    case Status::Unreadable: return QStringLiteral("unreadable");
    }
    return {};
}

namespace {

/// The read model's rows by aggregate id, filled by the row thread.
struct RowTable
{
    std::mutex mutex;
    QHash<QString, QJsonValue> rows;
    QHash<QString, QString> problems; ///< rows that could not be read, by id
    QHash<QString, int> duplicates;   ///< ids with more than one row: how many rows
    std::atomic<quint64> count{0};
};

struct Aggregate
{
    QString id;
    QList<RecordedEvent> events;
};

/// What one fold thread found.
struct Outcome
{
    QList<AggregateDrift> drifts;
    quint64 equal = 0;
};

AggregateDrift compare(const ReadModelMapping &mapping, const QString &id, const QJsonValue &state,
                       const QJsonValue &row, int maxPaths)
{
    AggregateDrift d;
    d.aggregateId = id;
    QStringList problems;
    const QJsonObject fold = mapping.foldShape(state, &problems, id);
    const QJsonObject read = mapping.rowShape(row, &problems, id);
    engine::DiffOptions options;
    options.buildTree = false;
    const engine::DiffResult diff = engine::JsonDiff::diff(fold, read, options);
    d.pathCount = int(diff.entries.size());
    for (const engine::DiffEntry &e : diff.entries) {
        if (d.paths.size() >= maxPaths)
            break;
        const QString path = e.path.display();
        if (!d.paths.contains(path)) {
            d.paths.append(path);
            d.values.append(DriftValue{path, e.before, e.after}); // the diff's before is the fold, after the row
        }
    }
    d.problem = problems.join(QStringLiteral("; "));
    return d;
}

} // namespace

DriftScan::DriftScan(const StreamsClient &client, ReadModelSource &rows, ReadModelMapping mapping,
                     ReducerFactory makeReducer, DriftScanOptions options)
    : m_client(client)
    , m_rows(rows)
    , m_mapping(std::move(mapping))
    , m_makeReducer(std::move(makeReducer))
    , m_options(options)
{}

DriftReport DriftScan::run(const CancellationPtr &cancelIn, const ProgressCallback &progress)
{
    DriftReport report;
    // Our own token: a failing side stops the other without touching the caller's token, which is
    // polled between events, batches and aggregates.
    const CancellationPtr cancel = std::make_shared<Cancellation>();
    auto userCancelled = [&cancelIn] { return cancelIn && cancelIn->isCancelled(); };
    auto stopping = [&] {
        if (userCancelled())
            cancel->cancel();
        return cancel->isCancelled();
    };
    auto tell = [&](const DriftProgress &p) {
        if (progress)
            progress(p);
    };

    // Rows: streamed in bulk on a thread of their own while the events are read here.
    RowTable table;
    std::thread rowThread([&] {
        report.rowsError = m_rows.scan(m_options.rowBatchSize, cancel, [&](const QList<ReadModelRow> &batch) {
            std::lock_guard<std::mutex> lock(table.mutex);
            for (const ReadModelRow &r : batch) {
                if (table.rows.contains(r.aggregateId))
                    table.duplicates[r.aggregateId] = table.duplicates.value(r.aggregateId, 1) + 1;
                else
                    table.rows.insert(r.aggregateId, r.raw);
                if (!r.problem.isEmpty())
                    table.problems.insert(r.aggregateId, r.problem);
            }
            table.count += quint64(batch.size());
            return !stopping();
        });
        if (report.rowsError)
            cancel->cancel(); // the scan cannot conclude: stop reading events too
    });

    // Events: one pass, partitioned by aggregate as they arrive.
    const QString prefix = m_mapping.category() + QLatin1Char('-');
    ReadRequest request = m_options.readCategoryStream
        ? ReadRequest::forStream(QByteArrayLiteral("$ce-") + m_mapping.category().toUtf8()).resolvingLinks()
        : ReadRequest::forAll().filtered(ReadFilter::streamPrefix({prefix}));
    QHash<QString, qsizetype> slot;
    QList<Aggregate> aggregates;
    quint64 events = 0;
    const ReadSummary summary = m_client.read(
        request,
        [&](ResolvedEvent &&e) {
            if (stopping())
                return false;
            if (!e.event)
                return true; // a link whose event is gone
            const std::optional<QString> id = m_mapping.aggregateIdOf(QString::fromUtf8(e.event->streamId));
            if (!id)
                return true;
            auto it = slot.constFind(*id);
            if (it == slot.constEnd()) {
                it = slot.insert(*id, aggregates.size());
                aggregates.append(Aggregate{*id, {}});
            }
            aggregates[*it].events.append(std::move(*e.event));
            if (++events % 10000 == 0)
                tell(DriftProgress{DriftProgress::Phase::Reading, events, table.count.load(), 0, 0});
            return true;
        },
        cancel);
    if (summary.error && summary.error.kind != ClientError::Kind::Cancelled)
        report.eventsError = summary.error;
    if (report.eventsError)
        cancel->cancel();
    rowThread.join();
    report.counts.events = events;
    report.counts.rows = table.count.load();
    report.counts.aggregates = quint64(aggregates.size());
    if (report.rowsError.kind == ReadModelError::Kind::Cancelled)
        report.rowsError = {}; // stopped by the user or by the events' failure: that is the story
    if (report.eventsError || report.rowsError)
        return report;
    if (stopping() || userCancelled()) {
        report.cancelled = true;
        return report;
    }

    // Folds: aggregates partitioned among the workers, each with its own reducer.
    const int workers = std::max(1, std::min(m_options.workers, int(aggregates.size())));
    std::vector<Outcome> outcomes(size_t(workers), Outcome{});
    std::atomic<quint64> folded{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
        threads.emplace_back([&, w] {
            Outcome &out = outcomes[size_t(w)];
            std::unique_ptr<engine::Reducer> reducer = m_makeReducer();
            const ReadModelTransform transform(m_mapping); // its engine belongs to this thread
            for (qsizetype i = w; i < aggregates.size(); i += workers) {
                if (cancel->isCancelled() || userCancelled())
                    return;
                const Aggregate &a = aggregates[i];
                ++folded;
                AggregateDrift d;
                d.aggregateId = a.id;
                QString foldProblem;
                QJsonValue state;
                if (!reducer) {
                    foldProblem = QStringLiteral("no reducer");
                } else {
                    reducer->reset();
                    std::vector<engine::FoldEvent> batch;
                    batch.reserve(size_t(a.events.size()));
                    for (qsizetype k = 0; k < a.events.size(); ++k)
                        batch.push_back(engine::FoldEvent{&a.events[k], nullptr, quint64(k)});
                    const engine::FoldResult r = reducer->fold(batch.data(), qsizetype(batch.size()));
                    if (r.stopped())
                        foldProblem = QStringLiteral("the fold stopped: ") + r.errors.constLast().message;
                    state = reducer->state();
                }
                const int rows = table.duplicates.value(a.id, table.rows.contains(a.id) ? 1 : 0);
                const QString rowProblem = rows > 1
                    ? QStringLiteral("the read model has %1 rows for %2").arg(rows).arg(m_mapping.streamOf(a.id))
                    : table.problems.value(a.id);
                if (!foldProblem.isEmpty() || !rowProblem.isEmpty()) {
                    d.status = AggregateDrift::Status::Unreadable;
                    d.problem = foldProblem.isEmpty() ? rowProblem : foldProblem;
                    out.drifts.append(d);
                } else if (rows == 0) {
                    d.status = AggregateDrift::Status::MissingRow;
                    out.drifts.append(d);
                } else if (const Coerced row = transform.apply(table.rows.value(a.id)); !row.ok()) {
                    d.status = AggregateDrift::Status::Unreadable;
                    d.problem = row.error;
                    out.drifts.append(d);
                } else {
                    d = compare(m_mapping, a.id, state, row.value, m_options.maxPathsPerAggregate);
                    if (d.pathCount == 0 && d.problem.isEmpty())
                        ++out.equal;
                    else
                        out.drifts.append(d);
                }
            }
        });
    }
    for (std::thread &t : threads) {
        while (folded.load() < quint64(aggregates.size()) && !stopping()) {
            tell(DriftProgress{DriftProgress::Phase::Folding, events, report.counts.rows, folded.load(),
                               report.counts.aggregates});
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        t.join();
    }
    if (stopping()) {
        report.cancelled = true;
        return report;
    }

    for (const Outcome &o : outcomes) {
        report.counts.equal += o.equal;
        report.drifts += o.drifts;
    }
    for (auto it = table.rows.constBegin(); it != table.rows.constEnd(); ++it) {
        if (!slot.contains(it.key())) {
            AggregateDrift d;
            d.aggregateId = it.key();
            d.status = AggregateDrift::Status::RowWithoutEvents;
            report.drifts.append(d);
        }
    }
    for (const AggregateDrift &d : std::as_const(report.drifts)) {
        switch (d.status) {
        case AggregateDrift::Status::Different: ++report.counts.different; break;
        case AggregateDrift::Status::MissingRow: ++report.counts.missingRow; break;
        case AggregateDrift::Status::RowWithoutEvents: ++report.counts.rowWithoutEvents; break;
        case AggregateDrift::Status::Unreadable: ++report.counts.unreadable; break;
        }
    }
    std::sort(report.drifts.begin(), report.drifts.end(),
              [](const AggregateDrift &a, const AggregateDrift &b) { return a.aggregateId < b.aggregateId; });
    tell(
        DriftProgress{DriftProgress::Phase::Done, events, report.counts.rows, folded.load(), report.counts.aggregates});
    return report;
}

} // namespace chronoscope::readmodel
