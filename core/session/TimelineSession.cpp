#include "session/TimelineSession.h"

#include "client/StreamsClient.h"
#include "session/AllEventSource.h"
#include "session/LiveTail.h"
#include "session/StreamEventSource.h"
#include "session/TimelineIndexLoader.h"
#include "timeline/IndexBatch.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

namespace chronoscope {

namespace {

/// The payload source of a timeline (a stream's, or `$all`'s by position), keeping its client and
/// index alive for as long as a worker needs them.
class SessionEventSource : public engine::EventSource
{
public:
    SessionEventSource(std::shared_ptr<const StreamsClient> client, const ReadRequest &request,
                       std::shared_ptr<const engine::TimelineIndex> index)
        : m_client(std::move(client)), m_index(std::move(index))
    {
        if (request.all)
            m_source = std::make_unique<engine::AllEventSource>(*m_client, *m_index, request.filter, request.resolveLinks);
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

TimelineSession::TimelineSession(QObject *parent)
    : QObject(parent), m_index(std::make_shared<engine::TimelineIndex>())
{
    m_announceTimer.setSingleShot(true);
    connect(&m_announceTimer, &QTimer::timeout, this, &TimelineSession::announceGrowth);
}

TimelineSession::~TimelineSession() = default;

ReadRequest TimelineSession::requestFor(const QByteArray &stream, bool resolveLinks)
{
    if (stream == allStream()) // system events hidden, as the official UI shows `$all`
        return ReadRequest::forAll().filtered(ReadFilter::excludeSystemEvents());
    return ReadRequest::forStream(stream).resolvingLinks(resolveLinks);
}

ReadRequest TimelineSession::request() const
{
    return requestFor(m_stream, m_resolveLinks);
}

void TimelineSession::newTimeline(std::shared_ptr<const StreamsClient> client, const QByteArray &stream,
                                  bool resolveLinks)
{
    m_jobs.cancel();
    stopTail();
    m_client = std::move(client);
    m_stream = stream;
    m_resolveLinks = resolveLinks && stream != allStream();
    m_lastRevision.reset();
    m_lastPosition.reset();
    m_announceTimer.stop();
    m_unannouncedFrom.reset();
    m_lastAnnounced.invalidate();
    m_index = std::make_shared<engine::TimelineIndex>();
    m_payloads.reset();
    if (m_client && !stream.isEmpty())
        m_payloads = std::make_shared<engine::PayloadCache>(std::make_shared<SessionEventSource>(m_client, request(), m_index));
    m_cursor.reset();
    Q_EMIT reset(stream);
}

void TimelineSession::load(std::shared_ptr<const StreamsClient> client, const QByteArray &stream, bool resolveLinks)
{
    newTimeline(std::move(client), stream, resolveLinks);
    if (!m_client || stream.isEmpty())
        return;
    setLoading(true);
    m_jobs.start([this, client = m_client, read = request()](const JobTracker::Job &job) {
        const ReadSummary summary = engine::TimelineIndexLoader::read(
            *client, read,
            [&](const QList<RecordedEvent> &events) {
                // Converted here, so the records are freed on this thread (see IndexBatch).
                auto batch = std::make_shared<const engine::IndexBatch>(events);
                job.post([this, batch]() { appendIndexed(*batch); });
                return !job.isCancelled();
            },
            job.cancellation(), kBatchSize);
        ClientError error = summary.error;
        if (job.isCancelled() && !error)
            error.kind = ClientError::Kind::Cancelled;
        job.post([this, error]() {
            announceGrowth();
            setLoading(false);
            Q_EMIT loadFinished(error);
            // Caught up: follow from here. (A load that failed has nothing to follow.)
            if (!error && m_followLive)
                startTail();
        });
    });
}

void TimelineSession::appendBatch(const QList<RecordedEvent> &batch)
{
    appendIndexed(engine::IndexBatch(batch));
}

void TimelineSession::appendIndexed(const engine::IndexBatch &batch)
{
    if (batch.isEmpty())
        return;
    if (!m_unannouncedFrom)
        m_unannouncedFrom = m_index->size();
    m_index->appendBatch(batch);
    m_lastRevision = batch.lastRevision();
    m_lastPosition = batch.lastPosition();
    // While loading, batches land every few milliseconds: announce them at a steady pace so the
    // views repaint at most that often (the first batch at once: the window fills immediately).
    if (m_loading && m_lastAnnounced.isValid() && m_lastAnnounced.elapsed() < kGrowIntervalMs) {
        if (!m_announceTimer.isActive())
            m_announceTimer.start(int(kGrowIntervalMs - m_lastAnnounced.elapsed()));
        return;
    }
    announceGrowth();
}

void TimelineSession::announceGrowth()
{
    m_announceTimer.stop();
    if (!m_unannouncedFrom)
        return;
    const quint64 from = *m_unannouncedFrom;
    const quint64 to = m_index->size();
    m_unannouncedFrom.reset();
    m_lastAnnounced.start();
    m_cursor.setCount(to);
    if (from == 0)
        m_cursor.toEnd(); // a stream opens on its latest state; at the end it follows the end
    Q_EMIT grown(from, to);
}

void TimelineSession::setFollowLive(bool on)
{
    const bool changed = on != m_followLive;
    m_followLive = on;
    if (on && !m_loading)
        startTail();
    else if (!on)
        stopTail();
    if (changed)
        Q_EMIT followLiveChanged(on);
}

void TimelineSession::startTail()
{
    if (m_tail || !m_client || m_stream.isEmpty())
        return;
    // Start points are exclusive: the subscription delivers what follows the last loaded event.
    ReadRequest r = request();
    if (isAll() && m_lastPosition)
        r.fromPosition(*m_lastPosition);
    else if (!isAll() && m_lastRevision)
        r.fromRevision(*m_lastRevision);
    m_tail = std::make_unique<LiveTail>(m_client, r);
    connect(m_tail.get(), &LiveTail::appended, this, &TimelineSession::appendBatch);
    connect(m_tail.get(), &LiveTail::ended, this, &TimelineSession::onTailEnded);
    Q_EMIT followingChanged(true);
}

void TimelineSession::stopTail()
{
    if (!m_tail)
        return;
    m_tail.reset();
    Q_EMIT followingChanged(false);
}

void TimelineSession::onTailEnded(const ClientError &error)
{
    // Called from the tail's own signal: delete it once that returns. Its subscription has ended,
    // so nothing more comes from it.
    m_tail.release()->deleteLater();
    Q_EMIT followingChanged(false);
    ClientError reported = error;
    if (!reported) { // a subscription has no end: the server closing it is news too
        reported.kind = ClientError::Kind::Unknown;
        reported.message = tr("the server ended the subscription");
    }
    if (reported.streamName.isEmpty())
        reported.streamName = m_stream;
    if (m_followLive) {
        m_followLive = false;
        Q_EMIT followLiveChanged(false);
    }
    Q_EMIT liveEnded(reported);
}

void TimelineSession::cancel()
{
    if (m_tail)
        setFollowLive(false); // an explicit stop: the toggle says so
    if (!m_loading)
        return;
    m_jobs.cancel();
    announceGrowth(); // what was loaded stays, and is shown
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
