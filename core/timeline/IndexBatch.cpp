#include "timeline/IndexBatch.h"

#include <algorithm>
#include <limits>

namespace chronoscope::engine {

quint32 indexedPayloadBytes(const RecordedEvent &event)
{
    const qint64 bytes = qint64(event.data.size()) + event.metadata.size();
    return quint32(std::min<qint64>(bytes, std::numeric_limits<quint32>::max()));
}

IndexBatch::IndexBatch(const QList<RecordedEvent> &events)
{
    // The name lookups are only needed while building: they stay on this (the reading) thread.
    QHash<QByteArray, quint32> streamSlots, typeSlots;
    m_rows.reserve(size_t(events.size()));
    for (const RecordedEvent &e : events) {
        Row row;
        row.revision = e.revision;
        row.commit = e.position.commit;
        row.ticks = e.createdTicks;
        row.payloadBytes = indexedPayloadBytes(e);
        row.stream = slotOf(e.streamId, m_streams, streamSlots);
        row.type = slotOf(e.type, m_types, typeSlots);
        m_rows.push_back(row);
    }
    if (!events.isEmpty()) {
        m_lastRevision = events.last().revision;
        m_lastPosition = events.last().position;
    }
}

quint32 IndexBatch::slotOf(const QByteArray &name, QList<QByteArray> &names, QHash<QByteArray, quint32> &slots)
{
    // Runs of one name (a single stream, a burst of one type) skip the hash.
    if (!names.isEmpty() && names.constLast() == name)
        return quint32(names.size() - 1);
    const auto found = slots.constFind(name);
    if (found != slots.constEnd())
        return *found;
    const auto slot = quint32(names.size());
    names.append(name);
    slots.insert(name, slot);
    return slot;
}

} // namespace chronoscope::engine
