#include "projections/ProjectionCompare.h"

#include <QElapsedTimer>

namespace chronoscope::projections {

ProjectionCompareRunner::ProjectionCompareRunner(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<ProjectionCompareProgress>();
    qRegisterMetaType<PartitionComparison>();
    qRegisterMetaType<QList<PartitionComparison>>();
    qRegisterMetaType<ProjectionCompareReport>();
}

ProjectionCompareRunner::~ProjectionCompareRunner() = default;

void ProjectionCompareRunner::setClients(std::shared_ptr<const StreamsClient> streams,
                                         std::shared_ptr<const ProjectionsClient> projections)
{
    cancel();
    m_streams = std::move(streams);
    m_projections = std::move(projections);
}

void ProjectionCompareRunner::start(const ProjectionCompareOptions &options)
{
    if (!m_streams || !m_projections) {
        ProjectionCompareReport report;
        report.error = ClientError::protocol(QStringLiteral("not connected"));
        Q_EMIT finished(report);
        return;
    }
    m_running = true;
    m_jobs.start([this, streams = m_streams, projections = m_projections, options](const JobTracker::Job &job) {
        QList<PartitionComparison> pending;
        QElapsedTimer sincePosted;
        sincePosted.start();
        auto post = [&]() {
            if (pending.isEmpty())
                return;
            job.post([this, batch = std::move(pending)]() { Q_EMIT partitionsCompared(batch); });
            pending.clear();
            sincePosted.restart();
        };
        ProjectionCompare compare(*streams, *projections, options);
        const ProjectionCompareReport report = compare.run(
            job.cancellation(),
            [&](const ProjectionCompareProgress &p) { job.post([this, p]() { Q_EMIT progressChanged(p); }); },
            [&](const PartitionComparison &c) {
                pending.append(c);
                if (sincePosted.elapsed() >= 100)
                    post();
            });
        post();
        job.post([this, report]() {
            m_running = false;
            Q_EMIT finished(report);
        });
    });
}

void ProjectionCompareRunner::cancel()
{
    m_jobs.cancel();
    m_running = false;
}

} // namespace chronoscope::projections
