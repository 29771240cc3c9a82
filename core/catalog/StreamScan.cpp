#include "catalog/StreamScan.h"

#include "model/StreamMetadata.h"

namespace chronoscope {

StreamScan::StreamScan(const StreamListQuery &query)
    : m_query(query)
    , m_regex(query.regex())
{
}

StreamSighting &StreamScan::sighting(const QByteArray &name)
{
    auto it = m_seen.find(name);
    if (it == m_seen.end()) {
        it = m_seen.insert(name, StreamSighting{name, 0, 0, 0, StreamDeletion::None});
        m_fresh.push_back(name);
    }
    m_touched.insert(name);
    return *it;
}

void StreamScan::markDeleted(const QByteArray &name, StreamDeletion deletion)
{
    if (!m_query.accepts(name, m_regex))
        return;
    StreamSighting &s = sighting(name);
    if (deletion == StreamDeletion::Tombstoned || s.deletion == StreamDeletion::None)
        s.deletion = deletion;
}

void StreamScan::see(const RecordedEvent &e, bool knowsCreation)
{
    ++m_scanned;
    if (e.type == SystemEventTypes::StreamDeleted) {
        markDeleted(e.streamId, StreamDeletion::Tombstoned);
        return;
    }
    if (SystemStreams::isMetastream(e.streamId) && e.type == SystemEventTypes::StreamMetadata) {
        const QByteArray stream = SystemStreams::originalStreamOf(e.streamId);
        // Only the newest metadata counts, and only if no event of the stream is newer: a soft
        // deleted stream that was written to again is alive (its numbering goes on).
        const auto known = m_seen.constFind(stream); // `$streams` may have listed it, unseen
        if (!m_metadataSeen.contains(stream) && (known == m_seen.cend() || known->eventsSeen == 0)) {
            const std::optional<StreamMetadata> meta = StreamMetadata::fromJson(e.data);
            if (meta && meta->isSoftDeleted())
                markDeleted(stream, StreamDeletion::SoftDeleted);
        }
        m_metadataSeen.insert(stream);
    }
    if (!m_query.accepts(e.streamId, m_regex))
        return;
    StreamSighting &s = sighting(e.streamId);
    const qint64 ms = e.createdMsecsSinceEpoch();
    if (s.eventsSeen == 0)
        s.lastEventMs = ms; // backwards: the first event met is the newest
    if (knowsCreation)
        s.createdMs = ms; // …and the last one met the oldest
    ++s.eventsSeen;
}

void StreamScan::seeStreamLink(const RecordedEvent &link)
{
    ++m_scanned;
    const QByteArray name = linkTarget(link.data);
    if (name.isEmpty() || !m_query.accepts(name, m_regex))
        return;
    sighting(name).createdMs = link.createdMsecsSinceEpoch();
}

void StreamScan::seeTombstoneLink(const RecordedEvent &link)
{
    const QByteArray name = linkTarget(link.data);
    if (!name.isEmpty())
        markDeleted(name, StreamDeletion::Tombstoned);
}

QList<StreamSighting> StreamScan::takeTouched()
{
    QList<StreamSighting> out;
    out.reserve(m_touched.size());
    for (const QByteArray &name : std::as_const(m_touched))
        out.push_back(m_seen.value(name));
    m_touched.clear();
    return out;
}

QByteArray StreamScan::linkTarget(const QByteArray &linkData)
{
    const int at = linkData.indexOf('@');
    return at < 0 ? QByteArray() : linkData.mid(at + 1);
}

} // namespace chronoscope
