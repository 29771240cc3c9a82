#pragma once

#include "model/ReadRequest.h"
#include "timeline/TimelineSource.h"

#include <memory>

namespace chronoscope {

class StreamsClient;

/// A stream or `$all` on a server, as a TimelineSource: read through TimelineIndexLoader,
/// payloads fetched again by revision (StreamEventSource) or commit position (AllEventSource),
/// followed live through a catch-up subscription (LiveTail).
///
/// `$all` is read with the system events (types starting with `$`) filtered out on the server, as
/// the official UI shows it (TimelineSession::requestFor()).
class ServerTimelineSource : public engine::TimelineSource
{
public:
    /// `client` must not be null; `resolveLinks` is ignored for `$all`.
    ServerTimelineSource(std::shared_ptr<const StreamsClient> client, QByteArray stream, bool resolveLinks = false);
    ~ServerTimelineSource() override;

    std::shared_ptr<const StreamsClient> client() const { return m_client; }
    /// What read() reads (follow() subscribes to the same, after the last loaded event).
    const ReadRequest &request() const { return m_request; }

    QByteArray name() const override { return m_stream; }
    bool isAll() const override { return m_request.all; }
    bool resolvesLinks() const override { return m_request.resolveLinks; }
    ClientError read(const BatchHandler &onBatch, const CancellationPtr &cancel, int batchSize) override;
    std::shared_ptr<engine::EventSource> eventSource(std::shared_ptr<const engine::TimelineIndex> index) override;
    bool canFollowLive() const override { return true; }
    std::unique_ptr<engine::LiveFeed> follow(const engine::TimelineEnd &end) override;

private:
    std::shared_ptr<const StreamsClient> m_client;
    QByteArray m_stream;
    ReadRequest m_request;
};

} // namespace chronoscope
