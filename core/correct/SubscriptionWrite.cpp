#include "correct/SubscriptionWrite.h"

#include "client/PersistentSubscriptionJson.h"
#include "client/PersistentSubscriptionsClient.h"
#include "client/StreamsClient.h"
#include "correct/AuditLog.h"
#include "correct/WriteGuard.h"

#include <utility>

namespace chronoscope {

namespace {

/// The settings a create or update sends, with where the group starts (not part of GetInfo's settings).
QJsonObject settingsJson(const PersistentSubscriptionSettings &s)
{
    QJsonObject o = persistentjson::settings(s);
    o.insert(QLatin1String("startFrom"),
             s.startFrom ? QJsonValue(QString::number(*s.startFrom)) : QJsonValue(QStringLiteral("end")));
    return o;
}

/// No answer rather than a refusal: the server may have done it.
bool isUncertain(const ClientError &error)
{
    using K = ClientError::Kind;
    return error.kind == K::Unavailable || error.kind == K::DeadlineExceeded || error.kind == K::Timeout;
}

} // namespace

SubscriptionOperation SubscriptionOperation::replay(const PersistentGroup &group, std::optional<qint64> count)
{
    SubscriptionOperation o;
    o.kind = Kind::ReplayParked;
    o.group = group;
    o.replayCount = count;
    return o;
}

SubscriptionOperation SubscriptionOperation::replayBefore(const PersistentGroup &group, qint64 stopAt)
{
    SubscriptionOperation o = replay(group);
    o.stopAt = stopAt;
    return o;
}

QString SubscriptionOperation::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Create: return QStringLiteral("create");
    case Kind::Update: return QStringLiteral("update");
    case Kind::Delete: return QStringLiteral("delete");
    case Kind::ReplayParked: return QStringLiteral("replay-parked");
    }
    return {};
}

QString SubscriptionWriteOutcome::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Done: return QStringLiteral("done");
    case Kind::RefusedByGuard: return QStringLiteral("refused-by-guard");
    case Kind::AuditFailed: return QStringLiteral("audit-failed");
    case Kind::Failed: return QStringLiteral("failed");
    case Kind::Unknown: return QStringLiteral("unknown");
    }
    return {};
}

SubscriptionWriter::SubscriptionWriter(const PersistentSubscriptionsClient *client, const StreamsClient *streams,
                                       const AuditLog *auditLog, const WriteGuard *guard, AuditOperator op)
    : m_client(client), m_streams(streams), m_auditLog(auditLog), m_guard(guard), m_operator(std::move(op))
{}

QJsonObject SubscriptionWriter::describe(const SubscriptionOperation &operation)
{
    QJsonObject o;
    o.insert(QLatin1String("operation"), SubscriptionOperation::kindName(operation.kind));
    o.insert(QLatin1String("stream"), QString::fromUtf8(operation.group.stream));
    o.insert(QLatin1String("group"), operation.group.group);
    using K = SubscriptionOperation::Kind;
    if (operation.kind == K::Create || operation.kind == K::Update)
        o.insert(QLatin1String("settings"), settingsJson(operation.settings));
    if (operation.kind == K::ReplayParked) {
        o.insert(QLatin1String("parkedStream"), QString::fromUtf8(operation.group.parkedStream()));
        if (operation.stopAt)
            o.insert(QLatin1String("stopAt"), *operation.stopAt);
        else
            o.insert(QLatin1String("replayCount"),
                     operation.replayCount ? QJsonValue(*operation.replayCount) : QJsonValue(QStringLiteral("all")));
    }
    return o;
}

SubscriptionWriteOutcome SubscriptionWriter::run(const SubscriptionOperation &operation,
                                                 const QString &typedProfileName) const
{
    SubscriptionWriteOutcome out;
    if (const QString refusal = m_guard->authorize(typedProfileName); !refusal.isEmpty()) {
        out.kind = SubscriptionWriteOutcome::Kind::RefusedByGuard;
        out.message = refusal;
        return out;
    }
    const bool replay = operation.kind == SubscriptionOperation::Kind::ReplayParked;
    if (replay && operation.stopAt) {
        if (*operation.stopAt < 0) {
            out.message = QStringLiteral("The parked event number to stop before is 0 or more.");
            return out;
        }
        out.stopAt = operation.stopAt;
    } else if (replay && operation.replayCount) {
        if (*operation.replayCount <= 0) {
            out.message = QStringLiteral("Replay a count of 1 or more parked messages (or all of them).");
            return out;
        }
        // The parked stream's $tb: the messages earlier replays took.
        const StreamMetadataResult meta = m_streams->getStreamMetadata(operation.group.parkedStream());
        if (meta.error && meta.error.kind != ClientError::Kind::StreamNotFound) {
            out.error = meta.error;
            out.message = QStringLiteral("Reading the parked stream's metadata failed: %1").arg(meta.error.toString());
            return out;
        }
        const qint64 replayed = meta.metadata ? meta.metadata->truncateBefore.value_or(0) : 0;
        out.stopAt = replayed + *operation.replayCount;
    }

    if (replay) { // the count before, for the record: what the replay is about to send again
        const PersistentInfoResult before = m_client->getInfo(operation.group);
        if (before.error) {
            out.error = before.error;
            out.message =
                QStringLiteral("Reading the group failed, so nothing was sent: %1").arg(before.error.toString());
            return out;
        }
        out.parkedBefore = before.info.parkedMessageCount;
    }

    QJsonObject attempt = describe(operation);
    attempt.insert(QLatin1String("reason"), m_guard->reason());
    if (out.stopAt)
        attempt.insert(QLatin1String("stopAt"), *out.stopAt);
    if (replay)
        attempt.insert(QLatin1String("parkedBefore"), out.parkedBefore);
    m_operator.insertInto(attempt);
    const AuditLog::Written written = m_auditLog->append(QStringLiteral("subscription-attempt"), attempt);
    if (!written.ok()) {
        out.kind = SubscriptionWriteOutcome::Kind::AuditFailed;
        out.message = QStringLiteral("The audit log could not be written, so nothing was sent: %1").arg(written.error);
        return out;
    }
    out.attemptSeq = written.seq;

    out.error = call(operation, out.stopAt);
    const QString what = SubscriptionOperation::kindName(operation.kind);
    const QString target = operation.group.group + QStringLiteral(" on ") + QString::fromUtf8(operation.group.stream);
    if (!out.error) {
        out.kind = SubscriptionWriteOutcome::Kind::Done;
        out.message = QStringLiteral("%1 of %2: done").arg(what, target);
        if (replay && out.stopAt)
            out.message +=
                QStringLiteral(" (the parked messages before #%1 go to its consumers again)").arg(*out.stopAt);
        else if (replay)
            out.message +=
                QStringLiteral(" (its %1 parked message(s) go to its consumers again)").arg(out.parkedBefore);
    } else {
        out.kind = isUncertain(out.error) ? SubscriptionWriteOutcome::Kind::Unknown
                                          : SubscriptionWriteOutcome::Kind::Failed;
        out.message = QStringLiteral("%1 of %2: %3").arg(what, target, out.error.toString());
    }

    QJsonObject outcome{{QLatin1String("attemptSeq"), out.attemptSeq},
                        {QLatin1String("operation"), what},
                        {QLatin1String("stream"), QString::fromUtf8(operation.group.stream)},
                        {QLatin1String("group"), operation.group.group},
                        {QLatin1String("result"), SubscriptionWriteOutcome::kindName(out.kind)}};
    if (out.error) {
        outcome.insert(QLatin1String("errorKind"), out.error.kindName());
        outcome.insert(QLatin1String("message"), out.error.message);
    }
    m_operator.insertInto(outcome);
    if (const AuditLog::Written w = m_auditLog->append(QStringLiteral("subscription-outcome"), outcome); !w.ok())
        out.message += QStringLiteral(" (its outcome could not be written to the audit log: %1)").arg(w.error);
    return out;
}

ClientError SubscriptionWriter::call(const SubscriptionOperation &operation, std::optional<qint64> stopAt) const
{
    switch (operation.kind) {
    case SubscriptionOperation::Kind::Create: return m_client->create(operation.group, operation.settings).error;
    case SubscriptionOperation::Kind::Update: return m_client->update(operation.group, operation.settings).error;
    case SubscriptionOperation::Kind::Delete: return m_client->remove(operation.group).error;
    case SubscriptionOperation::Kind::ReplayParked: return m_client->replayParked(operation.group, stopAt).error;
    }
    return ClientError::protocol(QStringLiteral("unknown subscription operation"));
}

} // namespace chronoscope
