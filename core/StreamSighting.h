#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>

namespace chronoscope {

/// What a scan of `$all` has seen of one stream so far.
struct StreamSighting
{
    QByteArray name;
    qint64 lastEventMs = 0;   ///< created time of the newest event seen (ms since the Unix epoch)
    quint64 eventsSeen = 0;   ///< events of this stream the scan has passed, a lower bound of its length
    friend bool operator==(const StreamSighting &a, const StreamSighting &b)
    {
        return a.name == b.name && a.lastEventMs == b.lastEventMs && a.eventsSeen == b.eventsSeen;
    }
};

} // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::StreamSighting)
