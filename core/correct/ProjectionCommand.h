#pragma once

#include "client/ProjectionsClient.h"
#include "correct/AuditEntry.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace chronoscope {

class AuditLog;
class WriteGuard;

/// One change to a server projection (issue 13, item 3): what the pane asks, the confirmation shows and
/// the audit log records.
struct ProjectionCommand
{
    enum class Action { Create, Update, Enable, Disable, Abort, Reset, Delete };
    Action action = Action::Enable;
    QString name;  ///< Create of a one-time projection: empty (the server names it)
    QString query; ///< Create, Update
    ProjectionsClient::Mode mode = ProjectionsClient::Mode::Continuous; ///< Create
    bool emitEnabled = false;                                           ///< Create, Update
    bool trackEmittedStreams = false;                                   ///< Create (continuous)
    bool deleteEmittedStreams = false, deleteStateStream = false, deleteCheckpointStream = false; ///< Delete

    /// "create", "update", "enable", "disable", "abort", "reset", "delete".
    static QString actionName(Action action);
    /// What it does, in a sentence for the confirmation ("Reset 'orders': …").
    QString describe() const;
    /// The audit record's fields for this command (the query with its SHA-256).
    QJsonObject toJson() const;
};

/// What came of a command.
struct ProjectionCommandOutcome
{
    enum class Result {
        Done,    ///< the server did it
        Refused, ///< not sent: writes are locked, the profile is read-only, or the audit log cannot be written
        Failed,  ///< the server refused or did not answer (`error`)
    };
    Result result = Result::Refused;
    ClientError error;
    QString message;     ///< in words
    qint64 auditSeq = 0; ///< the `projection-attempt` record; 0 when none was written
    QString auditError;  ///< the outcome record could not be written (the change was made)
    bool ok() const { return result == Result::Done; }
};

/// Projection management through the write guard and the audit log, exactly as corrective appends go
/// (core/correct/Corrector): the guard decides, a `projection-attempt` record is written and synced
/// before the call (no record, no call), a `projection-outcome` record after the answer. Blocking: run it
/// in a worker; give it a guard that no other thread changes meanwhile (snapshotOf()).
class ProjectionManager
{
public:
    ProjectionManager(std::shared_ptr<const ProjectionsClient> client, const AuditLog *auditLog, AuditOperator op);

    /// `typedProfileName`: what the user typed for a production profile.
    ProjectionCommandOutcome run(const ProjectionCommand &command, const WriteGuard &guard,
                                 const QString &typedProfileName = {}) const;

    /// A copy of `guard` (its profile and unlock reason) for a worker.
    static std::shared_ptr<const WriteGuard> snapshotOf(const WriteGuard &guard);

private:
    ProjectionCallResult call(const ProjectionCommand &command) const;

    std::shared_ptr<const ProjectionsClient> m_client;
    const AuditLog *m_auditLog;
    AuditOperator m_operator;
};

} // namespace chronoscope
