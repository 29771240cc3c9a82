#pragma once

#include "AppendNotifier.h"
#include "CommittedEvents.h"
#include "StoredRecord.h"
#include "model/StreamMetadata.h"
#include "model/Types.h"

#include <QUuid>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace chronoscope::sandbox {

class LogFile;
class UserProjections;

/// Why a write was refused, with what the server puts in the error.
struct WriteError
{
    enum class Kind { None, WrongExpectedVersion, StreamDeleted, InvalidArgument, MaximumAppendSize, Storage };
    Kind kind = Kind::None;
    std::string message;
    /// WrongExpectedVersion: -1 no stream, -2 any, -4 stream exists, else the revision.
    qint64 expected = 0;
    std::optional<quint64> actual; ///< none = the stream does not exist
    explicit operator bool() const { return kind != Kind::None; }
};

struct ProposedEvent
{
    QUuid id;
    std::string type;
    bool isJson = true;
    std::string data;
    std::string metadata;
    qint64 createdTicks = 0; ///< 0 = now; imports (the demo history) give their own time
};

struct WriteResult
{
    WriteError error;
    std::optional<quint64> currentRevision; ///< none = the stream has no events
    /// Of the last record written; for an idempotent retry, of the original's last event; none
    /// when nothing was written.
    std::optional<quint64> position;
    /// The events were there already (an idempotent retry): success, and nothing was written.
    bool idempotent = false;
};

/// What the Projections service reports about one system projection.
struct ProjectionStatus
{
    std::string name;
    bool running = false;
    quint64 eventsProcessed = 0; ///< since this process started
    size_t checkpoint = 0;       ///< log records processed
    size_t logSize = 0;
    std::optional<quint64> lastPosition; ///< of the last record processed
};

/// Bytes a record takes in `$all` positions (the gap to the next record's position).
quint64 recordSpan(const StoredRecord &r);

/// The visible part of a stream at the time of a read.
struct StreamView
{
    enum class State { Missing, SoftDeleted, Tombstoned, Present };
    State state = State::Missing;
    quint64 firstVisible = 0;  ///< revisions below are truncated ($tb, $maxCount)
    quint64 last = 0;          ///< last revision; valid when there are events
    bool hasEvents = false;
};

/// An in-memory EventStoreDB: a global log with `$all` positions, streams with revisions,
/// metadata streams with `$tb` / `$maxCount` / `$maxAge` honoured on read, soft delete and
/// tombstones, and `$>` links. Thread-safe; readers copy small batches under a shared lock.
class EventStore
{
public:
    using Clock = std::function<qint64()>; ///< ticks since the Unix epoch

    EventStore();
    ~EventStore();
    EventStore(const EventStore &) = delete;
    EventStore &operator=(const EventStore &) = delete;

    /// Makes the store durable: replays `path` (created when missing) into this empty store, then
    /// appends every new record to it and acknowledges a write only once its records are synced.
    /// A torn last record is cut off and described in `notice`. Call before serving.
    bool openLog(const std::string &path, std::string *error, std::string *notice);
    /// Off while seeding: the caller syncs once at the end with syncLog().
    void setSyncEachWrite(bool on) { m_syncEachWrite = on; }
    bool syncLog(std::string *error);

    /// The system projections (`$streams`, `$by_category`, `$by_event_type`, `$by_correlation_id`,
    /// `$stream_by_category`). `available` = the projection subsystem runs (the real server's
    /// --run-projections other than None); `startAll` = they start enabled
    /// (--start-standard-projections). Their links are written in the same commit as the events
    /// they index, so a read right after an append sees them (the real server is asynchronous).
    void configureProjections(bool available, bool startAll);
    bool projectionsAvailable() const { return m_projectionsAvailable; }
    /// Whether the standard projections run (started enabled, or enabled since).
    bool standardProjectionsRunning() const;
    /// The user projections (Create, Update, …): null until configureProjections() makes the
    /// subsystem available. They run on a thread of their own and reload when the log is reopened.
    UserProjections *userProjections() const { return m_user.get(); }
    std::vector<ProjectionStatus> projectionStatuses() const;
    /// Enables (catching up from its checkpoint) or disables a projection; false = no such projection.
    bool setProjectionRunning(const std::string &name, bool running, WriteError *error);
    /// Frozen clock for deterministic tests: the n-th record gets startMs + n milliseconds.
    void setFrozenClock(qint64 startMs);
    void setMaxAppendSize(quint64 bytes) { m_maxAppendSize = bytes; }
    quint64 maxAppendSize() const { return m_maxAppendSize; }

    enum class Expected { Any, NoStream, StreamExists, Revision };
    /// Appends as the real server decides (IndexWriter.CheckCommit; docs/SANDBOX-IDEMPOTENCY.md):
    /// an append whose ids are already there is answered from the original and writes nothing:
    /// checked against the stored events after the expected revision (exact revision, no_stream:
    /// survives restarts), or against the ids recently committed (any, stream_exists: a bounded
    /// memory that a restart empties). Ids matching only in part are a wrong expected version.
    WriteResult append(const std::string &stream, Expected expected, quint64 expectedRevision,
                       const std::vector<ProposedEvent> &events);
    WriteResult softDelete(const std::string &stream, Expected expected, quint64 expectedRevision);
    WriteResult tombstone(const std::string &stream, Expected expected, quint64 expectedRevision);

    StreamView view(const std::string &stream) const;
    using Visitor = std::function<void(const StoredRecord &)>;

    /// Visits up to `max` visible records of `stream` from revision `from` in the given direction,
    /// under a shared lock (build the reply there, send it after). Returns how many were visited.
    size_t readStream(const std::string &stream, quint64 from, bool forwards, size_t max, const Visitor &visit) const;

    /// Index of the first record at or after `position` (forwards) — log order.
    size_t logSize() const;
    quint64 endPosition() const;
    /// Log index of the record with exactly this position, or of the end; none when not a boundary.
    std::optional<size_t> indexOfPosition(quint64 position) const;
    /// Visits log records from index `from` (forwards: from, from+1, …; backwards: from-1, from-2, …)
    /// that `keep` accepts, under a shared lock; stops after `max` visited or `scanLimit` scanned.
    /// Returns the index to continue from.
    size_t readLog(size_t from, bool forwards, size_t max, const std::function<bool(const StoredRecord &)> &keep,
                   size_t scanLimit, const Visitor &visit) const;

    /// Resolves a `$>` record's target ("<rev>@<stream>"); null when deleted, truncated or missing.
    /// Only to be called from inside a visitor (the lock is held there).
    const StoredRecord *resolveLinkLocked(const StoredRecord &link) const;

    size_t streamCount() const;

    /// The weak idempotency check's memory of committed ids (CommittedEvents): its budget in the
    /// server's own estimate of bytes (default 8 MiB, upstream's constant), and how many ids it holds.
    void setCommittedEventsLimit(quint64 bytes);
    size_t committedEventsRemembered() const;

    /// What a restart of the process does to the store: the ids remembered for the weak
    /// idempotency check are forgotten, and the store is rebuilt from its log file (openLog) — or,
    /// in memory only, starts empty, as a real server's --mem-db does. Settings (clock, projections,
    /// limits) stay. Nothing may read or write the store meanwhile (stop the servers first).
    bool restart(std::string *error);

    /// Live subscriptions register here; every write notifies them once its lock is released.
    AppendNotifier &notifier() const { return m_notifier; }
    /// The stream's metadata as its `$$stream` last set it; none when never set or not valid JSON.
    std::optional<StreamMetadata> metadataOf(const std::string &stream) const;

private:
    struct Stream
    {
        std::vector<size_t> records; ///< log indices in revision order (tombstone excluded)
        bool tombstoned = false;
        std::optional<StreamMetadata> metadata; ///< parsed from the last `$$stream` event
    };

    qint64 nowTicks() const; ///< the frozen clock advances 1 ms per record written
    /// How the server decides an append (IndexWriter.CheckCommit): write it, answer it from the
    /// events already there (idempotent: `result` filled), or refuse it (`result.error`).
    enum class Commit { Write, Idempotent, Refused };
    Commit checkCommitLocked(Stream &s, const std::string &name, Expected expected, quint64 rev,
                             const std::vector<ProposedEvent> &events, WriteResult *result) const;
    /// The expected-version check of a delete (soft or hard): false, with `result->error` set, when refused.
    bool checkDeleteLocked(Stream &s, const std::string &name, Expected expected, quint64 rev,
                           WriteResult *result) const;
    size_t writeRecord(const std::string &stream, quint64 revision, const ProposedEvent &e);
    /// Adds a record read back from the log file; false when it does not continue the log.
    bool replayRecord(StoredRecord &&r, std::string *error);
    bool openLogFile(const std::string &path, std::string *error, std::string *notice);
    /// Applies a record (new or replayed) to the stream index.
    void indexRecord(size_t index);
    /// Runs the enabled projections over the records they have not seen yet (write lock held).
    void runProjectionsLocked();
    /// Waits, without the lock, until what this write enqueued is durable; turns a failure into the result.
    void makeDurable(std::unique_lock<std::shared_mutex> &lock, WriteResult *result);
    /// True (with the error) once the log file could not be written: no write is acknowledged after that.
    bool logFailedLocked(WriteError *error) const;
    StreamView viewLocked(const std::string &stream) const;
    bool isVisibleLocked(const std::string &stream, quint64 revision) const;
    /// Records created before this are past the stream's `$maxAge`; none when it has no `$maxAge`.
    std::optional<qint64> ageCutoffLocked(const Stream &s) const;

    /// Declared before a write's lock: notifies the subscriptions after the lock is released.
    struct NotifyOnExit
    {
        AppendNotifier &notifier;
        ~NotifyOnExit() { notifier.appended(); }
    };

    mutable AppendNotifier m_notifier;
    mutable std::shared_mutex m_mutex;
    std::vector<StoredRecord> m_log;
    std::unordered_map<std::string, Stream> m_streams;
    quint64 m_nextPosition;
    quint64 m_maxAppendSize = 1024 * 1024;
    std::optional<qint64> m_frozenStartMs;

    CommittedEvents m_committed; ///< every record written since the start, as long as it fits

    std::unique_ptr<LogFile> m_logFile;
    std::string m_logPath; ///< for restart()
    quint64 m_logEnd = 0; ///< file offset the last enqueued record ends at
    bool m_syncEachWrite = true;

    struct Projection
    {
        bool running = false;
        size_t checkpoint = 0; ///< log index of the next record to process
        quint64 processed = 0;
    };
    bool m_projectionsAvailable = false;
    std::array<Projection, 5> m_projections;
    std::unique_ptr<UserProjections> m_user; ///< last: its thread ends before the store goes
};

} // namespace chronoscope::sandbox
