#pragma once

#include "base/Cancellation.h"
#include "connection/ConnectionSettings.h"
#include "correct/AuditEntry.h"
#include "correct/DraftValidation.h"
#include "correct/EventDraft.h"
#include "model/ClientError.h"
#include "model/Reducer.h"
#include "model/Types.h"

#include <QJsonValue>
#include <QStringList>

#include <memory>
#include <optional>

namespace chronoscope {

class AuditLog;
class CorrectionTarget;
class StreamsClient;
class WriteGuard;

/// A draft folded onto the head, before the user confirms (F9 "dry run").
struct DryRun
{
    DraftValidation validation;
    QJsonValue before;   ///< the head's state
    QJsonValue after;    ///< the state with the draft applied
    QStringList diff;    ///< the change as lines ("~ /orders/o-1/refunded: 0 → 2500"); empty when none or no reducer
    QByteArray dataSent; ///< the data bytes that would be appended
    QByteArray metadataSent; ///< the metadata bytes that would be appended (automatic fields included)
    ExpectedState expected;  ///< what the append would be pinned to
    bool canAppend() const { return !validation.hasErrors(); }
};

/// How an append ended, in the words the user sees (F9).
struct AppendOutcome
{
    enum class Kind {
        Appended,            ///< written now: revision, position
        AlreadyAppended,     ///< the event was already in the stream (an earlier attempt landed)
        Conflict,            ///< someone appended meanwhile: newEvents; the target caught up
        RefusedByGuard,      ///< write mode locked, read-only profile, profile name not typed
        RefusedByValidation, ///< the draft has errors: validation
        NotPinned,           ///< the draft has no exact expected revision (never `any`)
        StreamDeleted,       ///< deleted or tombstoned stream
        AccessDenied,
        TooBig,           ///< the event is over the server's size limit
        DeadlineExceeded, ///< no answer in time: whether it landed is unknown until readBack()
        ConnectionLost,   ///< the connection went: whether it landed is unknown until readBack()
        NotAppended,      ///< readBack(): the event is not in the stream and nothing else arrived: safe to retry
        AuditFailed,      ///< the audit log could not be written, so the call was not made
        Error,            ///< anything else the server or the client said
    };
    Kind kind = Kind::Error;
    std::optional<quint64> revision;       ///< Appended / AlreadyAppended: the event's revision
    std::optional<Position> position;      ///< Appended / AlreadyAppended, when known
    std::optional<quint64> actualRevision; ///< Conflict: the stream's head now (none: no stream)
    QList<RecordedEvent> newEvents;        ///< Conflict: the events appended since the pinned revision
    DraftValidation validation;            ///< RefusedByValidation (and the validation the append ran)
    ClientError error;                     ///< the client's error, when one came back
    QString message;                       ///< one plain sentence for the user
    qint64 attemptSeq = 0;                 ///< the audit log's attempt record; 0 when no call was made

    /// "Appended", "Already appended", "Conflict", … .
    QString title() const;
    static QString kindName(Kind kind); ///< "appended", "already-appended", "conflict", "refused-by-guard", …
    /// True when whether the event landed is not known (readBack() tells).
    bool isUncertain() const { return kind == Kind::DeadlineExceeded || kind == Kind::ConnectionLost; }
    bool isSuccess() const { return kind == Kind::Appended || kind == Kind::AlreadyAppended; }
    /// The CLI's exit code: 0 appended or already appended, 3 refused by validation or conflict, 1 otherwise.
    int exitCode() const;
    /// Everything above as JSON (the CLI's --json).
    QJsonObject toJson() const;
};

struct AppendOptions
{
    QString typedProfileName; ///< production profiles: the name the user typed for this append
    CancellationPtr cancel;
    std::optional<UserCredentials> credentials; ///< none = the connection's
};

/// The one write path of Chronoscope (F9), shared by the window and `chronoscope-cli append`:
/// validates a draft against its target's head, previews it, and appends it pinned to the revision
/// the user inspected with the draft's fixed event id, through the write guard and the audit log.
///
/// Order of an append: guard → pinned? → validation (errors refuse) → audit `attempt` (fsync'd; no
/// call without it) → the call → audit `outcome`. A conflict catches the target up and reports the
/// new events; it is never retried here. A lost answer (deadline, connection) is reported as such:
/// readBack() then reads the stream to learn whether the event landed before the user retries.
///
/// Automatic metadata (custom metadata may not set these keys): `$correlationId` (the corrected
/// event's, else the event's own id), `$causationId` (the corrected event's id, when there is one),
/// `reason`, `operator` ({osUser, connectionUser, host}), `tool`, `toolVersion`, `draftId`, and
/// `auditAnchor` (the SHA-256 of the audit log's last record before the attempt).
///
/// Blocking: call from a worker (or the CLI). Validation and dry runs do not touch the network.
class Corrector
{
public:
    /// The largest event (data + metadata bytes) a server takes by default (its MaxAppendSize,
    /// 1 MiB): a bigger draft is refused before any call.
    static constexpr qint64 kMaxEventBytes = 1024 * 1024;

    /// None of these is owned; all must outlive the Corrector. `client` may be null for validation
    /// and dry runs only.
    Corrector(const StreamsClient *client, const AuditLog *auditLog, const WriteGuard *guard, AuditOperator op);

    /// The draft's fields (each at its field; pinned to the target's head) → JSON syntax of data and
    /// custom metadata (line and column) → size (kMaxEventBytes) → metadata keys set automatically →
    /// schema (reducer file's, or inferred) → invariants on the head with the draft applied (a trial
    /// fold: the head is left as it was). A stage whose input is broken stops the later ones.
    DraftValidation validate(const EventDraft &draft, CorrectionTarget &target) const;
    /// validate() plus the states before and after and their difference.
    DryRun dryRun(const EventDraft &draft, CorrectionTarget &target) const;

    /// The event as it would be appended (data and automatic metadata), for the dry run and the audit.
    /// `auditAnchor` empty: the field is left out.
    QByteArray metadataFor(const EventDraft &draft, const QString &reason, const QByteArray &auditAnchor = {}) const;

    AppendOutcome append(const EventDraft &draft, CorrectionTarget &target, const AppendOptions &options = {}) const;
    /// After an uncertain outcome: reads the stream after the pinned revision and answers
    /// AlreadyAppended (with its revision) when the draft's event id is there, NotAppended when
    /// the stream is still at the pinned revision (safe to retry with the same id), Conflict when
    /// other events arrived instead. Records what it learned in the audit log.
    AppendOutcome readBack(const EventDraft &draft, CorrectionTarget &target, const AppendOptions &options = {}) const;

    const AuditOperator &auditOperator() const { return m_operator; }

private:
    /// validate(), filling `dry` (may be null) with the bytes and the states on the way.
    /// `changes` (may be null) receives the places the draft changed when the fold was a trial
    /// (see CorrectionTarget::Applied); `incremental` whether it was.
    DraftValidation run(const EventDraft &draft, CorrectionTarget &target, DryRun *dry,
                        QList<engine::StateChange> *changes = nullptr, bool *incremental = nullptr) const;
    /// The reason that goes into the metadata: the write guard's (given when unlocking), else the draft's.
    QString reasonFor(const EventDraft &draft) const;
    /// The part of append() after the guard and the validation: audit, call, outcome.
    AppendOutcome callAndRecord(const EventDraft &draft, CorrectionTarget &target, const AppendOptions &options,
                                const QString &reason) const;

    struct Attempted;

    const StreamsClient *m_client;
    const AuditLog *m_auditLog;
    const WriteGuard *m_guard;
    AuditOperator m_operator;
    /// Event ids this Corrector has made a call for: a later success of the same id may be the
    /// server answering a retry from the stored event (told apart by the stored event's time).
    std::shared_ptr<Attempted> m_attempted;
};

} // namespace chronoscope
