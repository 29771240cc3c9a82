#pragma once

#include "base/Cancellation.h"
#include "model/ClientError.h"
#include "model/Types.h"

#include <QByteArray>
#include <QList>

#include <functional>
#include <memory>

namespace chronoscope::engine {

class EventSource;
class LiveFeed;
class TimelineIndex;

/// Where the loaded part of a timeline ends: how many events it holds and the last one's place
/// (meaningful when `count` > 0). A live feed continues from here.
struct TimelineEnd
{
    quint64 count = 0;
    quint64 lastRevision = 0; ///< in the stream read (for a resolved link, the link's)
    Position lastPosition;    ///< likewise
};

/// Where a TimelineSession's events come from: a server (a stream or `$all`, ServerTimelineSource),
/// an offline archive, events held in memory (InMemoryTimelineSource, for tests and what-ifs).
///
/// A session asks three things of it, each on its own thread:
///  - read(): every event from the start, oldest first, in batches — on a worker thread, blocking;
///  - eventSource(): the payloads by ordinal, which the index does not keep — fetched from worker
///    threads through a PayloadCache;
///  - follow(): optionally, the events that come after the loaded ones, live — on the session's
///    thread; a source without a live tail (an archive) says so with canFollowLive() == false.
///
/// The events a source hands over are the ones the index keeps: for a resolved link, the target
/// with the link's revision and position (its place in what was read), as TimelineIndexLoader
/// converts a server read. One source may be loaded several times (each load a new index).
class TimelineSource
{
public:
    /// Gets each batch in order; return false to stop reading.
    using BatchHandler = std::function<bool(const QList<RecordedEvent> &batch)>;

    virtual ~TimelineSource() = default;

    /// What is loaded, as the session names it: a stream name, `$all`, an archive's name.
    virtual QByteArray name() const = 0;
    /// Ordinals follow commit positions and the events come from many streams, each with its own
    /// revisions (`$all`, or an archive of it): views offer positions rather than revisions.
    virtual bool isAll() const = 0;
    /// The events are link targets at the links' places (`$ce-…`, `$et-…` read with links resolved).
    virtual bool resolvesLinks() const = 0;

    /// Hands every event over in batches of up to `batchSize`, calling `onBatch` on the calling
    /// thread, until the end, `onBatch` returning false or `cancel`. Returns why it ended early
    /// (none at the end or when stopped; Cancelled, or none, after `cancel`).
    virtual ClientError read(const BatchHandler &onBatch, const CancellationPtr &cancel, int batchSize) = 0;

    /// The payloads of the timeline this source fills `index` with, by ordinal. Called once per
    /// load, before reading; the source may keep `index` (it grows on the session's thread while
    /// fetches read it, as TimelineIndex allows) and must keep whatever else fetches need alive.
    virtual std::shared_ptr<EventSource> eventSource(std::shared_ptr<const TimelineIndex> index) = 0;

    /// Whether follow() can continue a loaded timeline live; a source without a live tail (an
    /// archive) says no, and its follow() returns null.
    virtual bool canFollowLive() const = 0;
    /// Starts following the timeline after `end` (an empty `end`: from the start), its feed living
    /// on the calling thread; null when the source has no live tail. Destroying the feed ends it.
    virtual std::unique_ptr<LiveFeed> follow(const TimelineEnd &end) = 0;
};

} // namespace chronoscope::engine
