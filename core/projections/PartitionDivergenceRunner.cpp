#include "projections/PartitionDivergenceRunner.h"

#include <QElapsedTimer>

namespace chronoscope::projections {

PartitionDivergenceRunner::PartitionDivergenceRunner(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<PartitionDivergenceRequest>();
    qRegisterMetaType<PartitionDivergence>();
}

PartitionDivergenceRunner::~PartitionDivergenceRunner() = default;

void PartitionDivergenceRunner::setClient(std::shared_ptr<const StreamsClient> streams)
{
    cancel();
    m_streams = std::move(streams);
}

void PartitionDivergenceRunner::start(const PartitionDivergenceRequest &request)
{
    if (!m_streams) {
        PartitionDivergence none;
        none.error = ClientError::protocol(QStringLiteral("not connected"));
        Q_EMIT finished(request, none);
        return;
    }
    m_running = true;
    m_jobs.start([this, streams = m_streams, request](const JobTracker::Job &job) {
        const int total = int(request.events.size());
        QElapsedTimer sincePosted;
        sincePosted.start();
        const PartitionDivergence divergence = ProjectionCompare::firstDivergence(
            *streams, request.serverSource, request.localSource, request.partition, request.events, job.cancellation(),
            [&](int done) {
                if (sincePosted.elapsed() < 50 && done < total)
                    return;
                sincePosted.restart();
                job.post([this, done, total] { Q_EMIT progressChanged(done, total); });
            });
        job.post([this, request, divergence] {
            m_running = false;
            Q_EMIT finished(request, divergence);
        });
    });
}

void PartitionDivergenceRunner::cancel()
{
    m_jobs.cancel();
    m_running = false;
}

} // namespace chronoscope::projections
