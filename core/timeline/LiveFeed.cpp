#include "timeline/LiveFeed.h"

namespace chronoscope::engine {

LiveFeed::LiveFeed(int intervalMs, QObject *parent) : QObject(parent), m_intervalMs(intervalMs)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer); // a coarse timer may fire early: batches would come closer
    connect(&m_timer, &QTimer::timeout, this, &LiveFeed::flush);
}

// Out of line: the subclass has stopped its producer by now; a queued schedule() dies with the object.
LiveFeed::~LiveFeed() = default;

void LiveFeed::enqueue(std::optional<RecordedEvent> event, std::optional<ClientError> end)
{
    if (!event && !end)
        return;
    std::lock_guard<std::mutex> lock(m_mutex);
    if (event)
        m_pending.append(std::move(*event));
    if (end)
        m_end = std::move(end);
    wakeLocked();
}

void LiveFeed::enqueue(const QList<RecordedEvent> &events)
{
    if (events.isEmpty())
        return;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pending.append(events);
    wakeLocked();
}

void LiveFeed::wakeLocked()
{
    if (std::exchange(m_woken, true))
        return;
    QMetaObject::invokeMethod(this, &LiveFeed::schedule, Qt::QueuedConnection);
}

void LiveFeed::schedule()
{
    const qint64 since = m_sinceFlush.isValid() ? m_sinceFlush.elapsed() : m_intervalMs;
    if (since >= m_intervalMs)
        flush();
    else if (!m_timer.isActive())
        m_timer.start(int(m_intervalMs - since));
}

void LiveFeed::flush()
{
    if (m_ended)
        return;
    // A timer may still fire a little early: wait out the rest rather than batch closer together.
    if (m_sinceFlush.isValid() && m_sinceFlush.elapsed() < m_intervalMs) {
        m_timer.start(int(m_intervalMs - m_sinceFlush.elapsed()));
        return;
    }
    QList<RecordedEvent> batch;
    std::optional<ClientError> end;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        batch.swap(m_pending);
        end = m_end;
        m_woken = false;
    }
    if (!batch.isEmpty()) {
        m_sinceFlush.start();
        Q_EMIT appended(batch);
    }
    if (end) {
        m_ended = true;
        Q_EMIT ended(*end);
    }
}

} // namespace chronoscope::engine
