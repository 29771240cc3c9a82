#include "correct/ParkedReplay.h"

#include "client/PersistentSubscriptionsClient.h"
#include "correct/AuditLog.h"
#include "correct/WriteGuard.h"

#include <QJsonObject>

namespace chronoscope {

QString ParkedReplayOutcome::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Replayed: return QStringLiteral("replayed");
    case Kind::RefusedByGuard: return QStringLiteral("refused-by-guard");
    case Kind::NotLogged: return QStringLiteral("not-logged");
    case Kind::Failed: break;
    }
    return QStringLiteral("failed");
}

ParkedReplay::ParkedReplay(const PersistentSubscriptionsClient *client, const AuditLog *auditLog,
                           const WriteGuard *guard, AuditOperator op)
    : m_client(client), m_auditLog(auditLog), m_guard(guard), m_op(std::move(op))
{}

ParkedReplayOutcome ParkedReplay::replay(const PersistentGroup &group, std::optional<qint64> stopAt,
                                         const QString &typedProfileName) const
{
    ParkedReplayOutcome out;
    const QString refusal = m_guard ? m_guard->authorize(typedProfileName) : QStringLiteral("no write guard");
    if (!refusal.isEmpty()) {
        out.kind = ParkedReplayOutcome::Kind::RefusedByGuard;
        out.message = refusal;
        return out;
    }
    // The count before, for the record: what the replay is about to send again.
    const PersistentInfoResult before = m_client->getInfo(group);
    if (before.error) {
        out.error = before.error;
        out.message = before.error.toString();
        return out;
    }
    out.parkedBefore = before.info.parkedMessageCount;

    QJsonObject fields = m_op.toJson();
    fields.insert(QLatin1String("stream"), QString::fromUtf8(group.stream));
    fields.insert(QLatin1String("group"), group.group);
    fields.insert(QLatin1String("stopAt"), stopAt ? QJsonValue(*stopAt) : QJsonValue(QLatin1String("all")));
    fields.insert(QLatin1String("parkedBefore"), out.parkedBefore);
    fields.insert(QLatin1String("reason"), m_guard->reason());
    if (!m_auditLog) {
        out.kind = ParkedReplayOutcome::Kind::NotLogged;
        out.message = QStringLiteral("no audit log: the replay was not asked for");
        return out;
    }
    const AuditLog::Written attempt = m_auditLog->append(QStringLiteral("replay-parked"), fields);
    if (!attempt.ok()) {
        out.kind = ParkedReplayOutcome::Kind::NotLogged;
        out.message =
            QStringLiteral("the audit log could not record the replay, so it was not asked for: %1").arg(attempt.error);
        return out;
    }
    out.auditSeq = attempt.seq;

    const PersistentResult r = m_client->replayParked(group, stopAt);
    out.error = r.error;
    out.kind = r.error ? ParkedReplayOutcome::Kind::Failed : ParkedReplayOutcome::Kind::Replayed;
    const QString name = QString::fromUtf8(group.stream) + QStringLiteral(" / ") + group.group;
    if (r.error)
        out.message = r.error.toString();
    else if (stopAt)
        out.message =
            QStringLiteral("%1: the parked messages before #%2 go to its consumers again").arg(name).arg(*stopAt);
    else
        out.message =
            QStringLiteral("%1: its %2 parked message(s) go to its consumers again").arg(name).arg(out.parkedBefore);
    QJsonObject result{{QLatin1String("attemptSeq"), attempt.seq},
                       {QLatin1String("result"), ParkedReplayOutcome::kindName(out.kind)},
                       {QLatin1String("message"), out.message}};
    if (r.error)
        result.insert(QLatin1String("errorKind"), r.error.kindName());
    const AuditLog::Written done = m_auditLog->append(QStringLiteral("replay-parked-outcome"), result);
    if (!done.ok())
        out.message += QStringLiteral(" (the audit log could not record the outcome: %1)").arg(done.error);
    return out;
}

} // namespace chronoscope
