#include "ReadCursor.h"

namespace chronoscope::sandbox {

namespace {
constexpr int kFirstStreamPosition = 5; // ReadResp field numbers
constexpr int kLastStreamPosition = 6;
} // namespace

void encodeRecord(const wire::ReadEncoder &encoder, wire::ReadEncoder::Batch &out, const EventStore &store,
                  const StoredRecord &r, bool resolveLinks)
{
    if (resolveLinks && r.type == SystemEventTypes::LinkTo)
        encoder.appendEvent(out, store.resolveLinkLocked(r), &r, r.position);
    else
        encoder.appendEvent(out, &r, nullptr, r.position);
}

StreamReadCursor::StreamReadCursor(const EventStore &store, StreamReadSpec spec)
    : m_store(store), m_spec(std::move(spec)), m_encoder(m_spec.structuredIds), m_next(m_spec.from),
      m_remaining(m_spec.count)
{
}

bool StreamReadCursor::next(wire::ReadEncoder::Batch &out)
{
    out.clear();
    const size_t want = size_t(std::min<quint64>(m_remaining, kBatch));
    bool more = want > 0;
    if (more) {
        size_t n = 0;
        quint64 lastRev = m_next;
        m_store.readStream(m_spec.stream, m_next, m_spec.forwards, want, [&](const StoredRecord &r) {
            encodeRecord(m_encoder, out, m_store, r, m_spec.resolveLinks);
            lastRev = r.revision;
            ++n;
        });
        m_sent += n;
        m_remaining -= n;
        if (n < want) {
            m_reachedEnd = true;
            more = false;
        } else if (m_spec.forwards) {
            m_next = lastRev + 1;
            if (lastRev >= m_spec.view.last) {
                m_reachedEnd = true;
                more = false;
            }
        } else if (lastRev == 0) {
            more = false;
        } else {
            m_next = lastRev - 1;
        }
        more = more && m_remaining > 0;
    }
    if (!more)
        appendTrailer(out);
    return more;
}

void StreamReadCursor::appendTrailer(wire::ReadEncoder::Batch &out) const
{
    if (!m_spec.compatibility)
        return;
    const StreamView &v = m_spec.view;
    if (m_spec.forwards && m_reachedEnd)
        wire::ReadEncoder::appendStreamPosition(out, kLastStreamPosition, v.last);
    else if (!m_spec.forwards && m_sent == 0 && m_spec.from != v.firstVisible && v.hasEvents)
        wire::ReadEncoder::appendStreamPosition(out, kFirstStreamPosition, v.firstVisible);
}

AllReadCursor::AllReadCursor(const EventStore &store, AllReadSpec spec)
    : m_store(store), m_spec(std::move(spec)), m_encoder(m_spec.structuredIds), m_index(m_spec.index),
      m_remaining(m_spec.count)
{
}

bool AllReadCursor::next(wire::ReadEncoder::Batch &out)
{
    out.clear();
    const size_t want = size_t(std::min<quint64>(m_remaining, kBatch));
    if (want == 0)
        return false;
    const auto keep = [this](const StoredRecord &r) {
        return !hiddenFromAll(r) && (!m_spec.filter || m_spec.filter->matches(r));
    };
    const size_t before = m_index;
    m_index = m_store.readLog(m_index, m_spec.forwards, want, keep, kScanLimit, [&](const StoredRecord &r) {
        encodeRecord(m_encoder, out, m_store, r, m_spec.resolveLinks);
    });
    m_remaining -= out.count();
    const bool atEdge = m_spec.forwards ? m_index >= m_store.logSize() : m_index == 0;
    return m_remaining > 0 && m_index != before && !atEdge;
}

} // namespace chronoscope::sandbox
