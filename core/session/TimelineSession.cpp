#include "session/TimelineSession.h"

#include "session/ServerTimelineSource.h"
#include "timeline/IndexBatch.h"
#include "timeline/LiveFeed.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"
#include "timeline/TimelineSource.h"

namespace chronoscope {

TimelineSession::TimelineSession(QObject *parent)
    : QObject(parent), m_index(std::make_shared<engine::TimelineIndex>())
{
    m_announceTimer.setSingleShot(true);
    connect(&m_announceTimer, &QTimer::timeout, this, &TimelineSession::announceGrowth);
}

TimelineSession::~TimelineSession() = default;

ReadRequest TimelineSession::requestFor(const QByteArray &stream, bool resolveLinks)
{
    return ReadRequest::forTimeline(stream, resolveLinks);
}

void TimelineSession::newTimeline(std::shared_ptr<engine::TimelineSource> source, const QByteArray &stream, bool all,
                                  bool resolveLinks)
{
    m_jobs.cancel();
    stopTail();
    m_source = std::move(source);
    m_stream = stream;
    m_all = all;
    m_resolveLinks = resolveLinks && !all;
    m_lastRevision = 0;
    m_lastPosition = {};
    m_announceTimer.stop();
    m_unannouncedFrom.reset();
    m_lastAnnounced.invalidate();
    m_index = std::make_shared<engine::TimelineIndex>();
    m_payloads.reset();
    if (m_source)
        m_payloads = std::make_shared<engine::PayloadCache>(m_source->eventSource(m_index));
    m_cursor.reset();
    Q_EMIT reset(stream);
}

void TimelineSession::load(std::shared_ptr<const StreamsClient> client, const QByteArray &stream, bool resolveLinks)
{
    if (!client || stream.isEmpty()) {
        // Nothing to read from: an empty timeline under that name.
        const bool wasLoading = m_loading;
        newTimeline(nullptr, stream, stream == allStream(), resolveLinks);
        if (wasLoading)
            setLoading(false);
        return;
    }
    load(std::make_shared<ServerTimelineSource>(std::move(client), stream, resolveLinks));
}

void TimelineSession::load(std::shared_ptr<engine::TimelineSource> source)
{
    if (!source) {
        clear();
        return;
    }
    const QByteArray name = source->name();
    const bool all = source->isAll();
    const bool resolveLinks = source->resolvesLinks();
    newTimeline(std::move(source), name, all, resolveLinks);
    setLoading(true);
    m_jobs.start([this, source = m_source](const JobTracker::Job &job) {
        ClientError error = source->read(
            [&](const QList<RecordedEvent> &events) {
                // Converted here, so the records are freed on this thread (see IndexBatch).
                auto batch = std::make_shared<const engine::IndexBatch>(events);
                job.post([this, batch]() { appendIndexed(*batch); });
                return !job.isCancelled();
            },
            job.cancellation(), kBatchSize);
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

bool TimelineSession::canFollowLive() const
{
    return m_source && m_source->canFollowLive();
}

std::shared_ptr<const StreamsClient> TimelineSession::client() const
{
    const auto server = std::dynamic_pointer_cast<const ServerTimelineSource>(m_source);
    return server ? server->client() : nullptr;
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
    if (m_tail || !canFollowLive())
        return;
    const quint64 count = m_index->size();
    m_tail = m_source->follow(engine::TimelineEnd{count, m_lastRevision, m_lastPosition});
    if (!m_tail)
        return;
    connect(m_tail.get(), &engine::LiveFeed::appended, this, &TimelineSession::appendBatch);
    connect(m_tail.get(), &engine::LiveFeed::ended, this, &TimelineSession::onTailEnded);
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
    newTimeline(nullptr, {}, false, false);
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
