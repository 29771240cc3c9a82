#pragma once

#include "base/JobTracker.h"
#include "client/ProjectionsClient.h"
#include "projections/ProjectionHealth.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace chronoscope {

class StreamsClient;

/// How far a projection is behind the head of `$all`.
struct ProjectionLag
{
    qint64 events = -1;   ///< records of `$all` after its position; -1: not known (a stream-based tag)
    bool atLeast = false; ///< more than were counted (ProjectionMonitor::kLagCountCap)
    double seconds = -1;  ///< the head's time minus the time of the record at its position; -1: not known
};

/// One projection as the monitor last saw it.
struct ProjectionRow
{
    ProjectionDetails details;
    ProjectionLag lag;
    ProjectionHealth health;
};

/// One look at every projection of the server.
struct ProjectionSnapshot
{
    ClientError error; ///< the list could not be read (NotFound, AccessDenied, Unavailable, …)
    QList<ProjectionRow> rows;
    std::optional<Position> head; ///< the last record of `$all`
    QDateTime at;                 ///< when (UTC)
    bool lagRead = false;         ///< false: a health-only look, `lag` is the last full look's
    int reads = 0;                ///< reads of `$all` this look made (the head's included)
    quint64 recordsRead = 0;      ///< records they returned

    const ProjectionRow *row(const QString &name) const;
    int count(ProjectionHealth::Kind kind) const;
};

/// Watches the projections of one server (issue 13, items 3 and 5): every interval, in a worker, it lists
/// them (Statistics), reads the head of `$all` and how far each one is behind it, judges their health
/// (ProjectionHealthTracker) and says updated(). Never blocks its thread; a look still under way when the
/// timer fires is not started again.
class ProjectionMonitor : public QObject
{
    Q_OBJECT
public:
    /// Records counted behind a projection before the count says "at least".
    static constexpr qint64 kLagCountCap = 10000;
    static constexpr int kDefaultIntervalMs = 2000;

    explicit ProjectionMonitor(QObject *parent = nullptr);
    ~ProjectionMonitor() override;

    /// The server to watch (both null: none; what was seen is dropped).
    void setClients(std::shared_ptr<const ProjectionsClient> projections, std::shared_ptr<const StreamsClient> streams);
    std::shared_ptr<const ProjectionsClient> projections() const { return m_projections; }
    std::shared_ptr<const StreamsClient> streams() const { return m_streams; }

    void setInterval(int ms) { m_timer.setInterval(ms); }
    int interval() const { return m_timer.interval(); }
    void setStallAfterMs(qint64 ms) { m_health.setStallAfterMs(ms); }
    qint64 stallAfterMs() const { return m_health.stallAfterMs(); }

    /// Health only (the pane is hidden, the status bar still shows stalls and faults): each look is the
    /// Statistics call and the head of `$all` (one record), without the lag reads (up to kLagCountCap + 1
    /// records per projection behind). Rows keep the lag of the last full look.
    void setHealthOnly(bool healthOnly) { m_healthOnly = healthOnly; }
    bool isHealthOnly() const { return m_healthOnly; }

    /// Looks every interval (and at once) while there is a server.
    void start();
    void stop();
    bool isActive() const { return m_timer.isActive(); }
    /// Looks now (unless a look is under way).
    void refresh();
    bool isRefreshing() const { return m_pending; }

    const ProjectionSnapshot &snapshot() const { return m_snapshot; }

Q_SIGNALS:
    void updated();

private:
    void take(ProjectionSnapshot snapshot, qint64 nowMs);

    std::shared_ptr<const ProjectionsClient> m_projections;
    std::shared_ptr<const StreamsClient> m_streams;
    QTimer m_timer;
    ProjectionHealthTracker m_health;
    ProjectionSnapshot m_snapshot;
    bool m_pending = false;
    bool m_healthOnly = false;
    JobTracker m_job{this}; // last: its workers end before the members above go
};

} // namespace chronoscope
