#include "client/ProjectionsClient.h"

#include "client/ProjectionReplies.h"

#include "cluster/NodeConnection.h"
#include "wire/GrpcChannel.h"

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
    m_connection = NodeConnection::open(settings, &m_error); // m_error is built after m_connection
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

template<typename Resp, typename Req, typename Method>
ProjectionCallResult ProjectionsClient::command(const Req &req, Method method, const Credentials &credentials) const
{
    return run<ProjectionCallResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        Resp resp;
        return ProjectionCallResult{unary(ch, credentials, req, &resp, method)};
    });
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
    return command<ppb::CreateResp>(req, &ppb::Projections::Stub::Create, credentials);
}

ProjectionCallResult ProjectionsClient::createTransient(const QString &name, const QString &query,
                                                        const Credentials &credentials) const
{
    ppb::CreateReq req;
    req.mutable_options()->set_query(utf8(query));
    req.mutable_options()->mutable_transient()->set_name(utf8(name));
    return command<ppb::CreateResp>(req, &ppb::Projections::Stub::Create, credentials);
}

ProjectionCallResult ProjectionsClient::createOneTime(const QString &query, const Credentials &credentials) const
{
    ppb::CreateReq req;
    req.mutable_options()->set_query(utf8(query));
    req.mutable_options()->mutable_one_time();
    return command<ppb::CreateResp>(req, &ppb::Projections::Stub::Create, credentials);
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
    return command<ppb::UpdateResp>(req, &ppb::Projections::Stub::Update, credentials);
}

ProjectionCallResult ProjectionsClient::remove(const QString &name, bool emitted, bool state, bool checkpoint,
                                               const Credentials &credentials) const
{
    ppb::DeleteReq req;
    req.mutable_options()->set_name(utf8(name));
    req.mutable_options()->set_delete_emitted_streams(emitted);
    req.mutable_options()->set_delete_state_stream(state);
    req.mutable_options()->set_delete_checkpoint_stream(checkpoint);
    return command<ppb::DeleteResp>(req, &ppb::Projections::Stub::Delete, credentials);
}

ProjectionCallResult ProjectionsClient::enable(const QString &name, const Credentials &credentials) const
{
    ppb::EnableReq req;
    req.mutable_options()->set_name(utf8(name));
    return command<ppb::EnableResp>(req, &ppb::Projections::Stub::Enable, credentials);
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
    return command<ppb::DisableResp>(req, &ppb::Projections::Stub::Disable, credentials);
}

ProjectionCallResult ProjectionsClient::abort(const QString &name, const Credentials &credentials) const
{
    const ppb::DisableReq req = disableReq(name, false);
    return command<ppb::DisableResp>(req, &ppb::Projections::Stub::Disable, credentials);
}

ProjectionCallResult ProjectionsClient::reset(const QString &name, const Credentials &credentials) const
{
    ppb::ResetReq req;
    req.mutable_options()->set_name(utf8(name)); // write_checkpoint false, as the official clients send it
    return command<ppb::ResetResp>(req, &ppb::Projections::Stub::Reset, credentials);
}

namespace {

/// Why a Statistics call is refused after `replies` replies and `bytes` bytes, or none. `name` is the
/// projection asked for by name (one reply expected), empty for a list.
std::optional<ClientError> tooMuch(const QString &name, int replies, qint64 bytes)
{
    if (!name.isEmpty() && replies > 1)
        return ClientError::protocol(QStringLiteral("the server sent more than one statistics reply for projection "
                                                    "'%1' (a server sends one per projection): refused")
                                         .arg(name));
    if (replies > ProjectionsClient::kMaxProjections)
        return ClientError::protocol(QStringLiteral("the server sent statistics for more than %1 projections (a "
                                                    "server sends one reply per projection and none manages that "
                                                    "many): refused")
                                         .arg(ProjectionsClient::kMaxProjections));
    if (bytes > ProjectionsClient::kMaxStatisticsBytes)
        return ClientError::protocol(QStringLiteral("the server's projection statistics passed %1 MiB after %2 "
                                                    "replies (a projection's are a few hundred bytes): refused")
                                         .arg(ProjectionsClient::kMaxStatisticsBytes >> 20)
                                         .arg(replies));
    return std::nullopt;
}

ProjectionListResult statistics(const std::shared_ptr<GrpcChannel> &channel, const ppb::StatisticsReq &req,
                                const ProjectionsClient::Credentials &credentials, const QString &name = {})
{
    ProjectionListResult result;
    grpc::ClientContext ctx;
    channel->prepare(ctx, GrpcChannel::CallKind::Unary, true, credentials);
    auto stub = ppb::Projections::NewStub(channel->channel());
    auto reader = stub->Statistics(&ctx, req);
    ppb::StatisticsResp resp;
    std::optional<ClientError> refused;
    qint64 bytes = 0;
    while (reader->Read(&resp)) {
        bytes += qint64(resp.ByteSizeLong());
        refused = tooMuch(name, int(result.projections.size()) + 1, bytes);
        if (refused) {
            ctx.TryCancel();
            break;
        }
        result.projections.append(projectionDetailsFrom(resp.details()));
    }
    const grpc::Status status = reader->Finish();
    if (refused || !status.ok())
        return ProjectionListResult{refused ? *refused : errorOf(status, ctx), {}};
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
        ProjectionListResult list = statistics(ch, req, credentials, name);
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

namespace {

/// State and Result: the same request shape, the answer's Value as JSON.
template<typename Req, typename Resp, typename Method, typename Field>
ProjectionValueResult valueCall(const std::shared_ptr<GrpcChannel> &channel, const QString &name,
                                const QString &partition, const ProjectionsClient::Credentials &credentials,
                                Method method, Field field)
{
    Req req;
    req.mutable_options()->set_name(utf8(name));
    req.mutable_options()->set_partition(utf8(partition));
    Resp resp;
    const ClientError error = unary(channel, credentials, req, &resp, method);
    return error ? ProjectionValueResult{error, {}} : projectionValueFrom((resp.*field)(), name);
}

} // namespace

ProjectionValueResult ProjectionsClient::state(const QString &name, const QString &partition,
                                               const Credentials &credentials) const
{
    return run<ProjectionValueResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        return valueCall<ppb::StateReq, ppb::StateResp>(ch, name, partition, credentials,
                                                        &ppb::Projections::Stub::State, &ppb::StateResp::state);
    });
}

ProjectionValueResult ProjectionsClient::result(const QString &name, const QString &partition,
                                                const Credentials &credentials) const
{
    return run<ProjectionValueResult>([&](const std::shared_ptr<GrpcChannel> &ch) {
        return valueCall<ppb::ResultReq, ppb::ResultResp>(ch, name, partition, credentials,
                                                          &ppb::Projections::Stub::Result, &ppb::ResultResp::result);
    });
}

} // namespace chronoscope
