// The Corrector's write path: append() and readBack() (validation is in Corrector.cpp).
#include "client/StreamsClient.h"
#include "correct/AuditLog.h"
#include "correct/CorrectionTarget.h"
#include "correct/Corrector.h"
#include "correct/CorrectorDetail.h"
#include "correct/WriteGuard.h"

#include <QDateTime>

namespace chronoscope {

namespace {

using Kind = AppendOutcome::Kind;

AppendOutcome outcome(Kind kind, const QString &message)
{
    AppendOutcome o;
    o.kind = kind;
    o.message = message;
    return o;
}

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

/// The events of `stream` after the pinned revision (all of them for NoStream), in order.
ReadResult readAfter(const StreamsClient &client, const QByteArray &stream, const ExpectedState &pinned,
                     const std::optional<UserCredentials> &credentials)
{
    ReadRequest request = ReadRequest::forStream(stream);
    if (pinned.kind == ExpectedState::Kind::Revision)
        request.fromRevision(pinned.revision + 1);
    return client.readAll(request, credentials);
}

/// The draft's event among `events`, if it is there.
const RecordedEvent *findEvent(const QList<RecordedEvent> &events, const QUuid &id)
{
    for (const RecordedEvent &e : events) {
        if (e.id == id)
            return &e;
    }
    return nullptr;
}

QList<RecordedEvent> recorded(const QList<ResolvedEvent> &events)
{
    QList<RecordedEvent> out;
    out.reserve(events.size());
    for (const ResolvedEvent &e : events) {
        if (e.event || e.link)
            out.append(e.originalEvent());
    }
    return out;
}

/// The plain sentence for an error the server or the connection gave.
AppendOutcome fromError(const ClientError &error)
{
    AppendOutcome o;
    o.error = error;
    switch (error.kind) {
    case ClientError::Kind::StreamDeleted:
        o.kind = Kind::StreamDeleted;
        o.message = QStringLiteral("The stream is deleted (tombstoned): nothing can be appended to it.");
        break;
    case ClientError::Kind::AccessDenied:
        o.kind = Kind::AccessDenied;
        o.message = error.isAuthenticationFailure()
            ? QStringLiteral("The server did not accept the credentials: nothing was appended.")
            : QStringLiteral("Access denied: this user may not write to the stream. Nothing was appended.");
        break;
    case ClientError::Kind::MaximumAppendSizeExceeded:
    case ClientError::Kind::MaximumAppendEventSizeExceeded:
        o.kind = Kind::TooBig;
        o.message =
            QStringLiteral("The server refused the event as too big (%1). Nothing was appended.").arg(error.message);
        break;
    case ClientError::Kind::DeadlineExceeded:
    case ClientError::Kind::Timeout:
        o.kind = Kind::DeadlineExceeded;
        o.message = QStringLiteral("No answer in time: whether the event landed is unknown. Read the stream back "
                                   "before retrying.");
        break;
    case ClientError::Kind::Unavailable:
    case ClientError::Kind::Cancelled:
        o.kind = Kind::ConnectionLost;
        o.message = QStringLiteral("The connection was lost: whether the event landed is unknown. Read the stream "
                                   "back before retrying.");
        break;
    default:
        o.kind = Kind::Error;
        o.message = QStringLiteral("The append failed: %1").arg(error.toString());
        break;
    }
    return o;
}

AuditOutcome auditOutcomeOf(const AppendOutcome &o)
{
    switch (o.kind) {
    case Kind::Appended: return AuditOutcome::appended(o.revision.value_or(0), o.position);
    case Kind::AlreadyAppended: return AuditOutcome::alreadyAppended(o.revision.value_or(0), o.position);
    case Kind::Conflict: return AuditOutcome::conflict(o.actualRevision, o.message);
    case Kind::DeadlineExceeded:
    case Kind::ConnectionLost: return AuditOutcome::unknown(o.message, o.error.kindName());
    case Kind::NotAppended: return AuditOutcome::unknown(o.message, QStringLiteral("not-appended"));
    default: {
        AuditOutcome a = AuditOutcome::error(o.error);
        if (!o.error.isError())
            a.errorKind = AppendOutcome::kindName(o.kind);
        a.message = o.message;
        return a;
    }
    }
}

/// Moves the target on to the stream's head after a success or a conflict, keeping `newEvents`.
QList<RecordedEvent> catchTargetUp(CorrectionTarget &target, const StreamsClient &client, const AppendOptions &options)
{
    return target.catchUp(client, options.cancel, {}, options.credentials).newEvents;
}

/// Moves the target on with `events`, read after `pinned`: added directly when the target is at
/// the pinned revision (no second read that could fail), else caught up from the server.
void moveTargetOn(CorrectionTarget &target, const ExpectedState &pinned, const QList<RecordedEvent> &events,
                  const StreamsClient &client, const AppendOptions &options)
{
    if (target.headExpected() == pinned)
        target.add(events);
    else
        catchTargetUp(target, client, options);
}

} // namespace

AppendOutcome Corrector::append(const EventDraft &draft, CorrectionTarget &target, const AppendOptions &options) const
{
    if (!m_guard)
        return outcome(Kind::RefusedByGuard, QStringLiteral("Writes are locked: no write guard."));
    if (const QString refusal = m_guard->authorize(options.typedProfileName); !refusal.isEmpty())
        return outcome(Kind::RefusedByGuard, refusal);
    if (!draft.expected || !EventDraft::isPinned(*draft.expected))
        return outcome(Kind::NotPinned,
                       QStringLiteral("The draft is not pinned to the revision you inspected (%1): a correction is "
                                      "never appended with \"any\".")
                           .arg(draft.expected ? draft.expected->toString() : QStringLiteral("none")));
    AppendOutcome refused = outcome(Kind::RefusedByValidation, QString());
    refused.validation = validate(draft, target);
    if (refused.validation.hasErrors()) {
        const QList<DraftIssue> errors = refused.validation.errors();
        refused.message = QStringLiteral("Not appended: %1").arg(errors.constFirst().toString());
        if (errors.size() > 1)
            refused.message += QStringLiteral(" (and %1 more)").arg(errors.size() - 1);
        return refused;
    }
    if (!m_client)
        return outcome(Kind::Error, QStringLiteral("Not connected: nothing was appended."));
    if (!m_auditLog)
        return outcome(Kind::AuditFailed,
                       QStringLiteral("No audit log: an append the log cannot tell about is "
                                      "not made."));
    // A stream deleted since it was inspected: a soft-deleted stream would take the append at its
    // last revision and come back to life, which is not what a correction of it means.
    if (draft.expected->kind == ExpectedState::Kind::Revision) {
        const ReadResult head = m_client->readAll(
            ReadRequest::forStream(target.stream(), Direction::Backwards).count(1), options.credentials);
        if (head.error.kind == ClientError::Kind::StreamNotFound
            || head.error.kind == ClientError::Kind::StreamDeleted) {
            catchTargetUp(target, *m_client, options);
            AppendOutcome deleted = outcome(Kind::StreamDeleted,
                                            head.error.kind == ClientError::Kind::StreamDeleted
                                                ? QStringLiteral("The stream is deleted (tombstoned): nothing can be "
                                                                 "appended to it.")
                                                : QStringLiteral("The stream was deleted since you inspected it: "
                                                                 "nothing was appended."));
            deleted.error = head.error;
            return deleted;
        }
        // Reading may be denied where writing is not: the append then answers for itself.
        if (head.error.isError() && head.error.kind != ClientError::Kind::AccessDenied) {
            AppendOutcome failed = outcome(Kind::Error,
                                           QStringLiteral("The stream could not be checked before the "
                                                          "append (%1): nothing was appended. Try again.")
                                               .arg(head.error.toString()));
            failed.error = head.error;
            return failed;
        }
    }
    AppendOutcome out = callAndRecord(draft, target, options, reasonFor(draft));
    out.validation = refused.validation;
    return out;
}

AppendOutcome Corrector::callAndRecord(const EventDraft &draft, CorrectionTarget &target, const AppendOptions &options,
                                       const QString &reason) const
{
    // Did an earlier call of this Corrector carry this very event (its id is fixed per draft)?
    const bool retry = m_attempted->remember(draft.eventId);

    QString anchorError;
    const QByteArray anchor = m_auditLog->headSha256(&anchorError);
    if (anchor.isEmpty())
        return outcome(Kind::AuditFailed,
                       QStringLiteral("The audit log cannot be read (%1): nothing was appended.").arg(anchorError));
    const QByteArray metadata = metadataFor(draft, reason, anchor);
    AuditAttempt attempt = AuditAttempt::fromDraft(draft, QString::fromUtf8(metadata), m_operator);
    attempt.reason = reason;
    const AuditLog::Written written = m_auditLog->recordAttempt(attempt);
    if (!written.ok())
        return outcome(Kind::AuditFailed,
                       QStringLiteral("The audit log could not record the attempt (%1): nothing was appended.")
                           .arg(written.error));

    const ExpectedState pinned = *draft.expected;
    EventData event = EventData::json(draft.eventType.toUtf8(), draft.data.toUtf8(), metadata, draft.eventId);
    const qint64 calledAtMs = QDateTime::currentMSecsSinceEpoch();
    const AppendResult result = m_client->append(target.stream(), pinned, {event}, options.credentials);

    AppendOutcome out;
    out.attemptSeq = written.seq;
    if (!result.error.isError()) {
        out.kind = Kind::Appended;
        out.revision = result.nextExpectedRevision;
        out.position = result.position;
        const bool targetAtPin = target.headExpected() == pinned;
        // The server answers an idempotent retry (strong check: this id at pinned + 1) like a
        // write. Told apart by the stored event's time, when an earlier attempt could have landed.
        if (retry && out.revision) {
            const ReadResult back = m_client->readAll(
                ReadRequest::forStream(target.stream()).fromRevision(*out.revision).count(1), options.credentials);
            const QList<RecordedEvent> events = recorded(back.events);
            if (const RecordedEvent *stored = findEvent(events, draft.eventId);
                stored && stored->createdMsecsSinceEpoch() < calledAtMs)
                out.kind = Kind::AlreadyAppended;
        }
        out.message = out.kind == Kind::Appended
            ? QStringLiteral("Appended at revision %1.").arg(out.revision.value_or(0))
            : QStringLiteral("Already appended: an earlier attempt stored the event at revision %1; "
                             "nothing was written twice.")
                  .arg(out.revision.value_or(0));
        if (targetAtPin && out.revision
            && *out.revision == (pinned.kind == ExpectedState::Kind::Revision ? pinned.revision + 1 : 0)) {
            RecordedEvent stored = correctdetail::eventFor(draft, target, event.data, metadata);
            stored.position = result.position.value_or(Position::end());
            target.add({stored});
        } else {
            catchTargetUp(target, *m_client, options);
        }
    } else if (result.error.kind == ClientError::Kind::WrongExpectedVersion) {
        out.error = result.error;
        out.actualRevision = result.error.actualRevision;
        const ReadResult read = readAfter(*m_client, target.stream(), pinned, options.credentials);
        if (!read.error.isError()) {
            out.newEvents = recorded(read.events);
            moveTargetOn(target, pinned, out.newEvents, *m_client, options);
        }
        if (const RecordedEvent *mine = findEvent(out.newEvents, draft.eventId)) {
            out.kind = Kind::AlreadyAppended;
            out.revision = mine->revision;
            if (!mine->position.isEnd())
                out.position = mine->position;
            out.message = QStringLiteral("Already appended: an earlier attempt stored the event at revision %1; "
                                         "nothing was written twice.")
                              .arg(mine->revision);
        } else {
            out.kind = Kind::Conflict;
            out.message = QStringLiteral("Conflict: %1 new event(s) arrived since revision %2. Review them; the "
                                         "draft was checked again against the new head.")
                              .arg(out.newEvents.size())
                              .arg(pinned.toString());
            if (read.error.isError())
                out.message = QStringLiteral("Conflict: the stream moved on since revision %1, and its new events "
                                             "could not be read (%2). Refresh the stream.")
                                  .arg(pinned.toString(), read.error.toString());
        }
    } else {
        const qint64 seq = out.attemptSeq;
        out = fromError(result.error);
        out.attemptSeq = seq;
        if (out.kind == Kind::StreamDeleted)
            catchTargetUp(target, *m_client, options);
    }
    const AuditLog::Written recordedOutcome = m_auditLog->recordOutcome(written.seq, attempt, auditOutcomeOf(out));
    if (!recordedOutcome.ok())
        out.message += QStringLiteral(" The audit log could not record this outcome: %1").arg(recordedOutcome.error);
    return out;
}

AppendOutcome Corrector::readBack(const EventDraft &draft, CorrectionTarget &target, const AppendOptions &options) const
{
    if (!draft.expected || !EventDraft::isPinned(*draft.expected))
        return outcome(Kind::NotPinned, QStringLiteral("The draft is not pinned: there is no revision to read after."));
    if (!m_client)
        return outcome(Kind::Error, QStringLiteral("Not connected: the stream cannot be read."));
    const ExpectedState pinned = *draft.expected;
    const ReadResult read = readAfter(*m_client, target.stream(), pinned, options.credentials);
    AppendOutcome out;
    const QList<RecordedEvent> events = recorded(read.events);
    if (read.error.isError() && read.error.kind != ClientError::Kind::StreamNotFound) {
        out = fromError(read.error);
        if (out.isUncertain())
            out.message = QStringLiteral("The stream could not be read (%1): whether the event landed is still "
                                         "unknown. Try reading it back again.")
                              .arg(read.error.toString());
        if (out.kind == Kind::StreamDeleted)
            catchTargetUp(target, *m_client, options);
    } else if (read.error.kind == ClientError::Kind::StreamNotFound && pinned.kind == ExpectedState::Kind::Revision) {
        out.kind = Kind::StreamDeleted;
        out.error = read.error;
        out.message =
            QStringLiteral("The stream is gone (deleted since revision %1 was inspected).").arg(pinned.revision);
    } else if (const RecordedEvent *mine = findEvent(events, draft.eventId)) {
        out.kind = Kind::AlreadyAppended;
        out.revision = mine->revision;
        if (!mine->position.isEnd())
            out.position = mine->position;
        out.message =
            QStringLiteral("The event is in the stream at revision %1: it landed. Do not retry.").arg(mine->revision);
        moveTargetOn(target, pinned, events, *m_client, options);
    } else if (events.isEmpty()) {
        out.kind = Kind::NotAppended;
        out.message = QStringLiteral("The event is not in the stream and nothing else arrived: it is safe to retry "
                                     "(with the same event id).");
    } else {
        out.kind = Kind::Conflict;
        out.newEvents = events;
        out.actualRevision = events.constLast().revision;
        out.message = QStringLiteral("The event did not land, but %1 other event(s) arrived since revision %2. "
                                     "Review them; the draft was checked again against the new head.")
                          .arg(events.size())
                          .arg(pinned.toString());
        moveTargetOn(target, pinned, events, *m_client, options);
    }
    if (m_auditLog) {
        QJsonObject fields;
        fields.insert(QLatin1String("draftId"), uuidText(draft.draftId));
        fields.insert(QLatin1String("eventId"), uuidText(draft.eventId));
        fields.insert(QLatin1String("stream"), draft.stream);
        fields.insert(QLatin1String("expected"), pinned.toString());
        fields.insert(QLatin1String("found"), AppendOutcome::kindName(out.kind));
        if (out.revision)
            fields.insert(QLatin1String("revision"), qint64(*out.revision));
        if (out.actualRevision)
            fields.insert(QLatin1String("actualRevision"), qint64(*out.actualRevision));
        fields.insert(QLatin1String("message"), out.message);
        const AuditLog::Written w = m_auditLog->append(QStringLiteral("readback"), fields);
        if (!w.ok())
            out.message += QStringLiteral(" The audit log could not record this read-back: %1").arg(w.error);
    }
    return out;
}

} // namespace chronoscope
