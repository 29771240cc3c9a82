#include "client/EventLookup.h"

#include "client/StreamsClient.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace chronoscope {

namespace {
constexpr quint64 kProgressEvery = 2048;
}

QString EventLookup::metadataString(const QByteArray &metadata, QLatin1String key)
{
    if (metadata.isEmpty() || !metadata.contains(key.data())) // cheap test first: most events lack the key
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(metadata);
    return doc.isObject() ? doc.object().value(key).toString() : QString();
}

EventLookup::Found EventLookup::findById(const StreamsClient &client, const QByteArray &stream, const QUuid &id,
                                         quint64 maxAllEvents, const CancellationPtr &cancel,
                                         const Progress &progress)
{
    Found found;
    bool stopped = false;
    auto visit = [&](ResolvedEvent &&e) {
        const RecordedEvent &r = e.originalEvent();
        ++found.scanned;
        if (r.id == id) {
            found.event = r;
            return false;
        }
        if (found.scanned % kProgressEvery == 0 && progress && !progress(found.scanned)) {
            stopped = true;
            return false;
        }
        return !found.viaAll || found.scanned < maxAllEvents;
    };
    if (!stream.isEmpty()) {
        const ReadSummary s = client.read(ReadRequest::forStream(stream, Direction::Backwards), visit, cancel);
        if (found.event || stopped || (cancel && cancel->isCancelled()))
            return found;
        if (s.error && s.error.kind != ClientError::Kind::StreamNotFound
            && s.error.kind != ClientError::Kind::StreamDeleted) {
            found.error = s.error.toString();
            return found;
        }
    }
    found.viaAll = true;
    const quint64 before = found.scanned;
    maxAllEvents += before;
    const ReadSummary s = client.read(ReadRequest::forAll(Direction::Backwards), visit, cancel);
    if (s.error && !found.event)
        found.error = s.error.toString();
    found.limitReached = !found.event && !stopped && found.scanned >= maxAllEvents;
    return found;
}

EventLookup::Chain EventLookup::correlationChain(const StreamsClient &client, const QString &correlationId,
                                                 quint64 maxAllEvents, const CancellationPtr &cancel,
                                                 const Progress &progress)
{
    Chain chain;
    if (correlationId.isEmpty())
        return chain;
    bool stopped = false;
    const QByteArray bc = "$bc-" + correlationId.toUtf8();
    // The same bound as the `$all` scan: a `$bc-` stream (or a server) that goes on past it is cut there, said so.
    bool cut = false;
    const ReadSummary s = client.read(
        ReadRequest::forStream(bc).resolvingLinks().count(maxAllEvents + 1),
        [&](ResolvedEvent &&e) {
            if (chain.scanned == maxAllEvents) {
                cut = true;
                return false;
            }
            ++chain.scanned;
            if (e.event)
                chain.events.append(std::move(*e.event));
            return true;
        },
        cancel);
    if (!s.error && !chain.events.isEmpty()) {
        chain.viaCategoryStream = true;
        chain.limitReached = cut;
        if (cut)
            chain.error = QStringLiteral("more than %1 events share correlation id %2 ($bc-%2): only the first %1 "
                                         "are listed")
                              .arg(maxAllEvents)
                              .arg(correlationId);
    } else {
        if (s.error && s.error.kind != ClientError::Kind::StreamNotFound
            && s.error.kind != ClientError::Kind::AccessDenied) {
            chain.error = s.error.toString();
            return chain;
        }
        chain.events.clear();
        chain.scanned = 0;
        const QByteArray needle = correlationId.toUtf8();
        const ReadSummary all = client.read(
            ReadRequest::forAll(Direction::Backwards),
            [&](ResolvedEvent &&e) {
                const RecordedEvent &r = e.originalEvent();
                ++chain.scanned;
                if (!SystemStreams::isSystemStream(r.streamId) && r.metadata.contains(needle)
                    && metadataString(r.metadata, QLatin1String("$correlationId")) == correlationId)
                    chain.events.append(r);
                if (chain.scanned % kProgressEvery == 0 && progress && !progress(chain.scanned)) {
                    stopped = true;
                    return false;
                }
                return chain.scanned < maxAllEvents;
            },
            cancel);
        if (all.error)
            chain.error = all.error.toString();
        chain.limitReached = !stopped && chain.scanned >= maxAllEvents;
    }
    std::stable_sort(chain.events.begin(), chain.events.end(), [](const RecordedEvent &a, const RecordedEvent &b) {
        return a.position.commit < b.position.commit;
    });
    return chain;
}

} // namespace chronoscope
