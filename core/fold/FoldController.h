#pragma once

#include "fold/StatePredicate.h"
#include "json/JsonDiff.h"
#include "model/Reducer.h"
#include "session/TimelineSession.h"

#include <QJsonValue>
#include <QObject>
#include <QPointer>

#include <memory>

namespace chronoscope {

class FoldWorker;


/// The folded state around the cursor: after the cursor's event, before it, and the diff between.
struct CursorState
{
    quint64 generation = 0;  ///< the timeline + reducer it belongs to (FoldController::generation())
    quint64 requestId = 0;
    qint64 ordinal = -1;     ///< the cursor position it answers (-1: before the first event)
    QJsonValue state;        ///< after the event at `ordinal` (the initial state for -1)
    QJsonValue before{QJsonValue::Undefined}; ///< before it; Undefined for -1
    engine::DiffResult diff; ///< before → state (empty for -1)
    QList<engine::FoldError> errors; ///< the fold errors of the event at `ordinal`
    quint64 replayed = 0;    ///< events folded to answer
    QString error;           ///< the state could not be computed (payload fetch failed, reducer stopped)
    /// The last event `state` really holds: `ordinal`, or less when the fold stopped short (`error`
    /// says why; -1: not even the first). A pane must not label a state with more than it holds.
    qint64 reached = -1;
    bool ok() const { return error.isEmpty(); }
};

/// The states at markers A and B and their diff.
struct MarkerStates
{
    quint64 generation = 0;
    qint64 a = -1, b = -1;
    QJsonValue stateA, stateB;
    engine::DiffResult diff; ///< A → B
    QString error;
};

/// A hypothetical event for a what-if: folded right after the event at ordinal `after` (-1: first).
struct WhatIfInsertion
{
    qint64 after = -1;
    QByteArray type;
    QByteArray data;     ///< JSON
    QByteArray metadata; ///< JSON; empty for none
};

/// What-if: the state without some events, or with hypothetical ones, vs the actual one.
struct WhatIfOutcome
{
    quint64 generation = 0;
    quint64 requestId = 0;   ///< FoldController's count of what-ifs asked for
    QList<quint64> excluded;
    QList<WhatIfInsertion> inserted;
    quint64 upTo = 0;        ///< both states are after this many events
    QJsonValue whatIf, actual;
    engine::DiffResult diff; ///< actual → what-if
    QList<engine::FoldError> errors;
    QString error;
    bool cancelled = false;  ///< stopped before the end: no states
};

struct BisectOutcome
{
    quint64 generation = 0;
    QString predicate;              ///< described
    std::optional<quint64> ordinal; ///< the first event after which it holds
    bool holdsInitially = false;
    bool binary = false;            ///< binary search (monotone) or a linear scan
    quint64 folds = 0, evaluations = 0;
    QString predicateError;         ///< the first script error met while evaluating (counted as false)
    QString error;
    bool cancelled = false;
};

/// Which reducer folds the timeline.
struct ReducerChoice
{
    bool merge = true;       ///< the built-in merge reducer (zero configuration)
    QString file;            ///< else this reducer file (*.reducer.json)
    static ReducerChoice mergeReducer() { return {}; }
    static ReducerChoice reducerFile(const QString &path) { return {false, path}; }
};

/// Folds the session's timeline in one worker thread and answers the panes' questions about it.
///
/// Owns a FoldEngine over the session's index and payload cache. Checkpoints are built as the
/// timeline loads and grows (incrementally, with progress; cancelBuild() stops them), and the state
/// at the cursor (and before its event) is computed whenever the cursor moves: requests are not
/// queued — the worker always takes the latest, so dragging the cursor never piles up stale folds.
/// The same for markers A/B. Bisect and what-if run on the same worker (one thread drives the
/// engine and the script engines it holds).
///
/// Every result carries generation(): it changes when the timeline is replaced or the reducer
/// changes, and results of an older generation are never delivered.
class FoldController : public QObject
{
    Q_OBJECT
public:
    explicit FoldController(TimelineSession *session, QObject *parent = nullptr);
    ~FoldController() override;

    TimelineSession *session() const { return m_session; }
    quint64 generation() const { return m_generation; }

    /// Merge by default. A reducer file is loaded in the worker; on failure reducerFailed() is
    /// emitted and the previous reducer stays.
    void setReducer(const ReducerChoice &choice);
    /// The reducer folding now (a choice that failed to load is not it).
    ReducerChoice reducer() const { return m_active; }
    QString reducerName() const { return m_reducerName; }
    /// The reducer file's arrayIdKey (empty for merge).
    QString arrayIdKey() const { return m_arrayIdKey; }

    /// How diffs pair array elements (by index when empty).
    void setDiffOptions(const engine::DiffOptions &options);
    engine::DiffOptions diffOptions() const { return m_diffOptions; }

    bool isBuilding() const { return m_building; }
    bool isBusy() const { return m_pendingCursor != m_answeredCursor; }
    quint64 builtTo() const { return m_builtTo; }
    /// Errors met while building checkpoints (the first engine::FoldRun::kMaxErrors) and their total.
    const QList<engine::FoldError> &buildErrors() const { return m_buildErrors; }
    quint64 buildErrorCount() const { return m_buildErrorCount; }
    QString buildError() const { return m_buildError; }

    const CursorState &cursorState() const { return m_cursorState; }
    const MarkerStates &markerStates() const { return m_markerStates; }

    /// A what-if was asked for and has not been answered, cancelled or made moot yet.
    bool isWhatIfRunning() const { return m_whatIfRunning; }

    /// Folds in workers answered so far (for tests: stale requests are skipped, not folded).
    quint64 cursorAnswers() const { return m_cursorAnswers; }

public Q_SLOTS:
    /// Stops building checkpoints until the timeline grows or rebuild() is called.
    void cancelBuild();
    void rebuild();
    /// The first event after which the predicate holds (binary search when `monotone`).
    void bisect(const chronoscope::StatePredicate::Spec &predicate, bool monotone);
    void cancelBisect();
    /// The state after `upTo` events without the `exclude`d ordinals vs the actual one.
    /// Folds the timeline's first `upTo` events without `exclude` and with `insert`, and diffs the
    /// result with the actual state there (whatIfReady()). whatIfStarted() at once, then
    /// whatIfProgress(); a what-if asked while one runs replaces it (only the latest is answered).
    void whatIf(const QList<quint64> &exclude, quint64 upTo, const QList<WhatIfInsertion> &insert = {});
    /// Stops the running what-if: whatIfCancelled() now, and no whatIfReady() for it ever.
    void cancelWhatIf();

Q_SIGNALS:
    void reducerChanged(const QString &name);
    /// `field`, `line` as engine::ReducerFile::LoadError; `file` is the file the error is in.
    void reducerFailed(const QString &file, const QString &field, int line, const QString &message);
    void buildingChanged(bool building);
    void buildProgress(quint64 done, quint64 total);
    /// Checkpoints cover `builtTo` events; errors so far in buildErrors().
    void buildFinished(quint64 builtTo, const QString &error);
    void busyChanged(bool busy);
    void cursorStateReady(const chronoscope::CursorState &state);
    void markerStatesReady(const chronoscope::MarkerStates &states);
    void bisectProgress(quint64 evaluations, quint64 total);
    void bisectFinished(const chronoscope::BisectOutcome &outcome);
    void whatIfStarted();
    /// Events folded of those the what-if needs (the actual and the what-if states, each from its checkpoint).
    void whatIfProgress(quint64 done, quint64 total);
    void whatIfReady(const chronoscope::WhatIfOutcome &outcome);
    /// The running what-if ended without a result: cancelled, or the timeline or reducer changed.
    void whatIfCancelled(const QString &reason);

private:
    void timelineReset();
    void requestCursor();
    void requestMarkers();
    void requestBuild();
    void connectWorker();
    void endWhatIf(const QString &reason);

    QPointer<TimelineSession> m_session;
    std::unique_ptr<FoldWorker> m_worker;
    quint64 m_generation = 1;
    ReducerChoice m_choice; ///< the latest asked for
    ReducerChoice m_active; ///< the one folding
    QString m_reducerName = QStringLiteral("merge");
    QString m_arrayIdKey;
    engine::DiffOptions m_diffOptions;
    quint64 m_pendingCursor = 0;
    quint64 m_answeredCursor = 0;
    quint64 m_cursorAnswers = 0;
    bool m_building = false;
    quint64 m_builtTo = 0;
    QList<engine::FoldError> m_buildErrors;
    quint64 m_buildErrorCount = 0;
    QString m_buildError;
    CursorState m_cursorState;
    MarkerStates m_markerStates;
    quint64 m_whatIfId = 0; ///< the latest what-if asked for
    bool m_whatIfRunning = false;
};

} // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::CursorState)
Q_DECLARE_METATYPE(chronoscope::MarkerStates)
Q_DECLARE_METATYPE(chronoscope::WhatIfOutcome)
Q_DECLARE_METATYPE(chronoscope::BisectOutcome)
Q_DECLARE_METATYPE(chronoscope::StatePredicate::Spec)
