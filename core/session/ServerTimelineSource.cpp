#include "session/ServerTimelineSource.h"

#include "client/StreamsClient.h"
#include "session/AllEventSource.h"
#include "session/LiveTail.h"
#include "session/StreamEventSource.h"
#include "session/TimelineIndexLoader.h"
#include "session/TimelineSession.h"
#include "timeline/TimelineIndex.h"

namespace chronoscope {

namespace {

/// The payload source of a timeline (a stream's, or `$all`'s by position), keeping its client and
/// index alive for as long as a worker needs them.
class ServerEventSource : public engine::EventSource
{
public:
    ServerEventSource(std::shared_ptr<const StreamsClient> client, const ReadRequest &request,
                      std::shared_ptr<const engine::TimelineIndex> index)
        : m_client(std::move(client)), m_index(std::move(index))
    {
        if (request.all)
            m_source = std::make_unique<engine::AllEventSource>(*m_client, *m_index, request.filter,
                                                                request.resolveLinks);
        else
            m_source = std::make_unique<engine::StreamEventSource>(*m_client, request.stream, *m_index,
                                                                   request.resolveLinks);
    }
    engine::FetchResult fetch(quint64 first, quint64 count) override { return m_source->fetch(first, count); }

private:
    std::shared_ptr<const StreamsClient> m_client;
    std::shared_ptr<const engine::TimelineIndex> m_index;
    std::unique_ptr<engine::EventSource> m_source;
};

} // namespace

ServerTimelineSource::ServerTimelineSource(std::shared_ptr<const StreamsClient> client, QByteArray stream,
                                           bool resolveLinks)
    : m_client(std::move(client))
    , m_stream(std::move(stream))
    , m_request(TimelineSession::requestFor(m_stream, resolveLinks))
{}

ServerTimelineSource::~ServerTimelineSource() = default;

ClientError ServerTimelineSource::read(const BatchHandler &onBatch, const CancellationPtr &cancel, int batchSize)
{
    return engine::TimelineIndexLoader::read(*m_client, m_request, onBatch, cancel, batchSize).error;
}

std::shared_ptr<engine::EventSource>
ServerTimelineSource::eventSource(std::shared_ptr<const engine::TimelineIndex> index)
{
    return std::make_shared<ServerEventSource>(m_client, m_request, std::move(index));
}

std::unique_ptr<engine::LiveFeed> ServerTimelineSource::follow(const engine::TimelineEnd &end)
{
    // Start points are exclusive: the subscription delivers what follows the last loaded event.
    ReadRequest r = m_request;
    if (end.count > 0) {
        if (r.all)
            r.fromPosition(end.lastPosition);
        else
            r.fromRevision(end.lastRevision);
    }
    return std::make_unique<LiveTail>(m_client, r);
}

} // namespace chronoscope
