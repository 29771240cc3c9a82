#pragma once

#include "model/Types.h"

#include <QList>
#include <QString>

namespace chronoscope::engine {

/// What a fetch returned: the events in ordinal order, and an error when fewer came back than asked
/// for for a reason other than the end of the timeline.
struct FetchResult
{
    QList<RecordedEvent> events;
    QString error;
    bool ok() const { return error.isEmpty(); }
};

/// Where the payloads of an indexed timeline come from, by ordinal (the position of the event in
/// the TimelineIndex). The index holds no payloads; the fold engine fetches them through this
/// interface in ranges and keeps recent ones in a PayloadCache.
///
/// For an event read through a resolved link, the source returns the link's target.
/// Implementations must allow fetch() from one thread at a time at least (the PayloadCache
/// serialises its calls).
class EventSource
{
public:
    virtual ~EventSource() = default;

    /// The events at ordinals [first, first + count), in order. Fewer come back at the end of the
    /// timeline; `error` says why when fewer come back for any other reason.
    virtual FetchResult fetch(quint64 first, quint64 count) = 0;
};

} // namespace chronoscope::engine
