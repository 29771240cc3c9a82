#include "ProjectionSteps.h"

#include "wire/GrpcChannel.h"

#include "projections.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QJsonArray>

namespace ppb = event_store::client::projections;

namespace {

QString text(const std::string &s) { return QString::fromStdString(s); }
QString number(qint64 n) { return QString::number(n); }

QJsonObject details(const ppb::StatisticsResp::Details &d)
{
    const QString status = text(d.status());
    const qsizetype slash = status.indexOf(QLatin1Char('/'));
    return QJsonObject{
        {QStringLiteral("name"), text(d.name())},
        {QStringLiteral("effectiveName"), text(d.effectivename())},
        {QStringLiteral("status"), status},
        {QStringLiteral("projectionStatus"), slash < 0 ? status : status.left(slash)},
        {QStringLiteral("processingStatus"), slash < 0 ? QString() : status.mid(slash + 1).section(QLatin1Char('/'), 0, 0)},
        {QStringLiteral("stateReason"), text(d.statereason())},
        {QStringLiteral("position"), text(d.position())},
        {QStringLiteral("progress"), double(d.progress())},
        {QStringLiteral("lastCheckpoint"), text(d.lastcheckpoint())},
        {QStringLiteral("checkpointStatus"), text(d.checkpointstatus())},
        {QStringLiteral("writesInProgress"), d.writesinprogress()},
        {QStringLiteral("readsInProgress"), d.readsinprogress()},
        {QStringLiteral("partitionsCached"), d.partitionscached()},
        {QStringLiteral("writePendingEventsBeforeCheckpoint"), d.writependingeventsbeforecheckpoint()},
        {QStringLiteral("writePendingEventsAfterCheckpoint"), d.writependingeventsaftercheckpoint()},
        {QStringLiteral("coreProcessingTime"), number(d.coreprocessingtime())},
        {QStringLiteral("version"), number(d.version())},
        {QStringLiteral("epoch"), number(d.epoch())},
        {QStringLiteral("eventsProcessedAfterRestart"), number(d.eventsprocessedafterrestart())},
        {QStringLiteral("bufferedEvents"), number(d.bufferedevents())},
    };
}

/// The clients' error vocabulary for what these calls can fail with (sheet §10.2: a status
/// without an `exception` trailer maps by code).
QJsonObject error(const grpc::Status &s)
{
    QString kind = QStringLiteral("unknown");
    switch (s.error_code()) {
    case grpc::StatusCode::NOT_FOUND: kind = QStringLiteral("not-found"); break;
    case grpc::StatusCode::UNAVAILABLE: kind = QStringLiteral("unavailable"); break;
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED: kind = QStringLiteral("access-denied"); break;
    default: break;
    }
    QJsonObject e{{QStringLiteral("kind"), kind}};
    if (kind == QLatin1String("unknown"))
        e.insert(QStringLiteral("message"), text(s.error_message()));
    return QJsonObject{{QStringLiteral("error"), e}};
}

} // namespace

std::optional<QJsonObject> runProjectionStep(const chronoscope::ConnectionSettings &settings, const QJsonObject &step,
                                             const std::optional<chronoscope::UserCredentials> &credentials)
{
    const QString op = step.value(QStringLiteral("op")).toString();
    static const QStringList ops = {QStringLiteral("listProjections"), QStringLiteral("projectionStatus"),
                                    QStringLiteral("enableProjection"), QStringLiteral("disableProjection")};
    if (!ops.contains(op))
        return std::nullopt;
    const std::string name = step.value(QStringLiteral("name")).toString().toStdString();
    chronoscope::ClientError channelError;
    const auto channel = chronoscope::GrpcChannel::create(settings, settings.hosts.first(), &channelError);
    if (!channel)
        return QJsonObject{{QStringLiteral("error"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("driver-exception")},
                                                               {QStringLiteral("message"), channelError.toString()}}}};
    const auto stub = ppb::Projections::NewStub(channel->channel());
    grpc::ClientContext context;
    channel->prepare(context, chronoscope::GrpcChannel::CallKind::Unary, false, credentials);
    if (op == QLatin1String("listProjections") || op == QLatin1String("projectionStatus")) {
        ppb::StatisticsReq req;
        if (op == QLatin1String("listProjections"))
            req.mutable_options()->mutable_continuous();
        else
            req.mutable_options()->set_name(name);
        auto reader = stub->Statistics(&context, req);
        QJsonArray all;
        ppb::StatisticsResp resp;
        while (reader->Read(&resp))
            if (resp.has_details())
                all.append(details(resp.details()));
        const grpc::Status status = reader->Finish();
        if (!status.ok())
            return error(status);
        if (op == QLatin1String("listProjections"))
            return QJsonObject{{QStringLiteral("projections"), all}};
        // The clients keep the last details message, undefined (null) when there is none.
        return QJsonObject{{QStringLiteral("projection"), all.isEmpty() ? QJsonValue() : all.last()}};
    }
    if (op == QLatin1String("enableProjection") || op == QLatin1String("disableProjection")) {
        grpc::Status status;
        if (op == QLatin1String("enableProjection")) {
            ppb::EnableReq req;
            req.mutable_options()->set_name(name);
            ppb::EnableResp resp;
            status = stub->Enable(&context, req, &resp);
        } else {
            ppb::DisableReq req;
            req.mutable_options()->set_name(name);
            req.mutable_options()->set_write_checkpoint(true); // what the clients' disableProjection sends
            ppb::DisableResp resp;
            status = stub->Disable(&context, req, &resp);
        }
        if (!status.ok())
            return error(status);
        return QJsonObject{{QStringLiteral("ok"), true}};
    }
    return std::nullopt;
}
