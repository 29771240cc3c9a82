#include "TimelineSession.h"

#include "StreamsClient.h"
#include "engine/PayloadCache.h"
#include "engine/StreamEventSource.h"
#include "engine/TimelineIndex.h"
#include "engine/TimelineIndexLoader.h"

namespace chronoscope {

namespace {

/// A StreamEventSource that keeps its client and index alive for as long as a worker needs them.
class SessionEventSource : public engine::EventSource
{
public:
    SessionEventSource(std::shared_ptr<const StreamsClient> client, const QByteArray &stream,
                       std::shared_ptr<const engine::TimelineIndex> index, bool resolveLinks)
        : m_client(std::move(client)), m_index(std::move(index)), m_source(*m_client, stream, *m_index, resolveLinks)
    {
    }
    engine::FetchResult fetch(quint64 first, quint64 count) override { return m_source.fetch(first, count); }

private:
    std::shared_ptr<const StreamsClient> m_client;
    std::shared_ptr<const engine::TimelineIndex> m_index;
    engine::StreamEventSource m_source;
};

} // namespace

TimelineSession::TimelineSession(QObject *parent)
    : QObject(parent), m_index(std::make_shared<engine::TimelineIndex>())
{
}

TimelineSession::~TimelineSession() = default;

void TimelineSession::newTimeline(std::shared_ptr<const StreamsClient> client, const QByteArray &stream,
                                  bool resolveLinks)
{
    m_jobs.cancel();
    m_client = std::move(client);
    m_stream = stream;
    m_resolveLinks = resolveLinks;
    m_index = std::make_shared<engine::TimelineIndex>();
    m_payloads.reset();
    if (m_client && !stream.isEmpty())
        m_payloads = std::make_shared<engine::PayloadCache>(
            std::make_shared<SessionEventSource>(m_client, stream, m_index, resolveLinks));
    m_cursor.reset();
    Q_EMIT reset(stream);
}

void TimelineSession::load(std::shared_ptr<const StreamsClient> client, const QByteArray &stream, bool resolveLinks)
{
    newTimeline(std::move(client), stream, resolveLinks);
    if (!m_client || stream.isEmpty())
        return;
    setLoading(true);
    const ReadRequest request = ReadRequest::forStream(stream).resolvingLinks(resolveLinks);
    m_jobs.start([this, client = m_client, request](const JobTracker::Job &job) {
        const ReadSummary summary = engine::TimelineIndexLoader::read(
            *client, request,
            [&](const QList<RecordedEvent> &batch) {
                job.post([this, batch]() {
                    const quint64 from = m_index->size();
                    m_index->appendBatch(batch);
                    const quint64 to = m_index->size();
                    const bool first = from == 0;
                    m_cursor.setCount(to);
                    if (first)
                        m_cursor.toEnd(); // a stream opens on its latest state; at the end it follows the end
                    Q_EMIT grown(from, to);
                });
                return !job.isCancelled();
            },
            job.cancellation(), kBatchSize);
        ClientError error = summary.error;
        if (job.isCancelled() && !error)
            error.kind = ClientError::Kind::Cancelled;
        job.post([this, error]() {
            setLoading(false);
            Q_EMIT loadFinished(error);
        });
    });
}

void TimelineSession::cancel()
{
    if (!m_loading)
        return;
    m_jobs.cancel();
    setLoading(false);
    ClientError error;
    error.kind = ClientError::Kind::Cancelled;
    error.message = tr("Loading %1 was cancelled").arg(QString::fromUtf8(m_stream));
    Q_EMIT loadFinished(error);
}

void TimelineSession::clear()
{
    const bool wasLoading = m_loading;
    newTimeline(nullptr, {}, false);
    if (wasLoading)
        setLoading(false);
}

void TimelineSession::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

} // namespace chronoscope
