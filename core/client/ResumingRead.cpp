#include "client/ResumingRead.h"

#include "client/ReadResume.h"
#include "cluster/NodeConnection.h"

namespace chronoscope {

ReadSummary ResumingRead::run(const ReadRequest &request, const StreamsClient::EventHandler &onEvent, const Once &once)
{
    ReadResume resume(request);
    int attempts = 0; // reconnections since the last delivered event
    bool stopped = false;
    bool redirected = false;
    const StreamsClient::EventHandler deliver = [&](ResolvedEvent &&e) {
        if (resume.isRepeat(e))
            return true;
        resume.delivered(e);
        stopped = !onEvent(std::move(e));
        return !stopped;
    };
    const auto cancelled = [this] { return m_cancel && m_cancel->isCancelled(); };
    ReadRequest next = request;
    for (;;) {
        ReadSummary summary;
        const std::shared_ptr<GrpcChannel> channel = m_connection.channel(&summary.error, m_cancel);
        const quint64 before = resume.deliveredCount();
        if (channel)
            summary = once(channel, next, deliver);
        summary.eventCount = resume.deliveredCount();
        if (resume.deliveredCount() > before || (channel && !NodeConnection::isReconnectError(summary.error))) {
            m_connection.reportSuccess(); // the node served: the next loss backs off from the start
            attempts = 0;
        }
        if (!summary.error || stopped || cancelled() || !m_connection.reportFailure(channel, summary.error))
            return summary;
        if (summary.error.kind == ClientError::Kind::NotLeader) {
            if (redirected)
                return summary;
            redirected = true; // once, to the leader it names
        } else if (++attempts > kMaxReconnects) {
            return summary; // the connection backs off before each of these attempts
        }
        if (!resume.advance(&next)) {
            summary.error = ClientError(); // cut off right after the last event: nothing is missing
            return summary;
        }
    }
}

} // namespace chronoscope
