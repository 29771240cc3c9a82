#pragma once

#include "model/ClientError.h"
#include "model/Types.h"

#include <QJsonObject>
#include <QString>
#include <QUuid>

#include <optional>

namespace chronoscope {

struct ConnectionSettings;
struct EventDraft;

/// Who appends, from where, with what: written into every audit record.
struct AuditOperator
{
    QString osUser;         ///< the account running Chronoscope
    QString connectionUser; ///< the user the connection authenticates as; empty when anonymous
    QString connection;     ///< the connection string with the password replaced by `***`
    QString host;           ///< this machine's host name
    QString tool = QStringLiteral("chronoscope");
    QString toolVersion; ///< defaults to the version this core was built as

    AuditOperator();
    /// The OS account running this process, this machine, and the connection's user and redacted string.
    static AuditOperator current(const ConnectionSettings &connection,
                                 const QString &tool = QStringLiteral("chronoscope"));
    /// The name of the account running this process (from the user database, `$USER` as a fallback).
    static QString osUserName();
    /// The fields every audit record carries about who wrote it (the connection redacted).
    QJsonObject toJson() const;
};

/// An append about to be made: the `attempt` record, written and fsync'd before the call.
///
/// The payloads are recorded in full, as the exact text sent, with their SHA-256 beside them. A
/// digest alone could confirm a payload someone shows but could never show one: after an attempt
/// whose answer was lost, or one the server refused, the draft may be gone and the event was never
/// stored, and the log is then the only place that says what was sent. Corrections are typed by
/// hand, so the size is small; the file is the user's own (0600), like the drafts that held the
/// same text. The digests let an auditor match the record to the stored event byte for byte.
struct AuditAttempt
{
    QUuid draftId;
    QUuid eventId; ///< the same on every retry of one draft
    QString stream;
    ExpectedState expected; ///< what the append is pinned to
    QString eventType;
    QString data;     ///< the data text sent
    QString metadata; ///< the custom metadata text sent (automatic fields included)
    QString reason;
    QUuid correctsEventId; ///< the corrected event (`$causationId`), null when none
    QString correlationId;
    AuditOperator op;

    /// The attempt to append `draft` with the metadata actually sent.
    static AuditAttempt fromDraft(const EventDraft &draft, const QString &metadataSent, const AuditOperator &op);
    /// The record's fields (without seq, prev, kind, time, which the log adds).
    QJsonObject toJson() const;
};

/// What the append's answer was: the `outcome` record, written and fsync'd after the answer.
struct AuditOutcome
{
    enum class Result {
        Appended,        ///< written now
        AlreadyAppended, ///< an idempotent retry matched the event already stored
        Conflict,        ///< wrong expected version: someone appended meanwhile
        Error,           ///< refused: deleted stream, access denied, too big, …
        Unknown,         ///< no answer (connection lost, deadline): whether it landed is not known
    };
    Result result = Result::Unknown;
    std::optional<quint64> revision;       ///< Appended, AlreadyAppended: the event's revision
    std::optional<Position> position;      ///< Appended, AlreadyAppended, when the server gave one
    std::optional<quint64> actualRevision; ///< Conflict: the stream's revision; empty = no stream
    QString errorKind;                     ///< Error, Unknown: ClientError::kindName()
    QString message;

    static AuditOutcome appended(quint64 revision, std::optional<Position> position);
    static AuditOutcome alreadyAppended(quint64 revision, std::optional<Position> position);
    static AuditOutcome conflict(std::optional<quint64> actualRevision, const QString &message = {});
    static AuditOutcome error(const ClientError &error);
    static AuditOutcome unknown(const QString &message, const QString &errorKind = QStringLiteral("unavailable"));

    /// "appended", "already-appended", "conflict", "error", "unknown".
    static QString resultName(Result result);
    static std::optional<Result> resultFromName(const QString &name);
    /// The record's fields; `attemptSeq` names the attempt record this answers.
    QJsonObject toJson(qint64 attemptSeq, const AuditAttempt &attempt) const;
};

} // namespace chronoscope
