#include "projections/ProjectionLocalFold.h"

#include "client/StreamsClient.h"
#include "script/JsReducer.h"
#include "script/ProjectionFeed.h"

#include <vector>

namespace chronoscope::projections {

namespace {

constexpr qsizetype kBatch = 1000;

/// Server-side filter of the `$all` read: the named streams' and categories' prefixes (the reducer
/// still decides, a filter only narrows).
std::optional<ReadFilter> filterFor(const engine::JsReducer &reducer)
{
    if (reducer.sourceIsAll())
        return ReadFilter::excludeSystemEvents(); // `$` types reach no handler of fromAll
    QStringList prefixes = reducer.sourceStreams();
    for (const QString &category : reducer.sourceCategories())
        prefixes.append(category + QLatin1Char('-'));
    if (prefixes.isEmpty())
        return std::nullopt;
    return ReadFilter::streamPrefix(prefixes);
}

/// One batch waiting to be folded: the events own their data, FoldEvents point into them.
struct Pending
{
    std::vector<RecordedEvent> events;
    std::vector<std::optional<QByteArray>> linkMetadata;
    quint64 next = 0;
};

} // namespace

QHash<QString, QJsonValue> LocalFoldResult::partitionStates() const
{
    QHash<QString, QJsonValue> out;
    if (!partitioned) {
        out.insert(QString(), state);
        return out;
    }
    const QJsonObject all = state.toObject();
    for (auto it = all.begin(); it != all.end(); ++it)
        if (it.key() != QLatin1String("$shared"))
            out.insert(it.key(), it.value());
    return out;
}

LocalFoldResult foldLocally(const StreamsClient &streams, const LocalFoldRequest &request,
                            const CancellationPtr &cancel,
                            const std::function<void(quint64, quint64, Position)> &progress)
{
    LocalFoldResult out;
    engine::JsReducerOptions options;
    options.source = request.source;
    options.fileName = request.fileName.isEmpty() ? QStringLiteral("projection.js") : request.fileName;
    options.engine = request.engine;
    options.batchSize = int(kBatch);
    engine::ScriptError scriptError;
    const std::unique_ptr<engine::JsReducer> reducer = engine::JsReducer::create(options, &scriptError);
    if (!reducer) {
        out.problem = scriptError.message;
        return out;
    }
    reducer->reset();
    out.partitioned = reducer->isPartitioned();
    const QStringList named = reducer->sourceStreams();
    bool resolve = false;
    for (const QString &s : named)
        resolve = resolve || s.startsWith(QLatin1Char('$'));

    Pending pending;
    pending.events.reserve(size_t(kBatch));
    pending.linkMetadata.reserve(size_t(kBatch));
    auto flush = [&]() {
        std::vector<engine::FoldEvent> batch;
        batch.reserve(pending.events.size());
        for (size_t i = 0; i < pending.events.size(); ++i)
            batch.push_back({&pending.events[i], pending.linkMetadata[i] ? &*pending.linkMetadata[i] : nullptr,
                             pending.next - pending.events.size() + i});
        const engine::FoldResult folded = reducer->fold(batch.data(), qsizetype(batch.size()));
        for (const engine::FoldError &e : folded.errors) {
            out.foldErrors.append(e.message);
            if (e.fatal)
                out.problem = e.message;
        }
        out.eventsFolded += pending.events.size();
        pending.events.clear();
        pending.linkMetadata.clear();
    };

    ReadRequest read = ReadRequest::forAll().resolvingLinks(resolve);
    read.filter = filterFor(*reducer);
    Position reached;
    const ReadSummary summary = streams.read(
        read,
        [&](ResolvedEvent &&r) {
            const RecordedEvent &original = r.originalEvent();
            if (request.foldTo < original.position)
                return false; // past the projection's position
            reached = original.position;
            if (++out.eventsRead % 4096 == 0 && progress)
                progress(out.eventsRead, out.eventsFolded, reached);
            const engine::FeedRecord feed = engine::feedRecordOf(
                std::string_view(original.streamId.constData(), size_t(original.streamId.size())),
                std::string_view(original.type.constData(), size_t(original.type.size())), named);
            std::optional<QByteArray> linkMetadata;
            RecordedEvent event;
            if (feed == engine::FeedRecord::Skip)
                return true;
            if (feed == engine::FeedRecord::ResolvedLink) {
                if (!r.link || !r.event)
                    return true; // the target is gone
                linkMetadata = r.link->metadata;
                event = std::move(*r.event);
            } else {
                event = original;
            }
            if (!reducer->selectsStream(event.streamId))
                return true;
            // The partition's events include those no handler of this source takes: another source's
            // (the server's) may, and firstDivergence() needs them.
            const bool handled = reducer->selects(event);
            engine::ScriptError keyError;
            const QString key = reducer->partitionKey(event, &keyError);
            if (handled && !keyError.message.isEmpty())
                out.foldErrors.append(keyError.message);
            if (key.isNull())
                return true; // partitionBy skipped it
            PartitionTrail &trail = out.trails[key];
            ++trail.count;
            trail.streams.insert(event.streamId);
            if (trail.events.size() < request.maxEventsPerPartition)
                trail.events.append({event.streamId, event.revision, original.position, event.type});
            if (!handled)
                return true;
            pending.events.push_back(std::move(event));
            pending.linkMetadata.push_back(std::move(linkMetadata));
            ++pending.next;
            if (qsizetype(pending.events.size()) >= kBatch)
                flush();
            return out.problem.isEmpty();
        },
        cancel, request.credentials);
    if (!pending.events.empty() && out.problem.isEmpty())
        flush();
    if (cancel && cancel->isCancelled()) {
        out.cancelled = true;
        return out;
    }
    if (summary.error && summary.error.kind != ClientError::Kind::StreamNotFound) {
        out.error = summary.error;
        return out;
    }
    out.state = reducer->state();
    if (progress)
        progress(out.eventsRead, out.eventsFolded, reached);
    return out;
}

} // namespace chronoscope::projections
