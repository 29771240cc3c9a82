#include "timeline/TimelineIndex.h"

#include "timeline/IndexBatch.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace chronoscope::engine {

// `new T[n]` leaves the memory untouched, so a fresh chunk costs resident pages only as it fills.
TimelineIndex::Chunk::Chunk()
    : revision(new quint64[kChunkSize]), commit(new quint64[kChunkSize]), ticks(new qint64[kChunkSize]),
      type(new quint32[kChunkSize]), stream(new quint32[kChunkSize]), bytes(new quint32[kChunkSize])
{
}

TimelineIndex::TimelineIndex()
{
    // Reserved once so that appending never moves the table while other threads read through it.
    m_chunks.reserve(size_t(kMaxChunks));
}

TimelineIndex::~TimelineIndex() = default;

void TimelineIndex::clear()
{
    m_chunks.clear();
    m_blockMax.clear();
    m_size = 0;
    m_published.store(0, std::memory_order_release);
    m_runningMax = 0;
    m_timeMonotone = m_revisionsIncreasing = m_commitsMonotone = true;
    m_types.clear();
    m_streams.clear();
    m_categories.clear();
}

void TimelineIndex::append(const RecordedEvent &event)
{
    append(event.streamId, event.type, event.revision, event.position.commit, event.createdTicks,
           indexedPayloadBytes(event));
}

void TimelineIndex::append(QByteArrayView stream, QByteArrayView type, quint64 revision, quint64 commitPosition,
                           qint64 createdTicks, quint32 payloadBytes)
{
    appendIds(internStream(stream), m_types.intern(type), revision, commitPosition, createdTicks, payloadBytes);
}

quint32 TimelineIndex::internStream(QByteArrayView stream)
{
    const quint32 streamId = m_streams.intern(stream);
    if (streamId == m_categories.streamCount()) // a new stream: file it once, not per event
        m_categories.addStream(stream);
    return streamId;
}

void TimelineIndex::appendBatch(const QList<RecordedEvent> &events)
{
    for (const RecordedEvent &e : events)
        append(e);
}

void TimelineIndex::appendBatch(const IndexBatch &batch)
{
    std::vector<quint32> streamIds, typeIds;
    streamIds.reserve(size_t(batch.streams().size()));
    typeIds.reserve(size_t(batch.types().size()));
    for (const QByteArray &name : batch.streams())
        streamIds.push_back(internStream(name));
    for (const QByteArray &name : batch.types())
        typeIds.push_back(m_types.intern(name));
    for (const IndexBatch::Row &row : batch.rows())
        appendIds(streamIds[row.stream], typeIds[row.type], row.revision, row.commit, row.ticks, row.payloadBytes);
}

void TimelineIndex::appendIds(quint32 streamId, quint32 typeId, quint64 revision, quint64 commit, qint64 ticks,
                              quint32 bytes)
{
    if (slot(m_size) == 0 && (m_size >> kChunkBits) == m_chunks.size()) {
        if (m_chunks.size() == size_t(kMaxChunks))
            throw std::length_error("TimelineIndex: more than 2^32 events");
        m_chunks.emplace_back(std::make_unique<Chunk>());
    }
    if (m_size > 0) {
        const quint64 last = m_size - 1;
        m_timeMonotone = m_timeMonotone && ticks >= createdTicks(last);
        m_revisionsIncreasing = m_revisionsIncreasing && revision > this->revision(last);
        m_commitsMonotone = m_commitsMonotone && commit >= commitPosition(last);
        m_runningMax = std::max(m_runningMax, ticks);
    } else {
        m_runningMax = ticks;
    }
    Chunk &c = *m_chunks.back();
    const size_t s = slot(m_size);
    c.revision[s] = revision;
    c.commit[s] = commit;
    c.ticks[s] = ticks;
    c.type[s] = typeId;
    c.stream[s] = streamId;
    c.bytes[s] = bytes;
    const size_t block = size_t(m_size >> kBlockBits);
    if (block == m_blockMax.size())
        m_blockMax.push_back(m_runningMax);
    else
        m_blockMax[block] = m_runningMax;
    ++m_size;
    m_published.store(m_size, std::memory_order_release);
}

TimelineEntry TimelineIndex::entry(quint64 ordinal) const
{
    const Chunk &c = chunk(ordinal);
    const size_t s = slot(ordinal);
    return TimelineEntry{ordinal, c.revision[s], c.commit[s], c.ticks[s], c.type[s], c.stream[s], c.bytes[s]};
}

namespace {
/// First i in [0, n) with !before(i), for a predicate that is true on a prefix.
template<typename Before>
quint64 partitionPoint(quint64 n, Before before)
{
    quint64 lo = 0, hi = n;
    while (lo < hi) {
        const quint64 mid = lo + (hi - lo) / 2;
        if (before(mid))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
} // namespace

std::optional<quint64> TimelineIndex::findRevision(quint64 rev) const
{
    if (m_revisionsIncreasing) {
        const quint64 at = partitionPoint(m_size, [&](quint64 o) { return revision(o) < rev; });
        if (at < m_size && revision(at) == rev)
            return at;
        return std::nullopt;
    }
    for (quint64 o = 0; o < m_size; ++o)
        if (revision(o) == rev)
            return o;
    return std::nullopt;
}

std::optional<quint64> TimelineIndex::findRevision(QByteArrayView stream, quint64 rev) const
{
    const qint64 id = m_streams.find(stream);
    if (id < 0)
        return std::nullopt;
    if (m_streams.size() == 1)
        return findRevision(rev);
    for (quint64 o = 0; o < m_size; ++o)
        if (streamId(o) == quint32(id) && revision(o) == rev)
            return o;
    return std::nullopt;
}

quint64 TimelineIndex::lowerBoundCommitPosition(quint64 commit) const
{
    if (m_commitsMonotone)
        return partitionPoint(m_size, [&](quint64 o) { return commitPosition(o) < commit; });
    for (quint64 o = 0; o < m_size; ++o)
        if (commitPosition(o) >= commit)
            return o;
    return m_size;
}

quint64 TimelineIndex::firstAfter(qint64 t) const
{
    // The block maxima are the running maximum sampled every 256 events: find the first block whose
    // running maximum passes t, then walk that block.
    const auto it = std::upper_bound(m_blockMax.begin(), m_blockMax.end(), t);
    if (it == m_blockMax.end())
        return m_size;
    const quint64 block = quint64(it - m_blockMax.begin());
    quint64 o = block << kBlockBits;
    qint64 running = block == 0 ? std::numeric_limits<qint64>::min() : m_blockMax[size_t(block - 1)];
    const quint64 end = std::min(m_size, o + (quint64(1) << kBlockBits));
    for (; o < end; ++o) {
        running = std::max(running, createdTicks(o));
        if (running > t)
            return o;
    }
    return m_size; // not reached: the block's maximum is > t
}

std::optional<quint64> TimelineIndex::lastAtOrBefore(qint64 t) const
{
    const quint64 first = firstAfter(t);
    if (first == 0)
        return std::nullopt;
    return first - 1;
}

quint64 TimelineIndex::memoryBytes() const
{
    constexpr quint64 perEntry = 3 * sizeof(quint64) + 3 * sizeof(quint32);
    return m_chunks.size() * (kChunkSize * perEntry + sizeof(Chunk)) + m_chunks.size() * sizeof(void *)
        + m_blockMax.capacity() * sizeof(qint64) + m_types.memoryBytes() + m_streams.memoryBytes()
        + m_categories.memoryBytes();
}

} // namespace chronoscope::engine
