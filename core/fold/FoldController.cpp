#include "fold/FoldController.h"

#include "fold/FoldWorker.h"
#include "session/TimelineSession.h"

namespace chronoscope {

FoldController::FoldController(TimelineSession *session, QObject *parent)
    : QObject(parent), m_session(session)
{
    qRegisterMetaType<CursorState>();
    qRegisterMetaType<MarkerStates>();
    qRegisterMetaType<WhatIfOutcome>();
    qRegisterMetaType<BisectOutcome>();
    connectWorker();
    connect(session, &TimelineSession::reset, this, &FoldController::timelineReset);
    connect(session, &TimelineSession::grown, this, &FoldController::requestBuild);
    connect(session, &TimelineSession::loadFinished, this, &FoldController::requestBuild);
    connect(session->cursor(), &TimeCursor::positionChanged, this, &FoldController::requestCursor);
    connect(session->cursor(), &TimeCursor::markersChanged, this, &FoldController::requestMarkers);
    timelineReset();
}

FoldController::~FoldController()
{
    m_worker.reset(); // stops the thread before any member it reports into goes
}

void FoldController::connectWorker()
{
    // Every callback runs on the worker thread: post to this thread, where results of an older
    // generation are dropped. The worker is stopped in ~FoldController before anything it posts
    // could outlive this object (queued calls to a destroyed context are discarded).
    FoldWorker::Callbacks out;
    auto post = [this](auto fn) { QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection); };
    out.cursor = [this, post](const CursorState &s) {
        post([this, s] {
            if (s.generation != m_generation || s.requestId < m_answeredCursor)
                return;
            const bool wasBusy = isBusy();
            m_answeredCursor = s.requestId;
            ++m_cursorAnswers;
            m_cursorState = s;
            Q_EMIT cursorStateReady(m_cursorState);
            if (wasBusy != isBusy())
                Q_EMIT busyChanged(isBusy());
        });
    };
    out.markers = [this, post](const MarkerStates &s) {
        post([this, s] {
            if (s.generation != m_generation)
                return;
            m_markerStates = s;
            Q_EMIT markerStatesReady(m_markerStates);
        });
    };
    // What-if answers are for the latest request only, and only while it runs: a cancelled one says
    // nothing more (the panes keep what they show).
    out.whatIf = [this, post](const WhatIfOutcome &o) {
        post([this, o] {
            if (o.generation != m_generation || o.requestId != m_whatIfId || !m_whatIfRunning)
                return;
            if (o.cancelled) {
                endWhatIf(QStringLiteral("cancelled"));
                return;
            }
            m_whatIfRunning = false;
            Q_EMIT whatIfReady(o);
        });
    };
    out.whatIfProgress = [this, post](quint64 generation, quint64 requestId, quint64 done, quint64 total) {
        post([=] {
            if (generation == m_generation && requestId == m_whatIfId && m_whatIfRunning)
                Q_EMIT whatIfProgress(done, total);
        });
    };
    out.bisect = [this, post](const BisectOutcome &o) {
        post([this, o] {
            if (o.generation == m_generation)
                Q_EMIT bisectFinished(o);
        });
    };
    out.bisectProgress = [this, post](quint64 generation, quint64 evaluations, quint64 total) {
        post([this, generation, evaluations, total] {
            if (generation == m_generation)
                Q_EMIT bisectProgress(evaluations, total);
        });
    };
    out.build = [this, post](quint64 generation, bool running, quint64 builtTo, quint64 total,
                             const QList<engine::FoldError> &errors, quint64 errorCount, const QString &error) {
        post([=] {
            if (generation != m_generation)
                return;
            m_builtTo = builtTo;
            if (running != m_building) {
                m_building = running;
                Q_EMIT buildingChanged(running);
            }
            if (running) {
                Q_EMIT buildProgress(builtTo, total);
                return;
            }
            m_buildErrors = errors;
            m_buildErrorCount = errorCount;
            m_buildError = error;
            Q_EMIT buildFinished(builtTo, error);
        });
    };
    // Reducer answers are matched to the choice they answer, not to the generation: a timeline
    // loaded meanwhile does not make them stale.
    out.reducerChanged = [this, post](const QString &file, const QString &name, const QString &idKey) {
        post([this, file, name, idKey] {
            if (file != (m_choice.merge ? QString() : m_choice.file))
                return;
            m_active = m_choice;
            m_reducerName = name;
            m_arrayIdKey = idKey;
            Q_EMIT reducerChanged(name);
        });
    };
    out.reducerFailed = [this, post](const QString &file, const QString &field, int line, const QString &message) {
        post([=] {
            if (!m_choice.merge && file == m_choice.file)
                Q_EMIT reducerFailed(file, field, line, message);
        });
    };
    m_worker = std::make_unique<FoldWorker>(std::move(out));
    m_worker->setDiffOptions(m_diffOptions);
}

void FoldController::timelineReset()
{
    ++m_generation;
    endWhatIf(QStringLiteral("the timeline was replaced"));
    m_buildErrors.clear();
    m_buildErrorCount = 0;
    m_buildError.clear();
    m_builtTo = 0;
    if (m_building) {
        m_building = false;
        Q_EMIT buildingChanged(false);
    }
    m_worker->setTimeline(m_generation, m_session->sharedIndex(), m_session->payloads());
    requestBuild();
    requestCursor();
    requestMarkers();
}

void FoldController::setReducer(const ReducerChoice &choice)
{
    m_choice = choice;
    ++m_generation;
    endWhatIf(QStringLiteral("the reducer changed"));
    m_buildErrors.clear();
    m_buildErrorCount = 0;
    m_buildError.clear();
    m_builtTo = 0;
    if (m_building) { // the running build's end belongs to the previous generation
        m_building = false;
        Q_EMIT buildingChanged(false);
    }
    m_worker->setReducer(m_generation, choice);
    requestBuild();
    requestCursor();
    requestMarkers();
}

void FoldController::setDiffOptions(const engine::DiffOptions &options)
{
    m_diffOptions = options;
    m_worker->setDiffOptions(options);
    requestCursor();
    requestMarkers();
}

void FoldController::requestCursor()
{
    if (!m_session)
        return;
    const bool wasBusy = isBusy();
    ++m_pendingCursor;
    m_worker->requestCursor(m_generation, m_pendingCursor, m_session->cursor()->position());
    if (!wasBusy)
        Q_EMIT busyChanged(true);
}

void FoldController::requestMarkers()
{
    if (!m_session)
        return;
    const TimeCursor *c = m_session->cursor();
    if (!c->hasMarkers()) {
        m_markerStates = MarkerStates{m_generation, c->markerA(), c->markerB(), {}, {}, {}, {}};
        Q_EMIT markerStatesReady(m_markerStates);
        return;
    }
    m_worker->requestMarkers(m_generation, c->markerA(), c->markerB());
}

void FoldController::requestBuild()
{
    m_worker->requestBuild(true);
}

void FoldController::cancelBuild()
{
    m_worker->requestBuild(false);
}

void FoldController::rebuild()
{
    m_worker->requestBuild(true);
}

void FoldController::bisect(const StatePredicate::Spec &predicate, bool monotone)
{
    m_worker->bisect(m_generation, predicate, monotone);
}

void FoldController::cancelBisect()
{
    m_worker->cancelBisect();
}

void FoldController::whatIf(const QList<quint64> &exclude, quint64 upTo, const QList<WhatIfInsertion> &insert)
{
    ++m_whatIfId;
    m_whatIfRunning = true;
    Q_EMIT whatIfStarted();
    m_worker->whatIf(m_generation, m_whatIfId, exclude, upTo, insert);
}

void FoldController::cancelWhatIf()
{
    m_worker->cancelWhatIf();
    endWhatIf(QStringLiteral("cancelled"));
}

void FoldController::endWhatIf(const QString &reason)
{
    if (!m_whatIfRunning)
        return;
    m_whatIfRunning = false;
    Q_EMIT whatIfCancelled(reason);
}

} // namespace chronoscope
