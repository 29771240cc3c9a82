#include "ResumingRead.h"

#include "Backoff.h"
#include "NodeConnection.h"
#include "ReadResume.h"

namespace chronoscope {

ReadSummary ResumingRead::run(const ReadRequest &request, const StreamsClient::EventHandler &onEvent, const Once &once)
{
    ReadResume resume(request);
    Backoff backoff;
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
        if (!summary.error || stopped || cancelled() || !m_connection.reportFailure(channel, summary.error))
            return summary;
        if (summary.error.kind == ClientError::Kind::NotLeader) {
            if (redirected)
                return summary;
            redirected = true; // once, at once, to the leader it names
        } else {
            if (resume.deliveredCount() > before)
                backoff.reset();
            if (backoff.attempts() >= kMaxReconnects || !backoff.wait(m_cancel))
                return summary;
        }
        if (!resume.advance(&next)) {
            summary.error = ClientError(); // cut off right after the last event: nothing is missing
            return summary;
        }
    }
}

} // namespace chronoscope
