#pragma once

#include "fold/FoldEngine.h"
#include "timeline/EventSource.h"

#include <QByteArrayView>

#include <optional>

namespace chronoscope::engine {

/// Questions about a folded timeline, answered from the FoldEngine's checkpoints: the state at a
/// revision or a time, the events between two points, bisect and what-if.
///
/// Points are counts: "after n events" (ordinals [0, n) folded). The state at an event is the
/// state after it, i.e. at count ordinal + 1.
class TimelineQueries
{
public:
    explicit TimelineQueries(FoldEngine &engine) : m_engine(engine) {}

    struct PointState
    {
        QJsonValue state;
        quint64 count = 0;               ///< events folded into `state`
        std::optional<quint64> ordinal;  ///< the last of them; none when the state is the initial one
        quint64 replayed = 0;            ///< events folded to answer
        QList<FoldError> errors;
        QString error;                   ///< no such revision, or the fold could not complete
        bool ok() const { return error.isEmpty(); }
    };
    /// The state right after the event at `revision` (of `stream` when the timeline is `$all`).
    PointState stateAtRevision(quint64 revision, QByteArrayView stream = {});
    /// The state after every event created at or before `createdTicks` (see TimelineIndex for the
    /// meaning when created times are not monotone). Before the first event: the initial state.
    PointState stateAtTime(qint64 createdTicks);
    PointState stateAfter(quint64 count);

    /// The events that take the state at count `from` to the state at count `to` (ordinals [from, to)).
    FetchResult eventsBetween(quint64 from, quint64 to);
    /// The ordinals [first, last) of the events created after `fromTicks` and at or before `toTicks`.
    std::pair<quint64, quint64> ordinalsBetweenTimes(qint64 fromTicks, qint64 toTicks) const;

    enum class BisectMethod { Binary, Linear };
    struct BisectResult
    {
        std::optional<quint64> ordinal; ///< the first event after which the predicate holds
        bool holdsInitially = false;    ///< it already holds before the first event (ordinal is none)
        BisectMethod method = BisectMethod::Linear;
        quint64 folds = 0;              ///< events folded to answer
        quint64 evaluations = 0;        ///< predicate calls
        QList<FoldError> errors;
        QString error;
        bool cancelled = false;
    };
    using Predicate = std::function<bool(const QJsonValue &state)>;
    /// The first event after which `predicate` holds. When the caller declares it monotone (once
    /// true, true for every later state) the answer is found by binary search over the checkpoints
    /// and then within one interval; otherwise by a linear scan from the start.
    BisectResult bisect(const Predicate &predicate, bool monotone, const std::atomic<bool> *cancel = nullptr);

    struct Insertion
    {
        qint64 after = -1;    ///< the ordinal the event follows; -1 = before the first event
        RecordedEvent event;
    };
    struct WhatIf
    {
        QList<quint64> exclude;   ///< ordinals left out
        QList<Insertion> insert;  ///< hypothetical events
        quint64 upTo = 0;         ///< compare the states after this many events of the real timeline
    };
    struct WhatIfResult
    {
        QJsonValue whatIf;
        QJsonValue actual;
        quint64 folds = 0;
        QList<FoldError> errors; ///< from the what-if fold
        QString error;
        bool cancelled = false;  ///< stopped through the flag: no states
        bool ok() const { return error.isEmpty() && !cancelled; }
    };
    /// Called with (timeline events folded, timeline events to fold) as a what-if runs: first with
    /// done = 0, then after every slice of kWhatIfSlice events; done reaches total when it completes.
    /// Both the actual and the what-if states count (each from its nearest checkpoint).
    using WhatIfProgress = std::function<void(quint64 done, quint64 total)>;
    static constexpr quint64 kWhatIfSlice = 4096;
    /// Folds the actual state and the what-if state after `request.upTo` events. `cancel` is checked
    /// between payload blocks; a cancelled what-if returns no states (`cancelled` set).
    WhatIfResult whatIf(const WhatIf &request, const std::atomic<bool> *cancel = nullptr,
                        const WhatIfProgress &progress = {});

private:
    BisectResult bisectBinary(const Predicate &predicate, const std::atomic<bool> *cancel);
    BisectResult bisectLinear(const Predicate &predicate, const std::atomic<bool> *cancel);
    static void appendErrors(QList<FoldError> &into, const FoldRun &run);

    FoldEngine &m_engine;
};

} // namespace chronoscope::engine
