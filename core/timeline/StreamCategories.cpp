#include "timeline/StreamCategories.h"

namespace chronoscope::engine {

StreamCategories::StreamCategories() = default;

StreamCategories::~StreamCategories() = default;

QByteArrayView StreamCategories::categoryOf(QByteArrayView stream)
{
    const qsizetype dash = stream.indexOf('-');
    if (dash <= 0)
        return {};
    return stream.first(dash);
}

void StreamCategories::addStream(QByteArrayView stream)
{
    const Slot at = slotOf(m_streams);
    if (at.offset == 0)
        m_segments[size_t(at.segment)].reset(new quint32[size_t(kFirstSegment) << at.segment]);
    m_segments[size_t(at.segment)][at.offset] = m_names.intern(categoryOf(stream));
    ++m_streams;
}

void StreamCategories::clear()
{
    for (auto &segment : m_segments)
        segment.reset();
    m_streams = 0;
    m_names.clear();
}

quint64 StreamCategories::memoryBytes() const
{
    quint64 bytes = m_names.memoryBytes();
    for (size_t s = 0; s < m_segments.size() && m_segments[s]; ++s)
        bytes += (quint64(kFirstSegment) << s) * sizeof(quint32);
    return bytes;
}

} // namespace chronoscope::engine
