#pragma once
// "Which events made it wrong?" (issue 13, Done-when) for a GUI: runs ProjectionCompare::firstDivergence
// for one partition that a comparison found not equal, on a worker thread, with progress and cancel.
//
//     auto *runner = new projections::PartitionDivergenceRunner(this);
//     runner->setClient(streamsClient);
//     connect(runner, &PartitionDivergenceRunner::progressChanged, ...); // (events folded, events in all)
//     connect(runner, &PartitionDivergenceRunner::finished, ...);        // the request and its answer
//     runner->start({name, comparison.partition, report.definition.serverSource, localSource, comparison.events});
//     ...  runner->cancel();
#include "base/JobTracker.h"
#include "projections/ProjectionCompare.h"

#include <QObject>

#include <memory>

namespace chronoscope::projections {

/// What to look for: the partition's events (as the comparison kept them) folded with the source the
/// server runs and the source the local fold ran.
struct PartitionDivergenceRequest
{
    QString name;      ///< the projection
    QString partition; ///< "" for a projection that is not partitioned
    QString serverSource;
    QString localSource;
    QList<PartitionEvent> events;
    quint64 eventCount = 0; ///< the partition's events in all (more than `events` when they were capped)
};

class PartitionDivergenceRunner : public QObject
{
    Q_OBJECT
public:
    explicit PartitionDivergenceRunner(QObject *parent = nullptr);
    ~PartitionDivergenceRunner() override;

    void setClient(std::shared_ptr<const StreamsClient> streams);
    /// Starts looking (a look under way is cancelled); the answer is finished().
    void start(const PartitionDivergenceRequest &request);
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progressChanged(int folded, int total);
    void finished(const chronoscope::projections::PartitionDivergenceRequest &request,
                  const chronoscope::projections::PartitionDivergence &divergence);

private:
    std::shared_ptr<const StreamsClient> m_streams;
    bool m_running = false;
    JobTracker m_jobs{this}; // last: its destructor waits for the worker
};

} // namespace chronoscope::projections

Q_DECLARE_METATYPE(chronoscope::projections::PartitionDivergenceRequest)
Q_DECLARE_METATYPE(chronoscope::projections::PartitionDivergence)
