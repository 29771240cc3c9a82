#include "session/TimelineIndexLoader.h"

#include "timeline/TimelineIndex.h"

namespace chronoscope::engine {

std::optional<RecordedEvent> TimelineIndexLoader::indexedRecord(ResolvedEvent &&e)
{
    if (!e.event && !e.link)
        return std::nullopt;
    if (e.event && e.link) {
        // A resolved link: the target's type, stream, time and payload, but the link's place in
        // the stream read, so that ordinals map back to this stream (StreamEventSource reads it
        // again by those revisions).
        RecordedEvent target = std::move(*e.event);
        target.revision = e.link->revision;
        target.position = e.link->position;
        return target;
    }
    return e.event ? std::move(*e.event) : std::move(*e.link);
}

ReadSummary TimelineIndexLoader::read(const StreamsClient &client, const ReadRequest &request,
                                      const BatchHandler &onBatch, const CancellationPtr &cancel, int batchSize)
{
    QList<RecordedEvent> batch;
    batch.reserve(batchSize);
    bool stopped = false;
    ReadSummary summary = client.read(
        request,
        [&](ResolvedEvent &&e) {
            std::optional<RecordedEvent> record = indexedRecord(std::move(e));
            if (!record)
                return true;
            batch.append(std::move(*record));
            if (batch.size() >= batchSize) {
                stopped = !onBatch(batch);
                batch.clear();
            }
            return !stopped;
        },
        cancel);
    if (!batch.isEmpty() && !stopped)
        onBatch(batch);
    return summary;
}

ReadSummary TimelineIndexLoader::load(const StreamsClient &client, const ReadRequest &request, TimelineIndex &index,
                                      const std::function<bool(quint64)> &onProgress, const CancellationPtr &cancel,
                                      int batchSize)
{
    return read(
        client, request,
        [&](const QList<RecordedEvent> &batch) {
            index.appendBatch(batch);
            return !onProgress || onProgress(index.size());
        },
        cancel, batchSize);
}

} // namespace chronoscope::engine
