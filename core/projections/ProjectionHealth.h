#pragma once

#include "client/ProjectionsClient.h"
#include "model/Types.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <optional>

namespace chronoscope {

/// Where a checkpoint tag puts a projection in `$all` ("C:<commit>/P:<prepare>"; none for other tags):
/// ProjectionCompare::positionOfTag.
std::optional<Position> projectionLogPosition(const QString &tag);
/// True for "C:-1/P:-1": the projection has processed nothing yet.
bool projectionAtStart(const QString &tag);

/// What is wrong with a projection, if anything (issue 13, item 5).
struct ProjectionHealth
{
    enum class Kind {
        Healthy,
        Stalled, ///< says Running, its position has not moved for the stall time while `$all` is past it
        Faulted, ///< a handler threw (or the source does not load): `stateReason` says why
    };
    Kind kind = Kind::Healthy;
    QString reason;        ///< in words, for a tooltip and the status bar; empty when healthy
    qint64 stillForMs = 0; ///< Running: how long its position has not moved (as far as we watched)

    bool healthy() const { return kind == Kind::Healthy; }
    /// "healthy", "stalled", "faulted".
    static QString kindName(Kind kind);
};

/// Judges projections from successive looks at their statistics and the head of `$all`: a projection that
/// says Running while its position has not moved for `stallAfterMs` although `$all` has moved past it is
/// stalled (Projections V2 can wedge that way, still saying Running); a Faulted one is faulted
/// with its `stateReason`. GUI-free: the ProjectionMonitor feeds it, the CLI could too.
class ProjectionHealthTracker
{
public:
    static constexpr int kDefaultStallSeconds = 30;

    explicit ProjectionHealthTracker(qint64 stallAfterMs = kDefaultStallSeconds * 1000LL);

    void setStallAfterMs(qint64 ms) { m_stallAfterMs = ms; }
    qint64 stallAfterMs() const { return m_stallAfterMs; }

    /// One look at `details` while the last record of `$all` is at `head` (none: unknown or empty), at
    /// `nowMs` of a monotonic clock. Remembers when the projection's position last moved.
    ProjectionHealth assess(const ProjectionDetails &details, std::optional<Position> head, qint64 nowMs);
    /// Forgets every projection not named in `names` (deleted ones).
    void retain(const QSet<QString> &names);
    /// Forgets everything (another connection).
    void clear() { m_seen.clear(); }

private:
    struct Seen
    {
        QString position;
        QString status;
        qint64 sinceMs = 0;                ///< when this position (and status) was first seen
        std::optional<Position> headSince; ///< the head of `$all` then
    };

    qint64 m_stallAfterMs;
    QHash<QString, Seen> m_seen;
};

} // namespace chronoscope
