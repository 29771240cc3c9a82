#pragma once

#include "client/PersistentSubscriptionTypes.h"
#include "correct/AuditEntry.h"
#include "model/ClientError.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace chronoscope {

class AuditLog;
class PersistentSubscriptionsClient;
class StreamsClient;
class WriteGuard;

/// A change to a persistent subscription group: what the server does next changes, so it is a
/// write like a corrective append (F9, issue 18).
struct SubscriptionOperation
{
    enum class Kind { Create, Update, Delete, ReplayParked };
    Kind kind = Kind::ReplayParked;
    PersistentGroup group;
    PersistentSubscriptionSettings settings; ///< Create, Update
    /// ReplayParked: how many of the parked messages still waiting, oldest first; none = all.
    std::optional<qint64> replayCount;
    /// ReplayParked: the parked event number to stop before, as the server's `stop_at` takes it (the
    /// numbers `chronoscope-cli subscriptions parked` shows); instead of `replayCount`.
    std::optional<qint64> stopAt;

    static SubscriptionOperation replay(const PersistentGroup &group, std::optional<qint64> count = std::nullopt);
    static SubscriptionOperation replayBefore(const PersistentGroup &group, qint64 stopAt);
    /// "create", "update", "delete", "replay-parked" (the audit record's `operation`).
    static QString kindName(Kind kind);
};

/// How a subscription operation ended.
struct SubscriptionWriteOutcome
{
    enum class Kind {
        Done,           ///< the server did it
        RefusedByGuard, ///< write mode locked, read-only profile, production name not typed: no call
        AuditFailed,    ///< the audit log could not be written: no call
        Failed,         ///< the server (or the connection) said no: `error`
        Unknown,        ///< no answer (deadline, connection lost): whether it happened is not known
    };
    Kind kind = Kind::Failed;
    ClientError error;
    QString message;              ///< one sentence for the user
    qint64 attemptSeq = 0;        ///< the audit log's attempt record; 0 when no call was made
    std::optional<qint64> stopAt; ///< ReplayParked with a count or a stop: the parked event number sent as stop_at
    qint64 parkedBefore = -1;     ///< ReplayParked: the group's parked count before the call (-1: not asked)
    bool ok() const { return kind == Kind::Done; }
    /// "done", "refused-by-guard", "audit-failed", "failed", "unknown".
    static QString kindName(Kind kind);
};

/// The audited write of a persistent subscription operation, for the window and the CLI alike:
/// guard → audit `subscription-attempt` (fsync'd; no call without it) → the call → audit
/// `subscription-outcome` (with `attemptSeq`), as Corrector does for appends. The records carry
/// `operation`, `stream` (the group's stream, `$all` for a group on `$all`), `group`, the unlock
/// `reason`, the operator, and the settings (create, update) or the replay's count, `stopAt` and
/// `parkedBefore` (the group's parked count, read before the attempt: what the replay sends again; a
/// group that cannot be read is not replayed and nothing is recorded). Each record is fsync'd before
/// the next step (AuditLog::append).
///
/// Replaying "up to a count": the server's `stop_at` is an event number in the parked stream, not a
/// count, so the count is added to the parked stream's `$tb` (what earlier replays already took).
///
/// Blocking: call from a worker (or the CLI).
class SubscriptionWriter
{
public:
    /// None owned; all must outlive the writer. `streams` is needed only to replay a count.
    SubscriptionWriter(const PersistentSubscriptionsClient *client, const StreamsClient *streams,
                       const AuditLog *auditLog, const WriteGuard *guard, AuditOperator op);

    /// `typedProfileName`: for a production profile, the name the user typed for this write.
    SubscriptionWriteOutcome run(const SubscriptionOperation &operation, const QString &typedProfileName = {}) const;

    /// The attempt record's fields (without the operator), for a confirmation to show what is recorded.
    static QJsonObject describe(const SubscriptionOperation &operation);

private:
    ClientError call(const SubscriptionOperation &operation, std::optional<qint64> stopAt) const;

    const PersistentSubscriptionsClient *m_client;
    const StreamsClient *m_streams;
    const AuditLog *m_auditLog;
    const WriteGuard *m_guard;
    AuditOperator m_operator;
};

} // namespace chronoscope
