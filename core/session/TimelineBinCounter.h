#pragma once

#include "base/JobTracker.h"
#include "timeline/TimelineHistogram.h"
#include "timeline/TimelineThroughput.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

class QTimer;

namespace chronoscope {
namespace engine {
class TimelineIndex;
}


/// Counts the timeline's bins in a worker, never on the GUI thread: density by type, or
/// throughput by stream category. One count runs at a time; a request made while one runs starts
/// when it lands, and asks for what to count only then (the latest visible range wins).
class TimelineBinCounter : public QObject
{
    Q_OBJECT
public:
    /// What to count: ordinals [0, size) of `index` created in [from, to), in at most `maxBins` bins.
    struct Request
    {
        std::shared_ptr<const engine::TimelineIndex> index;
        quint64 size = 0;
        bool monotone = true; ///< TimelineIndex::timeMonotone(), read on the owner's thread
        qint64 from = 0;
        qint64 to = 0;
        int maxBins = 100;
        bool throughput = false;
        bool splitCategories = false; ///< throughput: a line per category when there are several
        int maxCategories = 6;
    };

    /// `makeRequest` is asked when a count starts; none: there is nothing to count.
    explicit TimelineBinCounter(std::function<std::optional<Request>()> makeRequest, QObject *parent = nullptr);

    /// Starts a count in `delayMs` (restarting a pending delay).
    void schedule(int delayMs);
    /// Drops the pending count and whatever the running one would deliver.
    void cancel();
    bool isScheduled() const;
    /// A count is pending or running.
    bool isBusy() const { return isScheduled() || m_running; }

Q_SIGNALS:
    void densityCounted(const chronoscope::engine::TimelineHistogram &histogram);
    void throughputCounted(const chronoscope::engine::TimelineThroughput &throughput);

private:
    void start();

    std::function<std::optional<Request>()> m_makeRequest;
    QTimer *m_timer;
    bool m_running = false;
    JobTracker m_job{this}; // last: its destructor waits for the worker
};

} // namespace chronoscope
