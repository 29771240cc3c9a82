#pragma once

#include "catalog/StreamListQuery.h"
#include "model/StreamSighting.h"
#include "model/Types.h"

#include <QHash>
#include <QSet>

namespace chronoscope {

/// The worker's side of a stream listing: turns the records a read meets (newest first) into
/// stream names, sightings and deletion marks, and cuts them into batches (take…()).
///
/// Two sources feed it: `$all` read backwards (see()), where the first record met of a stream is
/// its newest and the last its oldest; and `$streams` read backwards without resolving links
/// (seeStreamLink()), one `$>` link "0@<stream>" per stream, newest created first.
class StreamScan
{
public:
    explicit StreamScan(const StreamListQuery &query);

    /// A record of `$all`. With `knowsCreation` off (a short look at recent changes), the oldest
    /// record met is not taken for the stream's creation.
    void see(const RecordedEvent &e, bool knowsCreation = true);
    /// A link of `$streams`; the link was written when the stream's first event was.
    void seeStreamLink(const RecordedEvent &link);
    /// A link of `$et-$deleted`: the tombstone of the stream it points at.
    void seeTombstoneLink(const RecordedEvent &link);

    quint64 scanned() const { return m_scanned; }
    QList<QByteArray> takeFresh() { return std::exchange(m_fresh, {}); }
    QList<StreamSighting> takeTouched();

    /// The stream a `$>` link "<n>@<stream>" points at.
    static QByteArray linkTarget(const QByteArray &linkData);

private:
    StreamSighting &sighting(const QByteArray &name);
    void markDeleted(const QByteArray &name, StreamDeletion deletion);

    StreamListQuery m_query;
    QRegularExpression m_regex;
    QHash<QByteArray, StreamSighting> m_seen;
    QSet<QByteArray> m_metadataSeen; ///< streams whose newest metadata was met already
    QList<QByteArray> m_fresh;
    QSet<QByteArray> m_touched;
    quint64 m_scanned = 0;
};

} // namespace chronoscope
