#pragma once

#include "model/ReadRequest.h"

#include <QMetaType>
#include <QRegularExpression>
#include <QString>

namespace chronoscope {

/// What a stream listing asks for: the name filter the server applies to the `$all` scan (prefix
/// or regex; "contains" cannot be expressed server-side, the view applies it), whether system
/// streams are listed, and whether `$streams` may be used instead of scanning.
struct StreamListQuery
{
    enum class Match { Contains, Prefix, Regex };
    Match match = Match::Contains;
    QString text;
    bool includeSystem = false;
    bool useStreamsProjection = true;

    /// The server-side filter of the `$all` scan. Without a name filter it keeps the non-system
    /// streams and their metadata streams: `$$x` carries the soft delete of `x`, and a tombstone
    /// is a record of `x` itself, so deletions show up without reading system links.
    std::optional<ReadFilter> scanFilter() const;
    /// The compiled regex of a Regex query (an empty pattern otherwise): compile once, match often.
    QRegularExpression regex() const;
    /// Whether a stream of this name belongs in the list (the client-side half of the filter);
    /// `compiled` is regex().
    bool accepts(const QByteArray &name, const QRegularExpression &compiled) const;
    /// An invalid regex: the scan is not started with it.
    bool isValid() const;

    friend bool operator==(const StreamListQuery &a, const StreamListQuery &b)
    {
        return a.match == b.match && a.text == b.text && a.includeSystem == b.includeSystem
            && a.useStreamsProjection == b.useStreamsProjection;
    }
    friend bool operator!=(const StreamListQuery &a, const StreamListQuery &b) { return !(a == b); }
};

} // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::StreamListQuery)
