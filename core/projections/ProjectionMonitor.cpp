#include "projections/ProjectionMonitor.h"

#include "client/StreamsClient.h"
#include "model/ReadRequest.h"

#include <QElapsedTimer>

namespace chronoscope {

namespace {

qint64 monotonicMs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.elapsed();
}

struct Head
{
    std::optional<Position> position;
    qint64 createdMs = 0;
};

struct ReadCount
{
    int reads = 0;
    quint64 records = 0;
};

Head readHead(const StreamsClient &streams, const CancellationPtr &cancel, ClientError *error, ReadCount *count)
{
    ReadRequest request = ReadRequest::forAll(Direction::Backwards);
    request.maxCount = 1;
    Head head;
    const ReadSummary summary = streams.read(
        request,
        [&head, count](ResolvedEvent &&e) {
            ++count->records;
            const RecordedEvent &r = e.originalEvent();
            head.position = r.position;
            head.createdMs = r.createdMsecsSinceEpoch();
            return false;
        },
        cancel);
    ++count->reads;
    if (summary.error && summary.error.kind != ClientError::Kind::Cancelled)
        *error = summary.error;
    return head;
}

/// Records of `$all` after `tag`, counted up to the cap, and the time from the record at the tag (the last
/// one processed; the first record for a projection that processed nothing) to the head.
ProjectionLag lagOf(const StreamsClient &streams, const QString &tag, const Head &head, const CancellationPtr &cancel,
                    ReadCount *reads)
{
    ProjectionLag lag;
    if (!head.position)
        return lag;
    const std::optional<Position> at = projectionLogPosition(tag);
    if (!at && !projectionAtStart(tag))
        return lag; // not a position in `$all`
    if (at && !(*at < *head.position)) {
        lag.events = 0;
        lag.seconds = 0;
        return lag;
    }
    ReadRequest request = ReadRequest::forAll();
    if (at)
        request.fromPosition(*at);
    request.maxCount = quint64(ProjectionMonitor::kLagCountCap) + 1;
    qint64 count = 0;
    std::optional<qint64> from;
    const ReadSummary summary = streams.read(
        request,
        [&](ResolvedEvent &&e) {
            ++reads->records;
            const RecordedEvent &r = e.originalEvent();
            if (!from)
                from = r.createdMsecsSinceEpoch();
            if (!at || *at < r.position)
                ++count;
            return count <= ProjectionMonitor::kLagCountCap;
        },
        cancel);
    ++reads->reads;
    if (summary.error)
        return lag;
    lag.atLeast = count > ProjectionMonitor::kLagCountCap;
    lag.events = std::min(count, ProjectionMonitor::kLagCountCap);
    if (from)
        lag.seconds = std::max<qint64>(0, head.createdMs - *from) / 1000.0;
    return lag;
}

} // namespace

const ProjectionRow *ProjectionSnapshot::row(const QString &name) const
{
    for (const ProjectionRow &r : rows)
        if (r.details.name == name)
            return &r;
    return nullptr;
}

int ProjectionSnapshot::count(ProjectionHealth::Kind kind) const
{
    int n = 0;
    for (const ProjectionRow &r : rows)
        n += r.health.kind == kind ? 1 : 0;
    return n;
}

ProjectionMonitor::ProjectionMonitor(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ProjectionMonitor::refresh);
}

ProjectionMonitor::~ProjectionMonitor() = default;

void ProjectionMonitor::setClients(std::shared_ptr<const ProjectionsClient> projections,
                                   std::shared_ptr<const StreamsClient> streams)
{
    m_job.cancel();
    m_pending = false;
    m_projections = std::move(projections);
    m_streams = std::move(streams);
    m_health.clear();
    m_snapshot = {};
    if (!m_projections || !m_streams)
        m_timer.stop();
    Q_EMIT updated();
}

void ProjectionMonitor::start()
{
    m_timer.start();
    refresh();
}

void ProjectionMonitor::stop()
{
    m_timer.stop();
}

void ProjectionMonitor::refresh()
{
    if (m_pending || !m_projections || !m_streams)
        return;
    m_pending = true;
    m_job.start([this, projections = m_projections, streams = m_streams,
                 withLag = !m_healthOnly](const JobTracker::Job &job) {
        ProjectionSnapshot snapshot;
        ReadCount reads;
        const ProjectionListResult listed = projections->list();
        snapshot.error = listed.error;
        Head head;
        if (!listed.error)
            head = readHead(*streams, job.cancellation(), &snapshot.error, &reads);
        snapshot.head = head.position;
        snapshot.lagRead = withLag;
        for (const ProjectionDetails &d : listed.projections) {
            if (job.isCancelled())
                return;
            snapshot.rows.append(
                {d, withLag ? lagOf(*streams, d.position, head, job.cancellation(), &reads) : ProjectionLag{}, {}});
        }
        snapshot.reads = reads.reads;
        snapshot.recordsRead = reads.records;
        snapshot.at = QDateTime::currentDateTimeUtc();
        job.post(
            [this, snapshot = std::move(snapshot), now = monotonicMs()]() mutable { take(std::move(snapshot), now); });
    });
}

void ProjectionMonitor::take(ProjectionSnapshot snapshot, qint64 nowMs)
{
    m_pending = false;
    QSet<QString> names;
    for (ProjectionRow &row : snapshot.rows) {
        names.insert(row.details.name);
        if (!snapshot.lagRead)
            if (const ProjectionRow *before = m_snapshot.row(row.details.name))
                row.lag = before->lag; // a health-only look: the last full look's lag
        row.health = m_health.assess(row.details, snapshot.head, nowMs);
    }
    if (!snapshot.error)
        m_health.retain(names);
    m_snapshot = std::move(snapshot);
    Q_EMIT updated();
}

} // namespace chronoscope
