#include "readmodel/DriftScan.h"

#include "client/StreamsClient.h"
#include "readmodel/DriftCompare.h"

#include <QHash>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iterator>
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

/// One fold thread's share of the aggregates (by a hash of the stream name). While the events are read, its
/// thread takes them from the inbox and sorts them by aggregate, so the reading thread only hands them on;
/// then it folds and compares its aggregates.
struct Partition
{
    std::mutex mutex;
    std::condition_variable wake;
    std::vector<RecordedEvent> inbox;
    bool closed = false;
    // The partition's thread only:
    QHash<QString, qsizetype> slot;
    QHash<QByteArray, qsizetype> byStream; ///< stream name → its aggregate's slot (-1: not of the category)
    std::vector<Aggregate> aggregates;
    quint64 events = 0;
    QList<AggregateDrift> drifts;
    quint64 equal = 0;

    /// Reading thread: hands a batch over (moved out of `batch`).
    void post(std::vector<RecordedEvent> &batch)
    {
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (inbox.empty())
                inbox.swap(batch);
            else
                std::move(batch.begin(), batch.end(), std::back_inserter(inbox));
        }
        batch.clear();
        wake.notify_one();
    }
    void close()
    {
        {
            std::lock_guard<std::mutex> lock(mutex);
            closed = true;
        }
        wake.notify_one();
    }
    /// The partition's thread: sorts events by aggregate until the reading thread closes the inbox.
    void collect(const ReadModelMapping &mapping)
    {
        std::vector<RecordedEvent> got;
        for (;;) {
            {
                std::unique_lock<std::mutex> lock(mutex);
                wake.wait(lock, [&] { return !inbox.empty() || closed; });
                if (inbox.empty())
                    return;
                got.swap(inbox);
            }
            for (RecordedEvent &e : got) {
                // An aggregate's events come one after another often enough: its stream name (shared, not
                // copied) finds its slot without reading the id out of the name again.
                auto known = byStream.constFind(e.streamId);
                if (known == byStream.constEnd()) {
                    qsizetype at = -1;
                    if (const std::optional<QString> id = mapping.aggregateIdOf(QString::fromUtf8(e.streamId))) {
                        auto it = slot.constFind(*id);
                        if (it == slot.constEnd()) {
                            it = slot.insert(*id, qsizetype(aggregates.size()));
                            aggregates.push_back(Aggregate{*id, {}});
                        }
                        at = *it;
                    }
                    known = byStream.insert(e.streamId, at);
                }
                if (*known < 0)
                    continue;
                aggregates[size_t(*known)].events.push_back(std::move(e));
                ++events;
            }
            got.clear();
        }
    }
};

/// Which partition a stream's events go to: equal aggregate ids to the same one. The id is the stream name
/// read as UTF-8, so a name that is not plain ASCII is hashed as that reading spells it.
size_t partitionOf(const QByteArray &stream, size_t partitions)
{
    for (const char c : stream) {
        if (uchar(c) >= 0x80)
            return qHash(QString::fromUtf8(stream).toUtf8()) % partitions;
    }
    return qHash(stream) % partitions;
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

    // Events: one pass; each is handed to the fold thread of its aggregate as it arrives, which sorts them
    // by aggregate while the read goes on.
    const QString prefix = m_mapping.category() + QLatin1Char('-');
    ReadRequest request = m_options.readCategoryStream
        ? ReadRequest::forStream(QByteArrayLiteral("$ce-") + m_mapping.category().toUtf8()).resolvingLinks()
        : ReadRequest::forAll().filtered(ReadFilter::streamPrefix({prefix}));
    const size_t workers = size_t(std::max(1, m_options.workers));
    std::vector<Partition> partitions(workers);
    std::vector<std::thread> threads;
    for (Partition &p : partitions)
        threads.emplace_back([&p, this] { p.collect(m_mapping); });
    constexpr size_t kHandOver = 256; // events per hand-over: one lock per batch, not per event
    std::vector<std::vector<RecordedEvent>> pending(workers);
    quint64 received = 0;
    const ReadSummary summary = m_client.read(
        request,
        [&](ResolvedEvent &&e) {
            if (stopping())
                return false;
            if (!e.event)
                return true; // a link whose event is gone
            const size_t w = workers == 1 ? 0 : partitionOf(e.event->streamId, workers);
            pending[w].push_back(std::move(*e.event));
            if (pending[w].size() >= kHandOver)
                partitions[w].post(pending[w]);
            if (++received % 10000 == 0)
                tell(DriftProgress{DriftProgress::Phase::Reading, received, table.count.load(), 0, 0});
            return true;
        },
        cancel);
    for (size_t w = 0; w < workers; ++w) {
        if (!pending[w].empty())
            partitions[w].post(pending[w]);
        partitions[w].close();
    }
    for (std::thread &t : threads)
        t.join();
    threads.clear();
    if (summary.error && summary.error.kind != ClientError::Kind::Cancelled)
        report.eventsError = summary.error;
    if (report.eventsError)
        cancel->cancel();
    rowThread.join();
    quint64 events = 0;
    for (const Partition &p : partitions) {
        events += p.events;
        report.counts.aggregates += quint64(p.aggregates.size());
    }
    report.counts.events = events;
    report.counts.rows = table.count.load();
    if (report.rowsError.kind == ReadModelError::Kind::Cancelled)
        report.rowsError = {}; // stopped by the user or by the events' failure: that is the story
    if (report.eventsError || report.rowsError)
        return report;
    if (stopping() || userCancelled()) {
        report.cancelled = true;
        return report;
    }

    // Folds: each thread its partition's aggregates, with its own reducer; events are freed once folded.
    std::atomic<quint64> folded{0};
    for (Partition &part : partitions) {
        threads.emplace_back([&, partition = &part] {
            Partition &p = *partition;
            std::unique_ptr<engine::Reducer> reducer = m_makeReducer();
            const DriftComparer comparer(m_mapping, m_options.maxPathsPerAggregate);
            std::vector<engine::FoldEvent> batch;
            for (Aggregate &a : p.aggregates) {
                if (cancel->isCancelled() || userCancelled())
                    return;
                ++folded;
                AggregateDrift d;
                d.aggregateId = a.id;
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
                std::vector<RecordedEvent>().swap(a.events);
                // One lookup of the row; the (usually empty) duplicates and problems only when they hold any.
                const auto row = table.rows.constFind(a.id);
                const int rows = row == table.rows.constEnd() ? 0
                    : table.duplicates.isEmpty()              ? 1
                                                              : table.duplicates.value(a.id, 1);
                const QString rowProblem = rows > 1
                    ? QStringLiteral("the read model has %1 rows for %2").arg(rows).arg(m_mapping.streamOf(a.id))
                    : table.problems.isEmpty() ? QString()
                                               : table.problems.value(a.id);
                if (!foldProblem.isEmpty() || !rowProblem.isEmpty()) {
                    d.status = AggregateDrift::Status::Unreadable;
                    d.problem = foldProblem.isEmpty() ? rowProblem : foldProblem;
                    p.drifts.append(d);
                } else if (rows == 0) {
                    d.status = AggregateDrift::Status::MissingRow;
                    p.drifts.append(d);
                } else if (std::optional<AggregateDrift> drift = comparer.compare(
                               a.id, *reducer, *table.blocks[row->block], qsizetype(row->row))) {
                    p.drifts.append(std::move(*drift));
                } else {
                    ++p.equal;
                }
            }
        });
    }
    for (std::thread &t : threads) {
        while (folded.load() < report.counts.aggregates && !stopping()) {
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

    for (const Partition &p : partitions) {
        report.counts.equal += p.equal;
        report.drifts += p.drifts;
    }
    for (auto it = table.rows.constBegin(); it != table.rows.constEnd(); ++it) {
        const QString &id = it.key();
        if (std::none_of(partitions.begin(), partitions.end(),
                         [&](const Partition &p) { return p.slot.contains(id); })) {
            AggregateDrift d;
            d.aggregateId = id;
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
