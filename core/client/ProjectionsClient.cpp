#include "client/ProjectionsClient.h"

#include "cluster/NodeConnection.h"
#include "wire/GrpcChannel.h"
#include "wire/ProtoValue.h"

#include "projections.grpc.pb.h"

#include <grpcpp/grpcpp.h>

namespace chronoscope {

namespace ppb = event_store::client::projections;

namespace {

/// The typed error; a duplicate name reaches the client as UNKNOWN "… received Conflict instead"
/// (ProjectionManagement.Create.cs), which the official .NET client also reads as "already exists".
ClientError errorOf(const grpc::Status &status, const grpc::ClientContext &context)
{
    ClientError e = GrpcChannel::toError(status, context);
    if (status.error_code() == grpc::StatusCode::UNKNOWN
        && status.error_message().find("Conflict") != std::string::npos)
        e.kind = ClientError::Kind::AlreadyExists;
    return e;
}

std::string utf8(const QString &s)
{
    return s.toStdString();
}

QString text(const std::string &s)
{
    return QString::fromStdString(s);
}

ProjectionDetails detailsOf(const ppb::StatisticsResp::Details &d)
{
    ProjectionDetails p;
    p.name = text(d.name());
    p.effectiveName = text(d.effectivename());
    p.mode = text(d.mode());
    p.status = text(d.status());
    p.stateReason = text(d.statereason());
    p.position = text(d.position());
    p.lastCheckpoint = text(d.lastcheckpoint());
    p.checkpointStatus = text(d.checkpointstatus());
    p.progress = d.progress();
    p.eventsProcessedAfterRestart = d.eventsprocessedafterrestart();
    p.partitionsCached = d.partitionscached();
    p.version = d.version();
    p.epoch = d.epoch();
    p.coreProcessingTime = d.coreprocessingtime();
    p.bufferedEvents = d.bufferedevents();
    p.writesInProgress = d.writesinprogress();
    p.readsInProgress = d.readsinprogress();
    p.writePendingEventsBeforeCheckpoint = d.writependingeventsbeforecheckpoint();
    p.writePendingEventsAfterCheckpoint = d.writependingeventsaftercheckpoint();
    return p;
}

/// One unary call: a context prepared as every call is (headers, deadline, credentials).
template<typename Req, typename Resp, typename Method>
ClientError unary(const std::shared_ptr<GrpcChannel> &channel, const ProjectionsClient::Credentials &credentials,
                  const Req &req, Resp *resp, Method method)
{
    grpc::ClientContext ctx;
    channel->prepare(ctx, GrpcChannel::CallKind::Unary, true, credentials);
    auto stub = ppb::Projections::NewStub(channel->channel());
    const grpc::Status status = ((*stub).*method)(&ctx, req, resp);
    return status.ok() ? ClientError() : errorOf(status, ctx);
}

} // namespace

ProjectionsClient::ProjectionsClient(const ConnectionSettings &settings)
{
    if (settings.hosts.isEmpty()) {
        m_error = ClientError::protocol(QStringLiteral("no host to connect to"));
        m_error.kind = ClientError::Kind::InvalidArgument;
        return;
    }
    if (GrpcChannel::create(settings, settings.hosts.first(), &m_error))
        m_connection = std::make_shared<NodeConnection>(settings);
}

ProjectionsClient::~ProjectionsClient() = default;

template<typename Result, typename Call>
Result ProjectionsClient::run(Call call) const
{
    if (!m_connection) {
        Result r;
        r.error = m_error.isError() ? m_error : ClientError::protocol(QStringLiteral("no connection"));
        return r;
    }
    return m_connection->run<Result>(call);
}

ProjectionCallResult ProjectionsClient::createContinuous(const QString &name, const QString &query, bool emit,
                                                         bool track, const Credentials &credentials) const
{
    ppb::CreateReq req;
    req.mutable_options()->set_query(utf8(query));
    auto *c = req.mutable_options()->mutable_continuous();
    c->set_name(utf8(name));
    c->set_emit_enabled(emit);
    c->set_track_emitted_streams(track);
    return run<ProjectionCallResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        ppb::CreateResp resp;
        return ProjectionCallResult{unary(ch, credentials, req, &resp, &ppb::Projections::Stub::Create)};
    });
}

ProjectionCallResult ProjectionsClient::createTransient(const QString &name, const QString &query,
                                                        const Credentials &credentials) const
{
    ppb::CreateReq req;
    req.mutable_options()->set_query(utf8(query));
    req.mutable_options()->mutable_transient()->set_name(utf8(name));
    return run<ProjectionCallResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        ppb::CreateResp resp;
        return ProjectionCallResult{unary(ch, credentials, req, &resp, &ppb::Projections::Stub::Create)};
    });
}

ProjectionCallResult ProjectionsClient::createOneTime(const QString &query, const Credentials &credentials) const
{
    ppb::CreateReq req;
    req.mutable_options()->set_query(utf8(query));
    req.mutable_options()->mutable_one_time();
    return run<ProjectionCallResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        ppb::CreateResp resp;
        return ProjectionCallResult{unary(ch, credentials, req, &resp, &ppb::Projections::Stub::Create)};
    });
}

ProjectionCallResult ProjectionsClient::update(const QString &name, const QString &query, std::optional<bool> emit,
                                               const Credentials &credentials) const
{
    ppb::UpdateReq req;
    req.mutable_options()->set_name(utf8(name));
    req.mutable_options()->set_query(utf8(query));
    if (emit)
        req.mutable_options()->set_emit_enabled(*emit);
    else
        req.mutable_options()->mutable_no_emit_options();
    return run<ProjectionCallResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        ppb::UpdateResp resp;
        return ProjectionCallResult{unary(ch, credentials, req, &resp, &ppb::Projections::Stub::Update)};
    });
}

ProjectionCallResult ProjectionsClient::remove(const QString &name, bool emitted, bool state, bool checkpoint,
                                               const Credentials &credentials) const
{
    ppb::DeleteReq req;
    req.mutable_options()->set_name(utf8(name));
    req.mutable_options()->set_delete_emitted_streams(emitted);
    req.mutable_options()->set_delete_state_stream(state);
    req.mutable_options()->set_delete_checkpoint_stream(checkpoint);
    return run<ProjectionCallResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        ppb::DeleteResp resp;
        return ProjectionCallResult{unary(ch, credentials, req, &resp, &ppb::Projections::Stub::Delete)};
    });
}

ProjectionCallResult ProjectionsClient::enable(const QString &name, const Credentials &credentials) const
{
    ppb::EnableReq req;
    req.mutable_options()->set_name(utf8(name));
    return run<ProjectionCallResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        ppb::EnableResp resp;
        return ProjectionCallResult{unary(ch, credentials, req, &resp, &ppb::Projections::Stub::Enable)};
    });
}

namespace {

ppb::DisableReq disableReq(const QString &name, bool checkpoint)
{
    ppb::DisableReq req;
    req.mutable_options()->set_name(utf8(name));
    req.mutable_options()->set_write_checkpoint(checkpoint);
    return req;
}

} // namespace

ProjectionCallResult ProjectionsClient::disable(const QString &name, const Credentials &credentials) const
{
    const ppb::DisableReq req = disableReq(name, true);
    return run<ProjectionCallResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        ppb::DisableResp resp;
        return ProjectionCallResult{unary(ch, credentials, req, &resp, &ppb::Projections::Stub::Disable)};
    });
}

ProjectionCallResult ProjectionsClient::abort(const QString &name, const Credentials &credentials) const
{
    const ppb::DisableReq req = disableReq(name, false);
    return run<ProjectionCallResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        ppb::DisableResp resp;
        return ProjectionCallResult{unary(ch, credentials, req, &resp, &ppb::Projections::Stub::Disable)};
    });
}

ProjectionCallResult ProjectionsClient::reset(const QString &name, const Credentials &credentials) const
{
    ppb::ResetReq req;
    req.mutable_options()->set_name(utf8(name)); // write_checkpoint false, as the official clients send it
    return run<ProjectionCallResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        ppb::ResetResp resp;
        return ProjectionCallResult{unary(ch, credentials, req, &resp, &ppb::Projections::Stub::Reset)};
    });
}

namespace {

ProjectionListResult statistics(const std::shared_ptr<GrpcChannel> &channel, const ppb::StatisticsReq &req,
                                const ProjectionsClient::Credentials &credentials)
{
    ProjectionListResult result;
    grpc::ClientContext ctx;
    channel->prepare(ctx, GrpcChannel::CallKind::Unary, true, credentials);
    auto stub = ppb::Projections::NewStub(channel->channel());
    auto reader = stub->Statistics(&ctx, req);
    ppb::StatisticsResp resp;
    while (reader->Read(&resp))
        result.projections.append(detailsOf(resp.details()));
    const grpc::Status status = reader->Finish();
    if (!status.ok()) {
        result.error = errorOf(status, ctx);
        result.projections.clear();
    }
    return result;
}

} // namespace

ProjectionListResult ProjectionsClient::list(Mode mode, const Credentials &credentials) const
{
    ppb::StatisticsReq req;
    auto *o = req.mutable_options();
    switch (mode) {
    case Mode::All: o->mutable_all(); break;
    case Mode::Continuous: o->mutable_continuous(); break;
    case Mode::OneTime: o->mutable_one_time(); break;
    case Mode::Transient: o->mutable_transient(); break;
    }
    return run<ProjectionListResult>(
        [&](const std::shared_ptr<GrpcChannel> &ch) { return statistics(ch, req, credentials); });
}

ProjectionStatusResult ProjectionsClient::status(const QString &name, const Credentials &credentials) const
{
    ppb::StatisticsReq req;
    req.mutable_options()->set_name(utf8(name));
    return run<ProjectionStatusResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        ProjectionListResult list = statistics(ch, req, credentials);
        ProjectionStatusResult r;
        r.error = list.error;
        if (!r.error && list.projections.isEmpty()) {
            r.error.kind = ClientError::Kind::NotFound;
            r.error.message = QStringLiteral("Projection '%1' not found").arg(name);
        } else if (!r.error) {
            r.details = list.projections.constFirst();
        }
        return r;
    });
}

ProjectionValueResult ProjectionsClient::state(const QString &name, const QString &partition,
                                               const Credentials &credentials) const
{
    ppb::StateReq req;
    req.mutable_options()->set_name(utf8(name));
    req.mutable_options()->set_partition(utf8(partition));
    return run<ProjectionValueResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        ppb::StateResp resp;
        ProjectionValueResult r{unary(ch, credentials, req, &resp, &ppb::Projections::Stub::State), {}};
        if (!r.error)
            r.value = wire::fromProtoValue(resp.state());
        return r;
    });
}

ProjectionValueResult ProjectionsClient::result(const QString &name, const QString &partition,
                                                const Credentials &credentials) const
{
    ppb::ResultReq req;
    req.mutable_options()->set_name(utf8(name));
    req.mutable_options()->set_partition(utf8(partition));
    return run<ProjectionValueResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        ppb::ResultResp resp;
        ProjectionValueResult r{unary(ch, credentials, req, &resp, &ppb::Projections::Stub::Result), {}};
        if (!r.error)
            r.value = wire::fromProtoValue(resp.result());
        return r;
    });
}

} // namespace chronoscope
