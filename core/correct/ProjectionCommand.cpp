#include "correct/ProjectionCommand.h"

#include "correct/AuditLog.h"
#include "correct/WriteGuard.h"

#include <QCryptographicHash>

namespace chronoscope {

namespace {

QString modeName(ProjectionsClient::Mode mode)
{
    switch (mode) {
    case ProjectionsClient::Mode::OneTime: return QStringLiteral("OneTime");
    case ProjectionsClient::Mode::Transient: return QStringLiteral("Transient");
    default: return QStringLiteral("Continuous");
    }
}

bool carriesQuery(ProjectionCommand::Action action)
{
    return action == ProjectionCommand::Action::Create || action == ProjectionCommand::Action::Update;
}

} // namespace

QString ProjectionCommand::actionName(Action action)
{
    switch (action) {
    case Action::Create: return QStringLiteral("create");
    case Action::Update: return QStringLiteral("update");
    case Action::Enable: return QStringLiteral("enable");
    case Action::Disable: return QStringLiteral("disable");
    case Action::Abort: return QStringLiteral("abort");
    case Action::Reset: return QStringLiteral("reset");
    case Action::Delete: return QStringLiteral("delete");
    }
    return {};
}

QString ProjectionCommand::describe() const
{
    const QString who = name.isEmpty() ? QStringLiteral("a new one-time projection") : QStringLiteral("'%1'").arg(name);
    switch (action) {
    case Action::Create:
        return QStringLiteral("Create %1 (%2%3): the server starts running it over the whole log.")
            .arg(who, modeName(mode), emitEnabled ? QStringLiteral(", emitting") : QString());
    case Action::Update:
        return QStringLiteral("Update the source of %1: it stops and starts again with the new source, from "
                              "where it is.")
            .arg(who);
    case Action::Enable: return QStringLiteral("Enable %1: it runs on from its last checkpoint.").arg(who);
    case Action::Disable: return QStringLiteral("Disable %1: it writes a checkpoint and stops.").arg(who);
    case Action::Abort:
        return QStringLiteral("Abort %1: it stops without a checkpoint; what it processed since the last one is "
                              "done again when it runs.")
            .arg(who);
    case Action::Reset:
        return QStringLiteral("Reset %1: its state and position are dropped and it starts again from the "
                              "beginning of the log.")
            .arg(who);
    case Action::Delete: {
        QStringList streams;
        if (deleteStateStream)
            streams << QStringLiteral("state");
        if (deleteCheckpointStream)
            streams << QStringLiteral("checkpoint");
        if (deleteEmittedStreams)
            streams << QStringLiteral("emitted");
        return QStringLiteral("Delete %1%2. It must be stopped or faulted first.")
            .arg(who,
                 streams.isEmpty() ? QString()
                                   : QStringLiteral(" and its %1 streams").arg(streams.join(QStringLiteral(", "))));
    }
    }
    return {};
}

QJsonObject ProjectionCommand::toJson() const
{
    QJsonObject o;
    o.insert(QLatin1String("action"), actionName(action));
    o.insert(QLatin1String("projection"), name);
    if (carriesQuery(action)) {
        o.insert(QLatin1String("query"), query);
        o.insert(QLatin1String("querySha256"),
                 QString::fromLatin1(QCryptographicHash::hash(query.toUtf8(), QCryptographicHash::Sha256).toHex()));
        o.insert(QLatin1String("emitEnabled"), emitEnabled);
    }
    if (action == Action::Create) {
        o.insert(QLatin1String("mode"), modeName(mode));
        o.insert(QLatin1String("trackEmittedStreams"), trackEmittedStreams);
    }
    if (action == Action::Delete) {
        o.insert(QLatin1String("deleteEmittedStreams"), deleteEmittedStreams);
        o.insert(QLatin1String("deleteStateStream"), deleteStateStream);
        o.insert(QLatin1String("deleteCheckpointStream"), deleteCheckpointStream);
    }
    return o;
}

ProjectionManager::ProjectionManager(std::shared_ptr<const ProjectionsClient> client, const AuditLog *auditLog,
                                     AuditOperator op)
    : m_client(std::move(client)), m_auditLog(auditLog), m_operator(std::move(op))
{}

std::shared_ptr<const WriteGuard> ProjectionManager::snapshotOf(const WriteGuard &guard)
{
    auto copy = std::make_shared<WriteGuard>(guard.profile());
    if (!guard.readOnlyWhy().isEmpty())
        copy->setArchive(guard.readOnlyWhy());
    else if (guard.isUnlocked())
        copy->unlock(guard.reason());
    return copy;
}

ProjectionCallResult ProjectionManager::call(const ProjectionCommand &c) const
{
    using Action = ProjectionCommand::Action;
    switch (c.action) {
    case Action::Create:
        if (c.mode == ProjectionsClient::Mode::OneTime)
            return m_client->createOneTime(c.query);
        if (c.mode == ProjectionsClient::Mode::Transient)
            return m_client->createTransient(c.name, c.query);
        return m_client->createContinuous(c.name, c.query, c.emitEnabled, c.trackEmittedStreams);
    case Action::Update: return m_client->update(c.name, c.query, c.emitEnabled);
    case Action::Enable: return m_client->enable(c.name);
    case Action::Disable: return m_client->disable(c.name);
    case Action::Abort: return m_client->abort(c.name);
    case Action::Reset: return m_client->reset(c.name);
    case Action::Delete:
        return m_client->remove(c.name, c.deleteEmittedStreams, c.deleteStateStream, c.deleteCheckpointStream);
    }
    return {};
}

ProjectionCommandOutcome ProjectionManager::run(const ProjectionCommand &command, const WriteGuard &guard,
                                                const QString &typedProfileName) const
{
    ProjectionCommandOutcome out;
    if (const QString refusal = guard.authorize(typedProfileName); !refusal.isEmpty()) {
        out.message = refusal;
        return out;
    }
    if (!m_client || !m_auditLog) {
        out.message = QStringLiteral("not connected");
        return out;
    }
    QJsonObject attempt = command.toJson();
    attempt.insert(QLatin1String("reason"), guard.reason());
    m_operator.insertInto(attempt);
    const AuditLog::Written written = m_auditLog->append(QStringLiteral("projection-attempt"), attempt);
    if (!written.ok()) {
        out.message = QStringLiteral("not sent: the audit log cannot be written (%1)").arg(written.error);
        return out;
    }
    out.auditSeq = written.seq;

    const ProjectionCallResult answer = call(command);
    out.error = answer.error;
    out.result = answer.error ? ProjectionCommandOutcome::Result::Failed : ProjectionCommandOutcome::Result::Done;
    out.message = answer.error ? answer.error.toString()
                               : QStringLiteral("%1 %2: done")
                                     .arg(ProjectionCommand::actionName(command.action),
                                          command.name.isEmpty() ? QStringLiteral("(one-time)") : command.name);

    QJsonObject outcome;
    outcome.insert(QLatin1String("attemptSeq"), written.seq);
    outcome.insert(QLatin1String("action"), ProjectionCommand::actionName(command.action));
    outcome.insert(QLatin1String("projection"), command.name);
    outcome.insert(QLatin1String("result"), answer.error ? QStringLiteral("error") : QStringLiteral("done"));
    if (answer.error) {
        outcome.insert(QLatin1String("errorKind"), answer.error.kindName());
        outcome.insert(QLatin1String("message"), answer.error.message);
    }
    const AuditLog::Written recorded = m_auditLog->append(QStringLiteral("projection-outcome"), outcome);
    if (!recorded.ok())
        out.auditError = recorded.error;
    return out;
}

} // namespace chronoscope
