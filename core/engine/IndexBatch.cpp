#include "IndexBatch.h"

#include <algorithm>
#include <limits>

namespace chronoscope::engine {

IndexBatch::IndexBatch(const QList<RecordedEvent> &events)
{
    m_rows.reserve(size_t(events.size()));
    for (const RecordedEvent &e : events)
        append(e);
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

void IndexBatch::append(const RecordedEvent &event)
{
    const qint64 bytes = qint64(event.data.size()) + event.metadata.size();
    Row row;
    row.revision = event.revision;
    row.commit = event.position.commit;
    row.ticks = event.createdTicks;
    row.payloadBytes = quint32(std::min<qint64>(bytes, std::numeric_limits<quint32>::max()));
    row.stream = slotOf(event.streamId, m_streams, m_streamSlots);
    row.type = slotOf(event.type, m_types, m_typeSlots);
    m_rows.push_back(row);
    m_lastRevision = event.revision;
    m_lastPosition = event.position;
}

} // namespace chronoscope::engine
