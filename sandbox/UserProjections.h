#pragma once

#include "AppendNotifier.h"

#include <QJsonValue>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace chronoscope {
struct RecordedEvent;
}

namespace chronoscope::sandbox {

class EventStore;

/// A user projection's mode, as the server names it in statistics.
enum class UserProjectionMode { Continuous, OneTime, Transient };

/// What a user projection is told to be (Create, Update): persisted in `$projections-NAME`.
struct UserProjectionDefinition
{
    std::string name;
    UserProjectionMode mode = UserProjectionMode::Continuous;
    std::string query;
    bool emitEnabled = false;
    bool trackEmittedStreams = false;
    bool enabled = true;
};

/// One projection's statistics, every field of StatisticsResp.Details (docs/PROJECTIONS.md).
struct UserProjectionStats
{
    std::string name;
    std::string mode;   ///< "Continuous", "OneTime", "Transient"
    std::string status; ///< "Running", "Stopped", "Aborted", "Completed", "Faulted (Enabled)"
    std::string stateReason;
    std::string position;       ///< checkpoint tag of the last event processed, "C:<commit>/P:<prepare>"
    std::string lastCheckpoint; ///< tag of the last checkpoint written
    std::string checkpointStatus;
    float progress = 0;
    qint64 eventsProcessedAfterRestart = 0;
    int partitionsCached = 0;
    qint64 version = 0;
    qint64 epoch = -1;
    qint64 bufferedEvents = 0;
};

/// How a management call ended, in the server's terms (the service maps it to a gRPC status).
struct UserProjectionReply
{
    enum class Code { Ok, NotFound, Conflict, Invalid, NotStopped, Storage };
    Code code = Code::Ok;
    std::string message;
    bool ok() const { return code == Code::Ok; }
};

/// The sandbox's user projections: the EventStoreDB projection language run by the core's JsReducer
/// (core/script, the runtime the app folds with) on a thread of their own, which wakes on every
/// append (AppendNotifier). Definitions, checkpoints, results and emitted events are written to the
/// streams the real server uses, so a store opened again from its log resumes them
/// (docs/PROJECTIONS.md lists the facts and their KurrentDB sources).
class UserProjections final : public AppendNotifier::Listener
{
public:
    explicit UserProjections(EventStore &store);
    ~UserProjections() override;

    /// Loads the projections the store's streams describe and starts running them.
    void start();
    /// Stops the thread (before the store is rebuilt or destroyed); start() loads again.
    void stop();

    UserProjectionReply create(UserProjectionDefinition definition, std::string *name);
    UserProjectionReply update(const std::string &name, const std::string &query, std::optional<bool> emitEnabled);
    UserProjectionReply remove(const std::string &name, bool emittedStreams, bool stateStream, bool checkpointStream);
    UserProjectionReply enable(const std::string &name);
    /// `writeCheckpoint` false is the server's Abort: what was processed since the last checkpoint is dropped.
    UserProjectionReply disable(const std::string &name, bool writeCheckpoint);
    UserProjectionReply reset(const std::string &name, bool writeCheckpoint);

    bool exists(const std::string &name) const;
    std::vector<UserProjectionStats> statistics() const;
    /// State / result of one partition ("" = the projection's whole state when it is not partitioned);
    /// Undefined when there is none (the server then answers an empty struct).
    UserProjectionReply state(const std::string &name, const std::string &partition, QJsonValue *out) const;
    UserProjectionReply result(const std::string &name, const std::string &partition, QJsonValue *out) const;
    /// Blocks until every running projection has processed the log as it is now (tests), or the timeout.
    bool waitIdle(int timeoutMs) const;
    /// For tests: a wedged projection stays Running and processes nothing — what a stalled reader looks
    /// like from outside (Projections V2 can wedge so) — until it is unwedged. False for an unknown name.
    bool setWedged(const std::string &name, bool wedged);
    /// `--run-projections=System`: user projections are registered, kept and managed, but none runs — each
    /// stays Stopped, "Stopped (Enabled)" when enabled, until the node runs with All. Upstream,
    /// ProjectionManager.IsProjectionEnabledToRunByMode lets only `$` names run below All and
    /// ManagedProjection.StartOrLoadStopped loads the others stopped (docs/PROJECTIONS.md). Default: they run.
    void setRunUserProjections(bool run);
    bool runsUserProjections() const;

    void appended() override;
    void closing() override {}

private:
    enum class Phase { Stopped, Running, Faulted, Completed, Aborted };
    struct Entry;
    struct Live;

    void run();
    /// One batch of one projection; true when it did something (more may follow).
    bool step(const std::string &name, Live &live);
    void load();
    void persistDefinition(const Entry &e);
    void writeCheckpoint(Entry &e);
    void fault(Entry &e, const std::string &reason);
    /// Writes what the handlers emitted; `causes` maps FoldEvent::index (the log index) to the event that
    /// caused each emit (its id and correlation go into the emitted event's metadata).
    bool writeEmitted(Entry &e, const QJsonArray &emitted, const std::map<quint64, const RecordedEvent *> &causes,
                      std::string *error);
    UserProjectionReply findLocked(const std::string &name, Entry **entry);
    /// Back to the last checkpoint: position, state, results.
    void rewind(Entry &e) const;
    /// After a management change: a new version, persisted, and the runner woken (releases `lock`).
    UserProjectionReply changed(Entry &e, std::unique_lock<std::mutex> &lock);
    UserProjectionStats statsOf(const Entry &e) const;

    EventStore &m_store;
    mutable std::mutex m_mutex;
    std::map<std::string, std::unique_ptr<Entry>> m_entries;
    std::map<std::string, std::unique_ptr<Live>> m_live; ///< the runner thread's only
    quint64 m_generations = 0;                           ///< the last Entry::generation given
    bool m_runUser = true;                               ///< false: --run-projections=System
    mutable std::mutex m_wakeMutex; ///< apart from m_mutex: the store notifies while a call may hold that
    mutable std::condition_variable m_wake;
    mutable std::condition_variable m_idle;
    bool m_dirty = true;
    bool m_busy = false;
    bool m_quit = false;
    std::thread m_thread;
};

} // namespace chronoscope::sandbox
