#include "ProjectionSteps.h"

#include "client/ProjectionsClient.h"

#include <QJsonArray>

using chronoscope::ClientError;
using chronoscope::ProjectionDetails;
using chronoscope::ProjectionsClient;

namespace {

QJsonObject details(const ProjectionDetails &d)
{
    const qsizetype slash = d.status.indexOf(QLatin1Char('/'));
    return QJsonObject{
        {QStringLiteral("name"), d.name},
        {QStringLiteral("effectiveName"), d.effectiveName},
        {QStringLiteral("status"), d.status},
        {QStringLiteral("projectionStatus"), d.projectionStatus()},
        {QStringLiteral("processingStatus"),
         slash < 0 ? QString() : d.status.mid(slash + 1).section(QLatin1Char('/'), 0, 0)},
        {QStringLiteral("stateReason"), d.stateReason},
        {QStringLiteral("position"), d.position},
        {QStringLiteral("progress"), double(d.progress)},
        {QStringLiteral("lastCheckpoint"), d.lastCheckpoint},
        {QStringLiteral("checkpointStatus"), d.checkpointStatus},
        {QStringLiteral("writesInProgress"), d.writesInProgress},
        {QStringLiteral("readsInProgress"), d.readsInProgress},
        {QStringLiteral("partitionsCached"), d.partitionsCached},
        {QStringLiteral("writePendingEventsBeforeCheckpoint"), d.writePendingEventsBeforeCheckpoint},
        {QStringLiteral("writePendingEventsAfterCheckpoint"), d.writePendingEventsAfterCheckpoint},
        {QStringLiteral("coreProcessingTime"), QString::number(d.coreProcessingTime)},
        {QStringLiteral("version"), QString::number(d.version)},
        {QStringLiteral("epoch"), QString::number(d.epoch)},
        {QStringLiteral("eventsProcessedAfterRestart"), QString::number(d.eventsProcessedAfterRestart)},
        {QStringLiteral("bufferedEvents"), QString::number(d.bufferedEvents)},
    };
}

/// The clients' error vocabulary (sheet §10.2: a status without an `exception` trailer maps by code).
/// A duplicate name is our AlreadyExists; the official clients see the server's UNKNOWN as it is.
QJsonObject error(const ClientError &e)
{
    QString kind = QStringLiteral("unknown");
    switch (e.kind) {
    case ClientError::Kind::NotFound: kind = QStringLiteral("not-found"); break;
    case ClientError::Kind::Unavailable: kind = QStringLiteral("unavailable"); break;
    case ClientError::Kind::AccessDenied: kind = QStringLiteral("access-denied"); break;
    default: break;
    }
    QJsonObject out{{QStringLiteral("kind"), kind}};
    if (kind == QLatin1String("unknown"))
        out.insert(QStringLiteral("message"), e.message);
    return QJsonObject{{QStringLiteral("error"), out}};
}

QJsonObject done(const ClientError &e)
{
    return e ? error(e) : QJsonObject{{QStringLiteral("ok"), true}};
}

QString queryOf(const QJsonObject &step)
{
    const QJsonValue q = step.value(QStringLiteral("query"));
    if (!q.isArray())
        return q.toString();
    QStringList lines;
    for (const QJsonValue &l : q.toArray())
        lines << l.toString();
    return lines.join(QLatin1Char('\n'));
}

} // namespace

std::optional<QJsonObject> runProjectionStep(const chronoscope::ConnectionSettings &settings, const QJsonObject &step,
                                             const std::optional<chronoscope::UserCredentials> &credentials)
{
    const QString op = step.value(QStringLiteral("op")).toString();
    static const QStringList ops = {QStringLiteral("listProjections"),  QStringLiteral("projectionStatus"),
                                    QStringLiteral("enableProjection"), QStringLiteral("disableProjection"),
                                    QStringLiteral("abortProjection"),  QStringLiteral("resetProjection"),
                                    QStringLiteral("createProjection"), QStringLiteral("updateProjection"),
                                    QStringLiteral("deleteProjection"), QStringLiteral("projectionState"),
                                    QStringLiteral("projectionResult")};
    if (!ops.contains(op))
        return std::nullopt;
    const ProjectionsClient client(settings);
    if (client.error())
        return QJsonObject{{QStringLiteral("error"),
                            QJsonObject{{QStringLiteral("kind"), QStringLiteral("driver-exception")},
                                        {QStringLiteral("message"), client.error().toString()}}}};
    const QString name = step.value(QStringLiteral("name")).toString();
    auto flag = [&](const char *key) { return step.value(QLatin1String(key)).toBool(); };
    if (op == QLatin1String("listProjections")) {
        const auto r = client.list(ProjectionsClient::Mode::Continuous, credentials); // as the clients list
        if (r.error)
            return error(r.error);
        QJsonArray all;
        for (const ProjectionDetails &d : r.projections)
            all.append(details(d));
        return QJsonObject{{QStringLiteral("projections"), all}};
    }
    if (op == QLatin1String("projectionStatus")) {
        const auto r = client.status(name, credentials);
        if (r.error)
            return error(r.error);
        return QJsonObject{{QStringLiteral("projection"), details(r.details)}};
    }
    if (op == QLatin1String("projectionState") || op == QLatin1String("projectionResult")) {
        const QString partition = step.value(QStringLiteral("partition")).toString();
        const auto r = op == QLatin1String("projectionState") ? client.state(name, partition, credentials)
                                                              : client.result(name, partition, credentials);
        if (r.error)
            return error(r.error);
        return QJsonObject{{QStringLiteral("value"), r.value}};
    }
    if (op == QLatin1String("enableProjection"))
        return done(client.enable(name, credentials).error);
    if (op == QLatin1String("disableProjection"))
        return done(client.disable(name, credentials).error);
    if (op == QLatin1String("abortProjection"))
        return done(client.abort(name, credentials).error);
    if (op == QLatin1String("resetProjection"))
        return done(client.reset(name, credentials).error);
    if (op == QLatin1String("createProjection"))
        return done(
            client.createContinuous(name, queryOf(step), flag("emitEnabled"), flag("trackEmittedStreams"), credentials)
                .error);
    if (op == QLatin1String("updateProjection")) {
        const QJsonValue emit = step.value(QStringLiteral("emitEnabled"));
        return done(client
                        .update(name, queryOf(step), emit.isBool() ? std::optional<bool>(emit.toBool()) : std::nullopt,
                                credentials)
                        .error);
    }
    return done(client
                    .remove(name, flag("deleteEmittedStreams"), flag("deleteStateStream"),
                            flag("deleteCheckpointStream"), credentials)
                    .error);
}
