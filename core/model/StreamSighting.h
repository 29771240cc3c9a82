#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>

namespace chronoscope {

/// How a stream was deleted, as far as a listing can tell (protocol sheet §12): a soft delete
/// sets `$tb` to long.MaxValue in `$$<stream>` (reads then say stream_not_found); a tombstone
/// writes a `$streamDeleted` record (reads then fail with stream-deleted, for ever).
enum class StreamDeletion { None, SoftDeleted, Tombstoned };

/// What a listing has seen of one stream so far.
struct StreamSighting
{
    QByteArray name;
    qint64 lastEventMs = 0;   ///< created time of the newest event seen (ms since the Unix epoch); 0 = unknown
    quint64 eventsSeen = 0;   ///< events of this stream the scan has passed, a lower bound of its length
    qint64 createdMs = 0;     ///< created time of the oldest event seen (exact once the scan reached it); 0 = unknown
    StreamDeletion deletion = StreamDeletion::None;
    friend bool operator==(const StreamSighting &a, const StreamSighting &b)
    {
        return a.name == b.name && a.lastEventMs == b.lastEventMs && a.eventsSeen == b.eventsSeen
            && a.createdMs == b.createdMs && a.deletion == b.deletion;
    }
};

} // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::StreamSighting)
