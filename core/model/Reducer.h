#pragma once

#include "model/ScalarView.h"
#include "model/Types.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace chronoscope::engine {

/// One event as a reducer sees it. `event` is the record whose data is folded (the link target
/// when the read resolved links); `linkMetadata` is the `$>` record's metadata when there was one.
struct FoldEvent
{
    const RecordedEvent *event = nullptr;
    const QByteArray *linkMetadata = nullptr; ///< null when the event was not read through a link
    quint64 index = 0;                         ///< the event's ordinal in the timeline being folded
};

/// A per-event problem met while folding. Folding goes on past it unless `fatal` is set.
struct FoldError
{
    quint64 index = 0;  ///< FoldEvent::index of the event being folded
    QString message;    ///< human-readable, names the event type and what was wrong
    int line = -1;      ///< script line for JavaScript errors, -1 otherwise
    bool fatal = false; ///< the reducer cannot go on (e.g. interrupted runaway script)
};

struct FoldResult
{
    quint64 folded = 0;        ///< events consumed (including those that produced a non-fatal error)
    QList<FoldError> errors;
    bool ok() const { return errors.isEmpty(); }
    bool stopped() const { return !errors.isEmpty() && errors.constLast().fatal; }

    /// What a reducer stopped by an earlier fatal error answers until it is reset: nothing folded,
    /// the reason repeated against the first event offered.
    static FoldResult refused(quint64 index, const QString &fatal)
    {
        FoldResult r;
        r.errors.append(FoldError{index, fatal + QStringLiteral(" (reset the reducer to go on)"), -1, true});
        return r;
    }
};

/// A place in Reducer::state() that a trial fold changed, and its value after the fold.
struct StateChange
{
    QJsonArray path; ///< keys (strings) and array indices (numbers) from the state's root; empty = the root
    QJsonValue after{QJsonValue::Undefined}; ///< Undefined: the place was removed
};

/// Folds events into a state. A reducer instance is single-threaded; `clone()` gives an independent
/// copy (same configuration, initial state) for another thread. States cross the interface as JSON
/// (QJsonValue is implicitly shared, so snapshots are cheap); how a reducer holds its state inside
/// between calls is its own business.
class Reducer
{
public:
    virtual ~Reducer() = default;

    /// Short name shown in the UI ("merge", "javascript: orders.reducer.json", …).
    virtual QString name() const = 0;

    /// Resets to the initial state (`$init`), or to `state` taken earlier from `state()`.
    virtual void reset() = 0;
    virtual void restore(const QJsonValue &state) = 0;

    /// Folds `count` events in order. Returns how many were consumed and the per-event errors.
    virtual FoldResult fold(const FoldEvent *events, qsizetype count) = 0;

    /// The current state as JSON (for checkpoints, display and diff).
    virtual QJsonValue state() const = 0;

    /// The value at `path` (object keys from the root of state()), as state() has it; Undefined where a step
    /// is missing or not an object. This default builds the whole state() to read one place.
    virtual QJsonValue stateAt(const QStringList &path) const
    {
        QJsonValue v = state();
        for (const QString &key : path) {
            if (!v.isObject())
                return QJsonValue(QJsonValue::Undefined);
            v = v.toObject().value(key);
        }
        return v;
    }
    /// Whether stateAt() answers without building the whole state(). A caller reading a few places of many
    /// states asks stateAt() for each where this is true, else takes state() once and reads them all from it.
    virtual bool hasCheapStateAt() const { return false; }
    /// The scalar at `path` (object keys as UTF-8 from the root of state()) as the reducer holds it, without
    /// building a JSON value; false where the reducer cannot tell that way (the caller then asks stateAt()).
    virtual bool scalarAt(const QList<QByteArray> &path, ScalarView *out) const
    {
        Q_UNUSED(path);
        Q_UNUSED(out);
        return false;
    }

    virtual std::unique_ptr<Reducer> clone() const = 0;

    /// Whether fold() reads events' metadata; a caller that keeps many events for a later fold (the drift scan)
    /// drops it when not.
    virtual bool readsMetadata() const { return true; }

    /// Trial folds (a correction's "what if this event were appended", F9): after beginTrial(),
    /// fold() folds as usual and endTrial() undoes every fold since and says what they changed,
    /// outermost places only, in time that follows the change rather than the state's size. Where
    /// beginTrial() returns false (not supported) or endTrial() does (the fold failed badly), the
    /// caller takes state() and restore()s the state it had instead.
    virtual bool beginTrial() { return false; }
    virtual bool endTrial(QList<StateChange> *changes)
    {
        Q_UNUSED(changes);
        return false;
    }
};

} // namespace chronoscope::engine
