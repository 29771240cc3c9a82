#pragma once

#include "client/PersistentSubscriptionTypes.h"
#include "correct/AuditEntry.h"

#include <QString>

#include <optional>

namespace chronoscope {

class AuditLog;
class PersistentSubscriptionsClient;
class WriteGuard;

/// What a replay of parked messages came to.
struct ParkedReplayOutcome
{
    enum class Kind {
        Replayed,       ///< the server took the request: the messages go to the consumers again
        RefusedByGuard, ///< writes locked, a read-only profile, the production name not typed
        NotLogged,      ///< the audit log could not record the attempt, so nothing was asked
        Failed,         ///< the server refused or could not be reached (`error`)
    };
    Kind kind = Kind::Failed;
    QString message;
    ClientError error;
    qint64 parkedBefore = -1; ///< the group's parked count before the replay (-1: unknown)
    qint64 auditSeq = 0;      ///< the audit record of the attempt (0: none)

    bool ok() const { return kind == Kind::Replayed; }
    /// "replayed", "refused-by-guard", "not-logged", "failed".
    static QString kindName(Kind kind);
};

/// Replays a group's parked messages as a corrective action (issue 18): asked of the write guard like an
/// append (unlocked with a reason; a production profile's name typed), recorded in the audit log before the
/// call (`replay-parked`, fsync'd; no call when that fails) and after the answer (`replay-parked-outcome`).
/// The window and chronoscope-cli both go through here.
class ParkedReplay
{
public:
    ParkedReplay(const PersistentSubscriptionsClient *client, const AuditLog *auditLog, const WriteGuard *guard,
                 AuditOperator op);

    /// `stopAt`: the parked event number to stop before (none: all of them), as ReplayParked takes it.
    ParkedReplayOutcome replay(const PersistentGroup &group, std::optional<qint64> stopAt,
                               const QString &typedProfileName = {}) const;

private:
    const PersistentSubscriptionsClient *m_client;
    const AuditLog *m_auditLog;
    const WriteGuard *m_guard;
    AuditOperator m_op;
};

} // namespace chronoscope
