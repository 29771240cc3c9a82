#include "timeline/PayloadCache.h"

#include <algorithm>

namespace chronoscope::engine {

PayloadCache::PayloadCache(std::shared_ptr<EventSource> source, quint64 capacityBytes, quint32 blockEvents)
    : m_source(std::move(source)), m_blockEvents(std::max<quint32>(1, blockEvents)), m_capacity(capacityBytes)
{
}

quint64 PayloadCache::eventBytes(const RecordedEvent &e)
{
    return sizeof(RecordedEvent) + quint64(e.data.size() + e.metadata.size() + e.streamId.size() + e.type.size()
                                           + e.contentType.size());
}

PayloadCache::BlockResult PayloadCache::blockFor(quint64 ordinal)
{
    const quint64 number = ordinal / m_blockEvents;
    const quint64 first = number * m_blockEvents;
    std::lock_guard<std::mutex> lock(m_mutex);
    auto it = m_blocks.find(number);
    // A block fetched while the timeline was shorter may lack the ordinal: fetch it again.
    if (it != m_blocks.end() && ordinal - first < quint64(it->second.block->size())) {
        ++m_hits;
        m_lru.splice(m_lru.begin(), m_lru, it->second.lru);
        return {it->second.block, first, {}, false};
    }
    ++m_misses;
    FetchResult fetched = m_source->fetch(first, m_blockEvents);
    const bool holdsOrdinal = ordinal - first < quint64(fetched.events.size());
    if (!holdsOrdinal) {
        QString error = fetched.error.isEmpty()
            ? QStringLiteral("no event at ordinal %1 (the source has %2 from ordinal %3)")
                  .arg(ordinal)
                  .arg(fetched.events.size())
                  .arg(first)
            : fetched.error;
        return {nullptr, first, error, fetched.error.isEmpty()};
    }
    quint64 bytes = 0;
    for (const RecordedEvent &e : std::as_const(fetched.events))
        bytes += eventBytes(e);
    auto block = std::make_shared<const QList<RecordedEvent>>(std::move(fetched.events));
    if (it != m_blocks.end()) {
        m_bytes -= it->second.bytes;
        m_lru.erase(it->second.lru);
        m_blocks.erase(it);
    }
    m_lru.push_front(number);
    m_blocks.emplace(number, Entry{block, bytes, m_lru.begin()});
    m_bytes += bytes;
    evictLocked();
    // A partial fetch error (events after `ordinal` missing) surfaces when those are asked for.
    return {block, first, {}, false};
}

FetchResult PayloadCache::events(quint64 first, quint64 count)
{
    FetchResult result;
    quint64 ordinal = first;
    const quint64 end = first + count;
    while (ordinal < end) {
        const BlockResult b = blockFor(ordinal);
        if (!b.events) {
            // Running past the end of the timeline is not an error, just a shorter result.
            if (!b.endOfTimeline)
                result.error = b.error;
            break;
        }
        const quint64 from = ordinal - b.first;
        const quint64 n = std::min<quint64>(end - ordinal, quint64(b.events->size()) - from);
        result.events.append(b.events->mid(qsizetype(from), qsizetype(n)));
        ordinal += n;
    }
    return result;
}

void PayloadCache::evictLocked()
{
    // Keep the most recent block even when it alone is over capacity: it is in use.
    while (m_bytes > m_capacity && m_lru.size() > 1) {
        const quint64 number = m_lru.back();
        m_lru.pop_back();
        auto it = m_blocks.find(number);
        m_bytes -= it->second.bytes;
        m_blocks.erase(it);
    }
}

void PayloadCache::setCapacityBytes(quint64 bytes)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_capacity = bytes;
    evictLocked();
}

quint64 PayloadCache::capacityBytes() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_capacity;
}

quint64 PayloadCache::cachedBytes() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_bytes;
}

quint64 PayloadCache::hits() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_hits;
}

quint64 PayloadCache::misses() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_misses;
}

void PayloadCache::clear()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_blocks.clear();
    m_lru.clear();
    m_bytes = 0;
}

} // namespace chronoscope::engine
