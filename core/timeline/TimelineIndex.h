#pragma once

#include "model/Types.h"
#include "timeline/StreamCategories.h"
#include "timeline/StringInterner.h"

#include <QList>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace chronoscope::engine {

class IndexBatch;

/// One indexed event, unpacked. The event's payload is not here: it is fetched by ordinal through
/// an EventSource (the ordinal is the payload's location).
struct TimelineEntry
{
    quint64 ordinal = 0;
    quint64 revision = 0;
    quint64 commitPosition = 0;
    qint64 createdTicks = 0;
    quint32 typeId = 0;
    quint32 streamId = 0;
    quint32 payloadBytes = 0; ///< data + metadata size, for display and cache sizing
};

/// A compact, append-only index of the events of a timeline (one stream or `$all`), in read order.
///
/// Memory: 36 bytes per event in fixed-size struct-of-arrays chunks (no per-entry allocation, no
/// reallocation copies when growing), plus the interned type and stream names and 4 bytes per
/// stream for its category (StreamCategories). Ordinals are
/// dense: 0 .. size()-1 in the order the events were appended.
///
/// Time lookup: created times are non-decreasing in practice but nothing guarantees it (clock
/// changes, imported events). Lookups use the running maximum of created times, which is always
/// non-decreasing: "at time T" means the longest prefix of the timeline in which no event was
/// created after T. For monotone data that is simply "the last event created at or before T".
///
/// Threads: one thread (the owner) appends, clears and does lookups. Other threads may call
/// size() and the per-ordinal field accessors (revision() … payloadBytes(), categoryId(), entry()) for ordinals
/// below a size() they observed while the owner appends: entries never move once written (the
/// chunk table is reserved up front) and size() publishes them with release/acquire ordering.
/// Names (typeName(), streamName(), types(), streams(), categories().names()) and lookups stay on
/// the owner's thread.
class TimelineIndex
{
public:
    TimelineIndex();
    ~TimelineIndex();
    TimelineIndex(const TimelineIndex &) = delete;
    TimelineIndex &operator=(const TimelineIndex &) = delete;

    void append(const RecordedEvent &event);
    void append(QByteArrayView stream, QByteArrayView type, quint64 revision, quint64 commitPosition,
                qint64 createdTicks, quint32 payloadBytes);
    void appendBatch(const QList<RecordedEvent> &events);
    /// Interns the batch's names once each, then appends its rows.
    void appendBatch(const IndexBatch &batch);
    void clear();

    quint64 size() const { return m_published.load(std::memory_order_acquire); }
    bool isEmpty() const { return size() == 0; }

    // Field access by ordinal (ordinal < size()).
    quint64 revision(quint64 ordinal) const { return chunk(ordinal).revision[slot(ordinal)]; }
    quint64 commitPosition(quint64 ordinal) const { return chunk(ordinal).commit[slot(ordinal)]; }
    qint64 createdTicks(quint64 ordinal) const { return chunk(ordinal).ticks[slot(ordinal)]; }
    quint32 typeId(quint64 ordinal) const { return chunk(ordinal).type[slot(ordinal)]; }
    quint32 streamId(quint64 ordinal) const { return chunk(ordinal).stream[slot(ordinal)]; }
    quint32 payloadBytes(quint64 ordinal) const { return chunk(ordinal).bytes[slot(ordinal)]; }
    /// The category id of the event's stream (see StreamCategories).
    quint32 categoryId(quint64 ordinal) const { return m_categories.categoryOf(streamId(ordinal)); }
    TimelineEntry entry(quint64 ordinal) const;
    QByteArray typeName(quint64 ordinal) const { return m_types.name(typeId(ordinal)); }
    QByteArray streamName(quint64 ordinal) const { return m_streams.name(streamId(ordinal)); }

    const StringInterner &types() const { return m_types; }
    const StringInterner &streams() const { return m_streams; }
    const StreamCategories &categories() const { return m_categories; }

    /// The first ordinal holding `revision` (binary search while revisions have been strictly
    /// increasing, as in a single stream; a linear scan otherwise, e.g. in `$all`).
    std::optional<quint64> findRevision(quint64 revision) const;
    /// The ordinal of `stream`'s event at `revision` (linear in `$all`).
    std::optional<quint64> findRevision(QByteArrayView stream, quint64 revision) const;
    /// The first ordinal whose commit position is >= `commit` (size() when none); binary search
    /// while commit positions are non-decreasing, a linear scan otherwise.
    quint64 lowerBoundCommitPosition(quint64 commit) const;

    /// The last ordinal of the longest prefix in which every event was created at or before
    /// `ticks` (ties included); none when the first event is already later.
    std::optional<quint64> lastAtOrBefore(qint64 ticks) const;
    /// The first ordinal past that prefix (size() when every event is at or before `ticks`).
    quint64 firstAfter(qint64 ticks) const;

    bool timeMonotone() const { return m_timeMonotone; }
    bool revisionsIncreasing() const { return m_revisionsIncreasing; }

    /// Bytes held by the index itself (chunks, block maxima, interned names).
    quint64 memoryBytes() const;

    static constexpr int kChunkBits = 16;
    static constexpr quint64 kChunkSize = quint64(1) << kChunkBits;
    static constexpr quint64 kMaxChunks = quint64(1) << 16; ///< 2^32 events in all
    static constexpr int kBlockBits = 8; ///< granularity of the running-maximum time table

private:
    struct Chunk
    {
        Chunk();
        std::unique_ptr<quint64[]> revision;
        std::unique_ptr<quint64[]> commit;
        std::unique_ptr<qint64[]> ticks;
        std::unique_ptr<quint32[]> type;
        std::unique_ptr<quint32[]> stream;
        std::unique_ptr<quint32[]> bytes;
    };
    const Chunk &chunk(quint64 ordinal) const { return *m_chunks[size_t(ordinal >> kChunkBits)]; }
    static size_t slot(quint64 ordinal) { return size_t(ordinal & (kChunkSize - 1)); }
    /// The stream's id, its category filed when it is new.
    quint32 internStream(QByteArrayView stream);
    void appendIds(quint32 streamId, quint32 typeId, quint64 revision, quint64 commit, qint64 ticks,
                   quint32 bytes);

    std::vector<std::unique_ptr<Chunk>> m_chunks;
    std::vector<qint64> m_blockMax; ///< running max of created ticks at the end of each 256-block
    quint64 m_size = 0;                     ///< the owner's count
    std::atomic<quint64> m_published{0};    ///< m_size as other threads may see it
    qint64 m_runningMax = 0;
    bool m_timeMonotone = true;
    bool m_revisionsIncreasing = true;
    bool m_commitsMonotone = true;
    StringInterner m_types;
    StringInterner m_streams;
    StreamCategories m_categories; ///< one entry per id of m_streams
};

} // namespace chronoscope::engine
