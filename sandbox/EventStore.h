#pragma once

#include "StreamMetadata.h"
#include "Types.h"

#include <QUuid>

#include <atomic>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace chronoscope::sandbox {

/// One record of the global log, immutable once written.
struct StoredRecord
{
    std::string stream;
    quint64 revision = 0;
    quint64 position = 0; ///< commit == prepare: one record per event
    std::string type;
    bool isJson = true;
    qint64 createdTicks = 0;
    std::string data;
    std::string metadata;
    QUuid id;
    std::string idString; ///< canonical form, cached: reads send it for every event
};

/// Why a write was refused, with what the server puts in the error.
struct WriteError
{
    enum class Kind { None, WrongExpectedVersion, StreamDeleted, InvalidArgument, MaximumAppendSize };
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
    std::optional<quint64> position;        ///< of the last record written; none when nothing was written
};

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
    /// Frozen clock for deterministic tests: the n-th record gets startMs + n milliseconds.
    void setFrozenClock(qint64 startMs);
    void setMaxAppendSize(quint64 bytes) { m_maxAppendSize = bytes; }
    quint64 maxAppendSize() const { return m_maxAppendSize; }

    enum class Expected { Any, NoStream, StreamExists, Revision };
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
    WriteError checkExpected(const Stream *s, const std::string &name, Expected expected, quint64 rev,
                             bool forDelete) const;
    size_t writeRecord(const std::string &stream, Stream &s, quint64 revision, const ProposedEvent &e);
    StreamView viewLocked(const std::string &stream) const;
    bool isVisibleLocked(const std::string &stream, quint64 revision) const;
    /// Records created before this are past the stream's `$maxAge`; none when it has no `$maxAge`.
    std::optional<qint64> ageCutoffLocked(const Stream &s) const;

    mutable std::shared_mutex m_mutex;
    std::vector<StoredRecord> m_log;
    std::unordered_map<std::string, Stream> m_streams;
    quint64 m_nextPosition;
    quint64 m_maxAppendSize = 1024 * 1024;
    std::optional<qint64> m_frozenStartMs;
};

} // namespace chronoscope::sandbox
