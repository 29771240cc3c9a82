#pragma once

#include "model/Reducer.h"

#include <QJsonValue>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace chronoscope::engine {

class PayloadCache;
class TimelineIndex;

/// The reducer's state after the first `count` events of the timeline (ordinals [0, count)).
struct Checkpoint
{
    quint64 count = 0;
    QJsonValue state;
};

/// What folding a range did.
struct FoldRun
{
    quint64 folded = 0;        ///< events given to the reducer
    QList<FoldError> errors;   ///< per-event errors (the first kMaxErrors of them)
    quint64 errorCount = 0;    ///< all of them, kept or not
    QString error;             ///< the range could not be folded to the end (payload fetch failed)
    bool stopped = false;      ///< the reducer reported a fatal error
    bool cancelled = false;
    bool completed() const { return error.isEmpty() && !stopped && !cancelled; }
    static constexpr qsizetype kMaxErrors = 10000;
};

/// Folds an indexed timeline with one reducer and keeps state checkpoints, so that the state after
/// any number of events is a checkpoint plus a short replay.
///
/// Checkpoints are taken every K events, K adapted while building so that replaying between two
/// checkpoints costs about `targetReplayMs` of folding (or the snapshot cost, if that is larger: a
/// reducer with a huge state gets rarer checkpoints). build() extends the checkpoints to the end of
/// the index: after events are appended it only folds the new tail; setReducer() drops them all.
///
/// Not thread-safe: one thread drives an engine. build() is long; it can be cancelled from another
/// thread through the atomic flag and reports progress.
class FoldEngine
{
public:
    struct Options
    {
        double targetReplayMs = 2.0;
        quint64 minInterval = 16;        ///< never checkpoint more often than this many events
        quint64 maxInterval = 1u << 20;  ///< nor less often
        quint64 fixedInterval = 0;       ///< non-zero: checkpoint exactly every this many events
    };

    FoldEngine(const TimelineIndex &index, PayloadCache &payloads, std::unique_ptr<Reducer> reducer);
    ~FoldEngine();

    void setOptions(const Options &options);
    const Options &options() const { return m_options; }

    /// Replaces the reducer: every checkpoint is dropped (the next build() starts from event 0).
    void setReducer(std::unique_ptr<Reducer> reducer);
    const Reducer &reducer() const { return *m_prototype; }
    /// A fresh reducer like the engine's, at its initial state.
    std::unique_ptr<Reducer> newReducer() const;

    /// Called now and then while building with (events folded so far, events in the index);
    /// returning false cancels like the flag does.
    using Progress = std::function<bool(quint64 done, quint64 total)>;
    /// Extends the checkpoints to the end of the index. Stops early on cancellation, a fatal
    /// reducer error or a payload that cannot be fetched; calling again resumes where it stopped.
    FoldRun build(const std::atomic<bool> *cancel = nullptr, const Progress &progress = {});

    /// How many events the checkpoints cover (build() folded up to here).
    quint64 builtTo() const { return m_builtTo; }
    const std::vector<Checkpoint> &checkpoints() const { return m_checkpoints; }
    /// Per-event errors met while building (the first FoldRun::kMaxErrors) and their total.
    const QList<FoldError> &buildErrors() const { return m_buildErrors; }
    quint64 buildErrorCount() const { return m_buildErrorCount; }
    /// Mean events between checkpoints so far, and the interval K the next one will use.
    double meanInterval() const;
    quint64 currentInterval() const { return m_interval; }

    /// The state after the first `count` events: the nearest checkpoint plus a replay (or, when
    /// stepping forwards, the previous answer plus the events since).
    struct StateResult
    {
        QJsonValue state;
        quint64 count = 0;   ///< events folded into `state`
        quint64 replayed = 0; ///< events folded to answer
        FoldRun run;
        bool ok() const { return run.completed(); }
    };
    StateResult stateAfter(quint64 count);

    /// Puts `reducer` at the nearest checkpoint at or before `count` and returns that checkpoint's count.
    quint64 restoreNearest(Reducer &reducer, quint64 count) const;
    /// Folds ordinals [from, to) into `reducer`, skipping ordinals for which `skip` says so.
    FoldRun fold(Reducer &reducer, quint64 from, quint64 to, const std::function<bool(quint64)> &skip = {},
                 const std::atomic<bool> *cancel = nullptr);

    const TimelineIndex &index() const { return m_index; }
    PayloadCache &payloads() { return m_payloads; }

private:
    static void addErrors(FoldRun &into, const FoldRun &from);

    const TimelineIndex &m_index;
    PayloadCache &m_payloads;
    Options m_options;
    std::unique_ptr<Reducer> m_prototype; ///< never folded: cloned for the others
    std::unique_ptr<Reducer> m_builder;   ///< at m_builtTo
    std::unique_ptr<Reducer> m_query;     ///< at m_queryAt when m_queryValid
    std::vector<Checkpoint> m_checkpoints;
    quint64 m_builtTo = 0;
    quint64 m_queryAt = 0;
    bool m_queryValid = false;
    quint64 m_interval = 0; ///< current K
    QList<FoldError> m_buildErrors;
    quint64 m_buildErrorCount = 0;
};

} // namespace chronoscope::engine
