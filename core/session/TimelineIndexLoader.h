#pragma once

#include "base/Cancellation.h"
#include "client/StreamsClient.h"

#include <functional>
#include <optional>

namespace chronoscope::engine {

class TimelineIndex;

/// Fills a TimelineIndex from a streaming read, a batch at a time, so a view can show the timeline
/// growing while a long stream or `$all` loads. Payloads are not kept: a batch's events go to the
/// index and are dropped; the fold engine fetches payloads again through an EventSource.
class TimelineIndexLoader
{
public:
    /// Gets each batch in read order (for a resolved link: the target event with the link's revision
    /// and position, i.e. its place in the stream read; else the record read);
    /// return false to stop reading.
    using BatchHandler = std::function<bool(const QList<RecordedEvent> &batch)>;

    /// What the index holds for one event read (see BatchHandler); none for a message with neither
    /// an event nor a link. A live tail converts its subscription's events the same way.
    static std::optional<RecordedEvent> indexedRecord(ResolvedEvent &&e);

    /// Reads `request` and hands the events over in batches of `batchSize`.
    static ReadSummary read(const StreamsClient &client, const ReadRequest &request, const BatchHandler &onBatch,
                            const CancellationPtr &cancel = nullptr, int batchSize = 4096);

    /// Appends every event of `request` to `index`; `onProgress(index.size())` after each batch
    /// (return false to stop).
    static ReadSummary load(const StreamsClient &client, const ReadRequest &request, TimelineIndex &index,
                            const std::function<bool(quint64)> &onProgress = {},
                            const CancellationPtr &cancel = nullptr, int batchSize = 4096);
};

} // namespace chronoscope::engine
