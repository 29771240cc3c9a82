#include "base/JobTracker.h"

#include "base/BackgroundPriority.h"

namespace chronoscope {

void JobTracker::Job::post(std::function<void()> fn) const
{
    // The tracker outlives every worker (its destructor waits), and the receiver outlives the
    // tracker it owns; a queued call to a deleted receiver is discarded by Qt.
    JobTracker *tracker = m_tracker;
    const quint64 id = m_id;
    QMetaObject::invokeMethod(
        tracker->m_receiver,
        [tracker, id, fn = std::move(fn)]() {
            if (tracker->isCurrent(id))
                fn();
        },
        Qt::QueuedConnection);
}

JobTracker::JobTracker(QObject *receiver)
    : m_receiver(receiver)
{
    // Two threads: a new job can start while the cancelled one is still unwinding its gRPC call.
    m_pool.setMaxThreadCount(2);
}

JobTracker::~JobTracker()
{
    cancel();
    m_pool.waitForDone();
}

quint64 JobTracker::start(std::function<void(const Job &)> work)
{
    if (m_cancel)
        m_cancel->cancel();
    m_cancel = std::make_shared<Cancellation>();
    const quint64 id = ++m_nextId;
    m_current.store(id);
    const Job job(this, id, m_cancel);
    m_pool.start([job, work = std::move(work)]() {
        lowerCurrentThreadPriority(); // background work yields to the GUI thread
        work(job);
    });
    return id;
}

void JobTracker::cancel()
{
    if (m_cancel)
        m_cancel->cancel();
    m_cancel.reset();
    m_current.store(0);
}

} // namespace chronoscope
