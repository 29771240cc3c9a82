#include "session/TimelineBinCounter.h"

#include <QTimer>

namespace chronoscope {

TimelineBinCounter::TimelineBinCounter(std::function<std::optional<Request>()> makeRequest, QObject *parent)
    : QObject(parent), m_makeRequest(std::move(makeRequest)), m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &TimelineBinCounter::start);
}

void TimelineBinCounter::schedule(int delayMs) { m_timer->start(delayMs); }

bool TimelineBinCounter::isScheduled() const { return m_timer->isActive(); }

void TimelineBinCounter::cancel()
{
    m_job.cancel();
    m_running = false;
    m_timer->stop();
}

void TimelineBinCounter::start()
{
    if (m_running) { // one count at a time: the next one starts when this one lands
        m_timer->start(20);
        return;
    }
    const std::optional<Request> request = m_makeRequest();
    if (!request || !request->index)
        return;
    m_running = true;
    m_job.start([this, r = *request](const JobTracker::Job &job) {
        auto cancel = job.cancellation();
        using Grouping = engine::TimelineHistogram::Grouping;
        auto h = engine::TimelineHistogram::compute(*r.index, r.size, r.from, r.to, r.maxBins, r.monotone,
                                                    [cancel]() { return cancel->isCancelled(); },
                                                    r.throughput ? Grouping::ByCategory : Grouping::ByType);
        if (job.isCancelled())
            return;
        if (r.throughput) {
            job.post([this, t = engine::TimelineThroughput::fromHistogram(h, r.splitCategories, r.maxCategories)]() {
                m_running = false;
                Q_EMIT throughputCounted(t);
            });
            return;
        }
        job.post([this, h = std::move(h)]() {
            m_running = false;
            Q_EMIT densityCounted(h);
        });
    });
}

} // namespace chronoscope
