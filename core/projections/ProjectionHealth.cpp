#include "projections/ProjectionHealth.h"

#include "projections/ProjectionCompare.h"

namespace chronoscope {

std::optional<Position> projectionLogPosition(const QString &tag)
{
    return projections::ProjectionCompare::positionOfTag(tag);
}

bool projectionAtStart(const QString &tag)
{
    return tag.trimmed() == QLatin1String("C:-1/P:-1");
}

QString ProjectionHealth::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Healthy: return QStringLiteral("healthy");
    case Kind::Stalled: return QStringLiteral("stalled");
    case Kind::Faulted: return QStringLiteral("faulted");
    }
    return {};
}

ProjectionHealthTracker::ProjectionHealthTracker(qint64 stallAfterMs) : m_stallAfterMs(stallAfterMs) {}

ProjectionHealth ProjectionHealthTracker::assess(const ProjectionDetails &details, std::optional<Position> head,
                                                 qint64 nowMs)
{
    ProjectionHealth health;
    const QString status = details.projectionStatus();
    if (status.startsWith(QLatin1String("Faulted"))) {
        m_seen.remove(details.name);
        health.kind = ProjectionHealth::Kind::Faulted;
        health.reason = details.stateReason.isEmpty() ? QStringLiteral("faulted (the server gave no reason)")
                                                      : QStringLiteral("faulted: %1").arg(details.stateReason);
        return health;
    }
    if (status != QLatin1String("Running")) {
        m_seen.remove(details.name); // stopped, completed, aborted: not moving is what they do
        return health;
    }
    auto it = m_seen.find(details.name);
    if (it == m_seen.end() || it->position != details.position || it->status != details.status)
        it = m_seen.insert(details.name, Seen{details.position, details.status, nowMs, head});
    health.stillForMs = nowMs - it->sinceMs;

    // Is there work it has not done? Against its `$all` position when the tag has one; otherwise
    // (a stream-based tag) `$all` must at least have moved since the position stopped.
    bool behind = false;
    if (head) {
        if (const std::optional<Position> at = projectionLogPosition(details.position))
            behind = *at < *head;
        else if (projectionAtStart(details.position))
            behind = true; // nothing processed, and `$all` has records
        else
            behind = it->headSince && *it->headSince < *head;
    }
    if (behind && health.stillForMs >= m_stallAfterMs) {
        health.kind = ProjectionHealth::Kind::Stalled;
        health.reason = QStringLiteral("stalled: Running, but its position %1 has not moved for %2 s while $all "
                                       "has moved on (head C:%3/P:%4)")
                            .arg(details.position)
                            .arg(health.stillForMs / 1000)
                            .arg(head->commit)
                            .arg(head->prepare);
    }
    return health;
}

void ProjectionHealthTracker::retain(const QSet<QString> &names)
{
    for (auto it = m_seen.begin(); it != m_seen.end();)
        it = names.contains(it.key()) ? std::next(it) : m_seen.erase(it);
}

} // namespace chronoscope
