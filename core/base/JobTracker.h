#pragma once

#include "base/Cancellation.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

namespace chronoscope {

/// Runs "latest request wins" jobs for one receiver object: each start() cancels the job before it,
/// and results the worker posts back reach the receiver's thread only while their job is still the
/// latest one. Stale results are dropped there, so a receiver never sees two requests interleaved.
///
/// Own it as a member of the receiver: its destructor cancels the running job and waits for every
/// worker, so no worker outlives the receiver.
class JobTracker
{
public:
    /// What a worker gets: its cancellation and a way to post results back.
    class Job
    {
    public:
        quint64 id() const { return m_id; }
        const CancellationPtr &cancellation() const { return m_cancel; }
        bool isCancelled() const { return m_cancel->isCancelled(); }
        /// Queues `fn` to the receiver's thread; it runs there only if this job is still the latest.
        void post(std::function<void()> fn) const;

    private:
        friend class JobTracker;
        Job(JobTracker *tracker, quint64 id, CancellationPtr cancel)
            : m_tracker(tracker), m_id(id), m_cancel(std::move(cancel)) {}
        JobTracker *m_tracker;
        quint64 m_id;
        CancellationPtr m_cancel;
    };

    explicit JobTracker(QObject *receiver);
    ~JobTracker();
    JobTracker(const JobTracker &) = delete;
    JobTracker &operator=(const JobTracker &) = delete;

    /// Cancels the current job and runs `work` in a worker thread. Returns the new job's id.
    quint64 start(std::function<void(const Job &)> work);
    /// Cancels the current job; whatever it still posts is dropped.
    void cancel();
    /// Whether `id` is the latest job and was not cancelled (receiver's thread).
    bool isCurrent(quint64 id) const { return id == m_current.load() && id != 0; }

private:
    QObject *const m_receiver;
    QThreadPool m_pool;
    std::atomic<quint64> m_current{0};
    quint64 m_nextId = 0;
    CancellationPtr m_cancel;
};

} // namespace chronoscope
