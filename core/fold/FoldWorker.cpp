#include "fold/FoldWorker.h"

#include "fold/FoldEngine.h"
#include "fold/MergeReducer.h"
#include "fold/TimelineQueries.h"
#include "script/ReducerFile.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QThread>

#include <algorithm>

namespace chronoscope {

using namespace engine;

FoldWorker::FoldWorker(Callbacks callbacks)
    : m_out(std::move(callbacks)), m_reducer(std::make_unique<MergeReducer>())
{
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("fold worker"));
    m_thread->start();
}

FoldWorker::~FoldWorker()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_stopFold = true;
    m_stopBisect = true;
    m_stopWhatIf = true;
    m_wake.notify_all();
    m_thread->wait();
}

void FoldWorker::setTimeline(quint64 generation, std::shared_ptr<const TimelineIndex> index,
                             std::shared_ptr<PayloadCache> payloads)
{
    std::lock_guard lock(m_mutex);
    m_generation = generation;
    m_newTimeline = Timeline{std::move(index), std::move(payloads)};
    // Questions about the previous timeline have no answer any more.
    m_cursor.reset();
    m_markers.reset();
    m_whatIf.reset();
    m_bisect.reset();
    m_stopFold = true;
    m_stopBisect = true;
    m_stopWhatIf = true;
    m_wake.notify_all();
}

void FoldWorker::setReducer(quint64 generation, const ReducerChoice &choice)
{
    std::lock_guard lock(m_mutex);
    m_generation = generation;
    m_newReducer = choice;
    m_whatIf.reset(); // asked of the previous reducer
    m_stopFold = true;
    m_stopBisect = true;
    m_stopWhatIf = true;
    m_wake.notify_all();
}

void FoldWorker::setDiffOptions(const DiffOptions &options)
{
    std::lock_guard lock(m_mutex);
    m_diffOptions = options;
}

DiffOptions FoldWorker::diffOptions() const
{
    std::lock_guard lock(m_mutex);
    return m_diffOptions;
}

void FoldWorker::requestCursor(quint64 generation, quint64 id, qint64 position)
{
    std::lock_guard lock(m_mutex);
    m_generation = generation;
    m_cursor = CursorRequest{id, position};
    m_wake.notify_all();
}

void FoldWorker::requestMarkers(quint64 generation, qint64 a, qint64 b)
{
    std::lock_guard lock(m_mutex);
    m_generation = generation;
    m_markers = MarkerRequest{a, b};
    m_wake.notify_all();
}

void FoldWorker::requestBuild(bool wanted)
{
    std::lock_guard lock(m_mutex);
    m_buildWanted = wanted;
    if (!wanted)
        m_stopFold = true;
    else
        m_failed = false; // asked again: retry a failed build (the timeline grew or the user said so)
    m_wake.notify_all();
}

void FoldWorker::bisect(quint64 generation, const StatePredicate::Spec &spec, bool monotone)
{
    std::lock_guard lock(m_mutex);
    m_generation = generation;
    m_bisect = BisectRequest{spec, monotone};
    m_stopBisect = false;
    m_wake.notify_all();
}

void FoldWorker::cancelBisect()
{
    std::lock_guard lock(m_mutex);
    m_bisect.reset();
    m_stopBisect = true;
}

void FoldWorker::whatIf(quint64 generation, quint64 requestId, const QList<quint64> &exclude, quint64 upTo,
                        const QList<WhatIfInsertion> &insert)
{
    std::lock_guard lock(m_mutex);
    m_generation = generation;
    m_whatIf = WhatIfRequest{requestId, exclude, upTo, insert};
    m_stopWhatIf = true; // the latest request wins: a running what-if gives way
    m_wake.notify_all();
}

void FoldWorker::cancelWhatIf()
{
    std::lock_guard lock(m_mutex);
    m_whatIf.reset();
    m_stopWhatIf = true;
}

bool FoldWorker::anyPendingLocked() const
{
    const bool canBuild = m_buildWanted && !m_failed && m_engine && m_engine->builtTo() < m_timeline.index->size();
    return m_newTimeline || m_newReducer || m_cursor || m_markers || m_bisect || m_whatIf || canBuild;
}

bool FoldWorker::interruptBuild(quint64 done)
{
    std::lock_guard lock(m_mutex);
    if (m_quit || m_newTimeline || m_newReducer || m_bisect || m_whatIf || !m_buildWanted)
        return true;
    // Give way to a cursor or marker question as soon as the checkpoints reach it.
    if (m_cursor && quint64(m_cursor->position + 1) <= done)
        return true;
    return m_markers && quint64(std::max(m_markers->a, m_markers->b) + 1) <= done;
}

void FoldWorker::run()
{
    for (;;) {
        std::optional<Timeline> timeline;
        std::optional<ReducerChoice> reducer;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_quit || anyPendingLocked(); });
            if (m_quit)
                break;
            m_workGeneration = m_generation;
            timeline.swap(m_newTimeline);
            reducer.swap(m_newReducer);
            m_stopFold = false;
        }
        if (timeline)
            applyTimeline(std::move(*timeline));
        if (reducer)
            applyReducer(*reducer);
        if (timeline || reducer)
            continue;

        std::optional<WhatIfRequest> whatIf;
        std::optional<BisectRequest> bisect;
        std::optional<CursorRequest> cursor;
        std::optional<MarkerRequest> markers;
        bool buildFirst = false;
        {
            std::lock_guard lock(m_mutex);
            const quint64 built = m_engine ? m_engine->builtTo() : 0;
            const quint64 size = m_timeline.index ? m_timeline.index->size() : 0;
            const bool canBuild = m_buildWanted && !m_failed && m_engine && built < size;
            auto needsBuild = [&](qint64 lastOrdinal) { return canBuild && quint64(lastOrdinal + 1) > built; };
            if (m_whatIf) {
                whatIf.swap(m_whatIf);
                m_stopWhatIf = false; // under the lock: a cancel from now on stops this one
            } else if (m_bisect) {
                bisect.swap(m_bisect);
            } else if (m_cursor && !needsBuild(m_cursor->position)) {
                cursor.swap(m_cursor);
            } else if (m_markers && !needsBuild(std::max(m_markers->a, m_markers->b))) {
                markers.swap(m_markers);
            } else {
                buildFirst = canBuild;
            }
        }
        if (whatIf)
            runWhatIf(*whatIf);
        else if (bisect)
            runBisect(*bisect);
        else if (cursor)
            answerCursor(*cursor);
        else if (markers)
            answerMarkers(*markers);
        else if (buildFirst)
            build();
    }
    // The reducers' script engines were made on this thread: let them go here too.
    m_engine.reset();
    m_reducer.reset();
}

void FoldWorker::applyTimeline(Timeline timeline)
{
    m_engine.reset();
    m_timeline = std::move(timeline);
    {
        std::lock_guard lock(m_mutex);
        m_failed = false;
    }
    if (m_timeline.index && m_timeline.payloads)
        m_engine = std::make_unique<FoldEngine>(*m_timeline.index, *m_timeline.payloads, m_reducer->clone());
}

void FoldWorker::applyReducer(const ReducerChoice &choice)
{
    std::unique_ptr<Reducer> reducer;
    QString name = QStringLiteral("merge");
    QString idKey;
    if (choice.merge) {
        reducer = std::make_unique<MergeReducer>();
    } else {
        ReducerFile::LoadError error;
        std::optional<ReducerFile> file = ReducerFile::load(choice.file, &error);
        if (file)
            reducer = file->createReducer(&error, [] { return std::make_unique<MergeReducer>(); });
        if (!reducer) {
            // Field "projectionFile" with a line: the error is in the projection script the file names.
            if (m_out.reducerFailed)
                m_out.reducerFailed(choice.file, error.field, error.line, error.message);
            return;
        }
        name = file->name();
        idKey = file->arrayIdKey();
    }
    m_reducer = std::move(reducer);
    {
        std::lock_guard lock(m_mutex);
        m_failed = false;
    }
    if (m_engine)
        m_engine->setReducer(m_reducer->clone());
    if (m_out.reducerChanged)
        m_out.reducerChanged(choice.merge ? QString() : choice.file, name, idKey);
}

void FoldWorker::build()
{
    const quint64 size = m_timeline.index->size();
    if (m_out.build)
        m_out.build(m_workGeneration, true, m_engine->builtTo(), size, {}, 0, {});
    const FoldRun run = m_engine->build(&m_stopFold, [this](quint64 done, quint64 total) {
        if (m_out.build)
            m_out.build(m_workGeneration, true, done, total, {}, 0, {});
        return !interruptBuild(done);
    });
    QString error = run.error;
    if (run.stopped)
        error = QStringLiteral("the reducer stopped: ")
            + (m_engine->buildErrors().isEmpty() ? QString() : m_engine->buildErrors().constLast().message);
    if (!error.isEmpty()) {
        std::lock_guard lock(m_mutex);
        m_failed = true; // until asked again (requestBuild), not in a loop
    }
    const bool finished = !run.cancelled || !error.isEmpty();
    bool stillWanted = false;
    {
        std::lock_guard lock(m_mutex);
        stillWanted = m_buildWanted && !m_failed && m_engine->builtTo() < m_timeline.index->size();
    }
    if (m_out.build && (finished || !stillWanted))
        m_out.build(m_workGeneration, false, m_engine->builtTo(), m_timeline.index->size(), m_engine->buildErrors(),
                    m_engine->buildErrorCount(), error);
}

QJsonValue FoldWorker::initialState() const
{
    auto r = m_reducer->clone();
    r->reset();
    return r->state();
}

static void collectErrors(QList<FoldError> &into, const QList<FoldError> &from, quint64 ordinal)
{
    // Build errors are in ordinal order: find the ordinal's run by binary search.
    auto it = std::lower_bound(from.begin(), from.end(), ordinal,
                               [](const FoldError &e, quint64 o) { return e.index < o; });
    for (; it != from.end() && it->index == ordinal; ++it)
        into.append(*it);
}

void FoldWorker::answerCursor(const CursorRequest &request)
{
    CursorState out;
    out.generation = m_workGeneration;
    out.requestId = request.id;
    out.ordinal = request.position;
    if (!m_engine || request.position < 0) {
        out.ordinal = -1;
        out.state = initialState();
    } else {
        const quint64 ordinal = quint64(request.position);
        TimelineQueries queries(*m_engine);
        const TimelineQueries::PointState before = queries.stateAfter(ordinal);
        {
            std::lock_guard lock(m_mutex);
            if (m_cursor || m_quit) // a newer position is waiting: this answer would be stale
                return;
        }
        const TimelineQueries::PointState after = before.ok() ? queries.stateAfter(ordinal + 1) : before;
        out.before = before.state;
        out.state = after.state;
        out.reached = after.ordinal ? qint64(*after.ordinal) : -1;
        out.replayed = before.replayed + (before.ok() ? after.replayed : 0);
        out.error = after.error;
        collectErrors(out.errors, after.errors, ordinal);
        if (out.errors.isEmpty())
            collectErrors(out.errors, m_engine->buildErrors(), ordinal);
        if (out.ok())
            out.diff = JsonDiff::diff(out.before, out.state, diffOptions());
    }
    if (m_out.cursor)
        m_out.cursor(out);
}

void FoldWorker::answerMarkers(const MarkerRequest &request)
{
    MarkerStates out;
    out.generation = m_workGeneration;
    out.a = request.a;
    out.b = request.b;
    if (m_engine && request.a >= 0 && request.b >= 0) {
        TimelineQueries queries(*m_engine);
        // The earlier one first: the second is then a forward replay from the first.
        const bool aFirst = request.a <= request.b;
        const TimelineQueries::PointState first = queries.stateAfter(quint64(std::min(request.a, request.b)) + 1);
        const TimelineQueries::PointState second = queries.stateAfter(quint64(std::max(request.a, request.b)) + 1);
        out.stateA = aFirst ? first.state : second.state;
        out.stateB = aFirst ? second.state : first.state;
        out.error = !first.ok() ? first.error : second.error;
        if (out.error.isEmpty())
            out.diff = JsonDiff::diff(out.stateA, out.stateB, diffOptions());
    }
    if (m_out.markers)
        m_out.markers(out);
}

} // namespace chronoscope
