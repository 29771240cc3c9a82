#include "readmodel/DriftScan.h"

#include "client/StreamsClient.h"
#include "readmodel/DriftCompare.h"

#include <QHash>
#include <QLocale>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iterator>
#include <mutex>
#include <thread>

#include <unistd.h>

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

/// Where a row is: its block (RowTable::blocks) and its place there.
struct RowRef
{
    quint32 block = 0;
    quint32 row = 0;
};

/// The read model's rows by aggregate id, filled by the row thread. The rows stay in their blocks, as the
/// source gave them: a fold thread builds only the values it compares.
struct RowTable
{
    std::mutex mutex;
    std::vector<RowBlockPtr> blocks;
    QHash<QString, RowRef> rows;
    QHash<QString, QString> problems; ///< rows that could not be read, by id
    QHash<QString, int> duplicates;   ///< ids with more than one row: how many rows
    std::atomic<quint64> count{0};
};

struct Aggregate
{
    QString id;
    std::vector<RecordedEvent> events;
};

/// Events already folded, handed back to be freed on the thread that read them (DriftScan::run's): their bytes
/// came from that thread's malloc arena, and two fold threads freeing into it at once queued on its lock (a
/// third of their time went to freeing, much of it waiting).
struct Spent
{
    using Batch = std::vector<std::vector<RecordedEvent>>;
    static constexpr size_t kBatch = 64; ///< aggregates' events per hand-over

    std::mutex mutex;
    std::condition_variable ready;
    Batch queue;

    /// A fold thread: hands its batch over (emptied).
    void give(Batch &batch)
    {
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (queue.empty())
                queue.swap(batch);
            else
                std::move(batch.begin(), batch.end(), std::back_inserter(queue));
        }
        batch.clear();
        ready.notify_one();
    }
    /// The reading thread: frees what has been handed over, waiting up to `wait` for some.
    void free(std::chrono::milliseconds wait)
    {
        Batch got;
        std::unique_lock<std::mutex> lock(mutex);
        ready.wait_for(lock, wait, [this] { return !queue.empty(); });
        got.swap(queue);
        lock.unlock(); // `got` goes here, outside the lock
    }
};

/// This machine's memory in bytes (8 GiB where it cannot be told).
quint64 physicalMemory()
{
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
    const long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && size > 0)
        return quint64(pages) * quint64(size);
#endif
    return quint64(8) << 30;
}

/// One folded aggregate against its row: equal (counted), or its drift appended.
void compareOne(const QString &id, const QString &foldProblem, const engine::Reducer *reducer,
                const DriftComparer &comparer, const ReadModelMapping &mapping, const RowTable &table,
                QList<AggregateDrift> &drifts, quint64 &equal)
{
    // One lookup of the row; the (usually empty) duplicates and problems only when they hold any.
    const auto row = table.rows.constFind(id);
    const int rows = row == table.rows.constEnd() ? 0 : table.duplicates.isEmpty() ? 1 : table.duplicates.value(id, 1);
    const QString rowProblem = rows > 1
        ? QStringLiteral("the read model has %1 rows for %2").arg(rows).arg(mapping.streamOf(id))
        : table.problems.isEmpty() ? QString()
                                   : table.problems.value(id);
    AggregateDrift d;
    if (!foldProblem.isEmpty() || !rowProblem.isEmpty()) {
        d.status = AggregateDrift::Status::Unreadable;
        d.problem = foldProblem.isEmpty() ? rowProblem : foldProblem;
    } else if (rows == 0) {
        d.status = AggregateDrift::Status::MissingRow;
    } else if (std::optional<AggregateDrift> drift = comparer.compare(id, *reducer, *table.blocks[row->block],
                                                                      qsizetype(row->row))) {
        drifts.append(std::move(*drift));
        return;
    } else {
        ++equal;
        return;
    }
    d.aggregateId = id;
    drifts.append(d);
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
        report.rowsError = m_rows.scanBlocks(m_options.rowBatchSize, cancel, [&](const RowBlockPtr &block) {
            std::lock_guard<std::mutex> lock(table.mutex);
            const auto b = quint32(table.blocks.size());
            table.blocks.push_back(block);
            const qsizetype n = block->size();
            table.rows.reserve(table.rows.size() + n);
            for (qsizetype i = 0; i < n; ++i) {
                const QString id = block->aggregateId(i);
                const qsizetype before = table.rows.size();
                RowRef &ref = table.rows[id]; // one lookup: the first row of an id is the one kept
                if (table.rows.size() == before)
                    table.duplicates[id] = table.duplicates.value(id, 1) + 1;
                else
                    ref = RowRef{b, quint32(i)};
                if (QString problem = block->problem(i); !problem.isEmpty())
                    table.problems.insert(id, problem);
            }
            table.count += quint64(n);
            return !stopping();
        });
        if (report.rowsError)
            cancel->cancel(); // the scan cannot conclude: stop reading events too
    });

    // Events: one pass, sorted by aggregate as they arrive. An aggregate's events often come one after another:
    // its stream name (shared, not copied) finds its slot without reading the id out of the name again.
    const QString prefix = m_mapping.category() + QLatin1Char('-');
    ReadRequest request = m_options.readCategoryStream
        ? ReadRequest::forStream(QByteArrayLiteral("$ce-") + m_mapping.category().toUtf8()).resolvingLinks()
        : ReadRequest::forAll().filtered(ReadFilter::streamPrefix({prefix}));
    // What the reducer does not read is not kept: the merge reducer never reads metadata (a third of what an
    // event holds in the demo).
    const bool keepMetadata = [this] {
        const std::unique_ptr<engine::Reducer> probe = m_makeReducer();
        return !probe || probe->readsMetadata();
    }();
    std::vector<Aggregate> aggregates;
    QHash<QString, qsizetype> slot;
    QHash<QByteArray, qsizetype> byStream; ///< stream name → its aggregate's slot (-1: not of the category)
    quint64 received = 0, events = 0;
    // Every aggregate's events are kept until the read ends (an aggregate's last event may be the category's
    // last): what they take is counted, a record and its bytes with the allocator's share, against the budget.
    const quint64 budget = m_options.memoryBudget ? m_options.memoryBudget : physicalMemory() / 2;
    quint64 kept = 0;
    const ReadSummary summary = m_client.read(
        request,
        [&](ResolvedEvent &&e) {
            if (stopping())
                return false;
            if (++received % 10000 == 0)
                tell(DriftProgress{DriftProgress::Phase::Reading, received, table.count.load(), 0, 0});
            if (!e.event)
                return true; // a link whose event is gone
            auto known = byStream.constFind(e.event->streamId);
            if (known == byStream.constEnd()) {
                qsizetype at = -1;
                if (const std::optional<QString> id = m_mapping.aggregateIdOf(QString::fromUtf8(e.event->streamId))) {
                    auto it = slot.constFind(*id);
                    if (it == slot.constEnd()) {
                        it = slot.insert(*id, qsizetype(aggregates.size()));
                        aggregates.push_back(Aggregate{*id, {}});
                    }
                    at = *it;
                }
                known = byStream.insert(e.event->streamId, at);
            }
            if (*known >= 0) {
                // The stream's name is held once, by the table: the read's own copy (one per event, as an
                // aggregate's events are spread over the read) is freed here while it is fresh.
                e.event->streamId = known.key();
                if (!keepMetadata)
                    e.event->metadata = QByteArray();
                kept += sizeof(RecordedEvent) + quint64(e.event->data.size() + e.event->metadata.size()) + 64;
                if (kept > budget) {
                    report.limitError = QStringLiteral(
                                            "stopped after %1 events of category %2: the events a scan keeps until "
                                            "its read ends would take more than %3 (%4); run it where there is "
                                            "more memory")
                                            .arg(events)
                                            .arg(m_mapping.category())
                                            .arg(QLocale::c().formattedDataSize(qint64(budget)))
                                            .arg(m_options.memoryBudget
                                                     ? QStringLiteral("the scan's limit")
                                                     : QStringLiteral("half of this machine's memory"));
                    cancel->cancel();
                    return false;
                }
                aggregates[size_t(*known)].events.push_back(std::move(*e.event));
                ++events;
            }
            return true;
        },
        cancel);
    if (summary.error && summary.error.kind != ClientError::Kind::Cancelled)
        report.eventsError = summary.error;
    if (report.eventsError)
        cancel->cancel();
    rowThread.join();
    report.counts.aggregates = quint64(aggregates.size());
    report.counts.events = events;
    report.counts.rows = table.count.load();
    if (report.rowsError.kind == ReadModelError::Kind::Cancelled)
        report.rowsError = {}; // stopped by the user or by the events' failure: that is the story
    if (report.eventsError || report.rowsError || !report.limitError.isEmpty())
        return report;
    if (stopping() || userCancelled()) {
        report.cancelled = true;
        return report;
    }

    // Folds: each thread takes the next aggregates in turn, with its own reducer; events are handed back to be
    // freed once folded.
    const size_t workers = size_t(std::max(1, m_options.workers));
    constexpr size_t kTake = 32; // aggregates a thread takes at a time
    std::atomic<size_t> next{0};
    std::atomic<quint64> folded{0};
    Spent spent;
    struct Outcome
    {
        QList<AggregateDrift> drifts;
        quint64 equal = 0;
    };
    std::vector<Outcome> outcomes(workers);
    std::vector<std::thread> threads;
    for (Outcome &outcome : outcomes) {
        threads.emplace_back([&, out = &outcome] {
            std::unique_ptr<engine::Reducer> reducer = m_makeReducer();
            const DriftComparer comparer(m_mapping, m_options.maxPathsPerAggregate);
            std::vector<engine::FoldEvent> batch;
            Spent::Batch done;
            struct Flush // on every way out, a cancelled one too
            {
                Spent &spent;
                Spent::Batch &done;
                ~Flush() { spent.give(done); }
            } flush{spent, done};
            for (;;) {
                const size_t from = next.fetch_add(kTake);
                if (from >= aggregates.size())
                    return;
                const size_t to = std::min(aggregates.size(), from + kTake);
                for (size_t i = from; i < to; ++i) {
                    if (cancel->isCancelled() || userCancelled())
                        return;
                    Aggregate &a = aggregates[i];
                    QString foldProblem;
                    if (!reducer) {
                        foldProblem = QStringLiteral("no reducer");
                    } else {
                        reducer->reset();
                        batch.clear();
                        for (size_t k = 0; k < a.events.size(); ++k)
                            batch.push_back(engine::FoldEvent{&a.events[k], nullptr, quint64(k)});
                        const engine::FoldResult r = reducer->fold(batch.data(), qsizetype(batch.size()));
                        if (r.stopped())
                            foldProblem = QStringLiteral("the fold stopped: ") + r.errors.constLast().message;
                    }
                    done.push_back(std::move(a.events));
                    if (done.size() >= Spent::kBatch)
                        spent.give(done);
                    compareOne(a.id, foldProblem, reducer.get(), comparer, m_mapping, table, out->drifts, out->equal);
                }
                folded += quint64(to - from);
            }
        });
    }
    for (std::thread &t : threads) {
        while (folded.load() < report.counts.aggregates && !stopping()) {
            tell(DriftProgress{DriftProgress::Phase::Folding, events, report.counts.rows, folded.load(),
                               report.counts.aggregates});
            spent.free(std::chrono::milliseconds(50));
        }
        t.join();
    }
    spent.free(std::chrono::milliseconds(0));
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
