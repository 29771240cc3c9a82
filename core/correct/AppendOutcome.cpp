#include "correct/Corrector.h"

#include <QJsonArray>
#include <QJsonObject>

namespace chronoscope {

QString AppendOutcome::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Appended: return QStringLiteral("appended");
    case Kind::AlreadyAppended: return QStringLiteral("already-appended");
    case Kind::Conflict: return QStringLiteral("conflict");
    case Kind::RefusedByGuard: return QStringLiteral("refused-by-guard");
    case Kind::RefusedByValidation: return QStringLiteral("refused-by-validation");
    case Kind::NotPinned: return QStringLiteral("not-pinned");
    case Kind::StreamDeleted: return QStringLiteral("stream-deleted");
    case Kind::AccessDenied: return QStringLiteral("access-denied");
    case Kind::TooBig: return QStringLiteral("too-big");
    case Kind::DeadlineExceeded: return QStringLiteral("deadline-exceeded");
    case Kind::ConnectionLost: return QStringLiteral("connection-lost");
    case Kind::NotAppended: return QStringLiteral("not-appended");
    case Kind::AuditFailed: return QStringLiteral("audit-failed");
    case Kind::Error: return QStringLiteral("error");
    }
    return QStringLiteral("error");
}

QString AppendOutcome::title() const
{
    switch (kind) {
    case Kind::Appended: return QStringLiteral("Appended");
    case Kind::AlreadyAppended: return QStringLiteral("Already appended");
    case Kind::Conflict: return QStringLiteral("Conflict");
    case Kind::RefusedByGuard: return QStringLiteral("Writes not allowed");
    case Kind::RefusedByValidation: return QStringLiteral("Refused by validation");
    case Kind::NotPinned: return QStringLiteral("Not pinned");
    case Kind::StreamDeleted: return QStringLiteral("Stream deleted");
    case Kind::AccessDenied: return QStringLiteral("Access denied");
    case Kind::TooBig: return QStringLiteral("Event too big");
    case Kind::DeadlineExceeded: return QStringLiteral("No answer in time");
    case Kind::ConnectionLost: return QStringLiteral("Connection lost");
    case Kind::NotAppended: return QStringLiteral("Not appended");
    case Kind::AuditFailed: return QStringLiteral("Audit log failed");
    case Kind::Error: return QStringLiteral("Error");
    }
    return QStringLiteral("Error");
}

int AppendOutcome::exitCode() const
{
    if (isSuccess())
        return 0;
    if (kind == Kind::RefusedByValidation || kind == Kind::Conflict)
        return 3;
    return 1;
}

QJsonObject AppendOutcome::toJson() const
{
    QJsonObject o;
    o.insert(QLatin1String("outcome"), kindName(kind));
    o.insert(QLatin1String("title"), title());
    o.insert(QLatin1String("message"), message);
    o.insert(QLatin1String("exitCode"), exitCode());
    o.insert(QLatin1String("uncertain"), isUncertain());
    if (revision)
        o.insert(QLatin1String("revision"), qint64(*revision));
    if (position) {
        // Positions go up to 2^64-1: as strings, so no JSON reader rounds them.
        QJsonObject p;
        p.insert(QLatin1String("commit"), QString::number(position->commit));
        p.insert(QLatin1String("prepare"), QString::number(position->prepare));
        o.insert(QLatin1String("position"), p);
    }
    if (kind == Kind::Conflict) {
        o.insert(QLatin1String("actualRevision"),
                 actualRevision ? QJsonValue(qint64(*actualRevision)) : QJsonValue(QLatin1String("no_stream")));
        QJsonArray events;
        for (const RecordedEvent &e : newEvents) {
            QJsonObject ev;
            ev.insert(QLatin1String("revision"), qint64(e.revision));
            ev.insert(QLatin1String("id"), e.id.toString(QUuid::WithoutBraces));
            ev.insert(QLatin1String("type"), QString::fromUtf8(e.type));
            events.append(ev);
        }
        o.insert(QLatin1String("newEvents"), events);
    }
    if (!validation.issues.isEmpty()) {
        QJsonArray issues;
        for (const DraftIssue &i : validation.issues) {
            QJsonObject j;
            j.insert(QLatin1String("stage"), DraftIssue::stageName(i.stage));
            j.insert(QLatin1String("field"), DraftIssue::fieldName(i.field));
            j.insert(QLatin1String("severity"), i.isError() ? QStringLiteral("error") : QStringLiteral("warning"));
            if (i.line > 0) {
                j.insert(QLatin1String("line"), i.line);
                j.insert(QLatin1String("column"), i.column);
            }
            if (!i.pointer.isEmpty() || i.stage == DraftIssue::Stage::Schema)
                j.insert(QLatin1String("pointer"), i.pointer);
            if (!i.invariant.isEmpty())
                j.insert(QLatin1String("invariant"), i.invariant);
            j.insert(QLatin1String("message"), i.message);
            j.insert(QLatin1String("text"), i.toString());
            issues.append(j);
        }
        o.insert(QLatin1String("issues"), issues);
    }
    if (error.isError()) {
        o.insert(QLatin1String("errorKind"), error.kindName());
        o.insert(QLatin1String("errorMessage"), error.message);
    }
    if (attemptSeq > 0)
        o.insert(QLatin1String("auditAttemptSeq"), attemptSeq);
    return o;
}

} // namespace chronoscope
