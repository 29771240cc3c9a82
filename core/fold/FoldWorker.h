#pragma once

#include "fold/FoldController.h"

#include <QList>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

class QThread;

namespace chronoscope {

namespace engine {
class FoldEngine;
class PayloadCache;
class Reducer;
class TimelineIndex;
}

/// FoldController's worker thread: one thread drives the FoldEngine (and the script engines its
/// reducers hold, which belong to the thread that made them).
///
/// Requests are slots, not a queue: a new cursor request replaces the one not yet taken, so the
/// worker always folds the latest. Building checkpoints runs between requests and gives way as soon
/// as a request can be answered from what is built. Results go out through the callbacks, called on
/// the worker thread (the controller posts them to its own thread).
class FoldWorker
{
public:
    struct Callbacks
    {
        std::function<void(const CursorState &)> cursor;
        std::function<void(const MarkerStates &)> markers;
        std::function<void(const WhatIfOutcome &)> whatIf;
        std::function<void(const BisectOutcome &)> bisect;
        std::function<void(quint64 generation, quint64 evaluations, quint64 total)> bisectProgress;
        std::function<void(quint64 generation, quint64 requestId, quint64 done, quint64 total)> whatIfProgress;
        /// running: building now; finished: the build ended (complete, failed or cancelled)
        std::function<void(quint64 generation, bool running, quint64 builtTo, quint64 total,
                           const QList<engine::FoldError> &errors, quint64 errorCount, const QString &error)>
            build;
        /// `file`: the choice it answers (empty for merge), so that an answer about an older choice is recognised.
        std::function<void(const QString &file, const QString &name, const QString &arrayIdKey)> reducerChanged;
        std::function<void(const QString &file, const QString &field, int line,
                           const QString &message)>
            reducerFailed;
    };

    explicit FoldWorker(Callbacks callbacks);
    ~FoldWorker();

    void setTimeline(quint64 generation, std::shared_ptr<const engine::TimelineIndex> index,
                     std::shared_ptr<engine::PayloadCache> payloads);
    void setReducer(quint64 generation, const ReducerChoice &choice);
    void setDiffOptions(const engine::DiffOptions &options);
    void requestCursor(quint64 generation, quint64 id, qint64 position);
    void requestMarkers(quint64 generation, qint64 a, qint64 b);
    /// wanted: build to the end of the index (again after a failure); false stops building.
    void requestBuild(bool wanted);
    void bisect(quint64 generation, const StatePredicate::Spec &spec, bool monotone);
    void cancelBisect();
    /// Runs after the request being answered gives way (latest wins); progress and the outcome carry `requestId`.
    void whatIf(quint64 generation, quint64 requestId, const QList<quint64> &exclude, quint64 upTo,
                const QList<WhatIfInsertion> &insert);
    /// Drops a what-if not started yet and stops the running one (its outcome says cancelled).
    void cancelWhatIf();

private:
    struct Timeline
    {
        std::shared_ptr<const engine::TimelineIndex> index;
        std::shared_ptr<engine::PayloadCache> payloads;
    };
    struct CursorRequest { quint64 id; qint64 position; };
    struct MarkerRequest { qint64 a, b; };
    struct BisectRequest { StatePredicate::Spec spec; bool monotone; };
    struct WhatIfRequest { quint64 id; QList<quint64> exclude; quint64 upTo; QList<WhatIfInsertion> insert; };

    void run();
    bool anyPendingLocked() const;
    bool interruptBuild(quint64 done);
    void applyTimeline(Timeline timeline);
    void applyReducer(const ReducerChoice &choice);
    void build();
    void answerCursor(const CursorRequest &request);
    void answerMarkers(const MarkerRequest &request);
    void runBisect(const BisectRequest &request);
    void runWhatIf(const WhatIfRequest &request);
    QJsonValue initialState() const;
    engine::DiffOptions diffOptions() const;

    Callbacks m_out;
    std::unique_ptr<QThread> m_thread;

    // Guarded by m_mutex: what the GUI asked for and the worker has not taken yet.
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_quit = false;
    quint64 m_generation = 0; ///< of the latest request
    std::optional<Timeline> m_newTimeline;
    std::optional<ReducerChoice> m_newReducer;
    engine::DiffOptions m_diffOptions;
    std::optional<CursorRequest> m_cursor;
    std::optional<MarkerRequest> m_markers;
    std::optional<BisectRequest> m_bisect;
    std::optional<WhatIfRequest> m_whatIf;
    bool m_buildWanted = false;

    std::atomic<bool> m_stopFold{false};   ///< stops a fold or build at once (new timeline, reducer, quit)
    std::atomic<bool> m_stopBisect{false};
    std::atomic<bool> m_stopWhatIf{false}; ///< reset, under m_mutex, when a what-if is taken

    // The worker thread's own.
    Timeline m_timeline;
    std::unique_ptr<engine::Reducer> m_reducer; ///< the prototype for new engines
    std::unique_ptr<engine::FoldEngine> m_engine;
    quint64 m_workGeneration = 0; ///< the generation results are delivered with
    quint64 m_failedAtSize = 0;   ///< the build failed with the index this size: do not retry until it grows
    bool m_failed = false;
};

} // namespace chronoscope
