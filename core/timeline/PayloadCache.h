#pragma once

#include "timeline/EventSource.h"

#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace chronoscope::engine {

/// A bounded LRU cache of payloads in front of an EventSource.
///
/// Events are fetched and cached in blocks of `blockEvents` consecutive ordinals (one round trip per
/// block, and folding walks ordinals in order). The cache holds at most `capacityBytes` of events
/// (payload, metadata and names, plus a fixed per-event overhead); the least recently used block
/// goes first. A block handed out stays valid while the caller holds it, evicted or not.
/// Safe to use from several threads (one lock around lookups and fetches).
class PayloadCache
{
public:
    using Block = std::shared_ptr<const QList<RecordedEvent>>;

    struct BlockResult
    {
        Block events;       ///< the block's events; null on error
        quint64 first = 0;  ///< ordinal of events->first()
        QString error;
        bool endOfTimeline = false; ///< the error is only that the source has no such ordinal
    };

    explicit PayloadCache(std::shared_ptr<EventSource> source, quint64 capacityBytes = 256ull << 20,
                          quint32 blockEvents = 256);

    /// The cached block holding `ordinal`, fetching it when needed.
    BlockResult blockFor(quint64 ordinal);
    /// Copies of the events [first, first + count) (fewer at the end of the timeline).
    FetchResult events(quint64 first, quint64 count);

    void setCapacityBytes(quint64 bytes);
    quint64 capacityBytes() const;
    quint64 cachedBytes() const;
    quint64 hits() const;
    quint64 misses() const;
    quint32 blockEvents() const { return m_blockEvents; }
    /// Drops every block (e.g. after the source's content changed).
    void clear();

    /// The bytes an event is accounted for.
    static quint64 eventBytes(const RecordedEvent &e);

private:
    struct Entry
    {
        Block block;
        quint64 bytes = 0;
        std::list<quint64>::iterator lru;
    };
    void evictLocked();

    std::shared_ptr<EventSource> m_source;
    quint32 m_blockEvents;
    mutable std::mutex m_mutex;
    quint64 m_capacity;
    quint64 m_bytes = 0;
    quint64 m_hits = 0;
    quint64 m_misses = 0;
    std::list<quint64> m_lru; ///< block numbers, most recent first
    std::unordered_map<quint64, Entry> m_blocks;
};

} // namespace chronoscope::engine
