#include "ProjectionsService.h"

#include "SystemProjections.h"
#include "UserProjections.h"
#include "wire/ProtoValue.h"

#include <vector>

namespace chronoscope::sandbox {

namespace ppb = event_store::client::projections;

namespace {

grpc::Status notFound(const std::string &name)
{
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "Projection '" + name + "' not found");
}

/// A checkpoint tag as the server prints a position-based one.
std::string tagOf(const ProjectionStatus &s)
{
    const std::string p = s.lastPosition ? std::to_string(*s.lastPosition) : std::string("-1");
    return "C:" + p + "/P:" + p;
}

void fillDetails(ppb::StatisticsResp::Details *d, const ProjectionStatus &s)
{
    d->set_coreprocessingtime(0);
    d->set_version(1);
    d->set_epoch(-1);
    d->set_effectivename(s.name);
    d->set_writesinprogress(0);
    d->set_readsinprogress(0);
    d->set_partitionscached(1);
    d->set_status(s.running ? "Running" : "Stopped");
    d->set_statereason("");
    d->set_name(s.name);
    d->set_mode("Continuous"); // the server creates the system projections as continuous ones
    d->set_position(tagOf(s));
    d->set_progress(s.logSize ? float(100.0 * double(s.checkpoint) / double(s.logSize)) : 100.0f);
    d->set_lastcheckpoint(tagOf(s));
    d->set_eventsprocessedafterrestart(qint64(s.eventsProcessed));
    d->set_checkpointstatus("");
    d->set_bufferedevents(0);
    d->set_writependingeventsbeforecheckpoint(0);
    d->set_writependingeventsaftercheckpoint(0);
}

} // namespace

std::vector<const char *> ProjectionsService::implementedMethods()
{
    return {"create", "update", "delete", "statistics", "enable", "disable", "reset", "state", "result"};
}

grpc::Status ProjectionsService::authorize(grpc::ServerContext *context, std::optional<Principal> *who) const
{
    if (!m_access)
        return grpc::Status::OK;
    grpc::Status failure;
    std::optional<Principal> principal = m_access->authenticate(*context, &failure);
    if (!principal)
        return failure;
    // The default policy requires an authenticated user for every projection operation.
    if (principal->anonymous)
        return AccessControl::accessDenied(context);
    if (who)
        *who = std::move(principal);
    return grpc::Status::OK;
}

grpc::Status ProjectionsService::mayChange(const Principal &who)
{
    // The policy lets any authenticated user through; the projection manager then refuses a change
    // to a continuous projection unless the caller is in $admins or $ops (its RunAs check). Its
    // NotAuthorized reply is not one the gRPC layer expects, so the call ends as UNKNOWN.
    if (who.isAdmin() || who.hasRole("$ops"))
        return grpc::Status::OK;
    return grpc::Status(grpc::StatusCode::UNKNOWN, "Envelope callback expected Updated, received NotAuthorized instead");
}

void ProjectionsService::settle() const
{
    // The real server processes asynchronously; the sandbox answers once its runner has caught up, so
    // what a client reads after a write or a management call does not depend on timing (the system
    // projections' links are written in the commit of their events for the same reason).
    if (const UserProjections *user = m_store.userProjections())
        user->waitIdle(kSettleMs);
}

bool ProjectionsService::known(const std::string &name) const
{
    const UserProjections *user = m_store.userProjections();
    return SystemProjections::find(name) >= 0 || (user && user->exists(name));
}

grpc::Status ProjectionsService::Statistics(grpc::ServerContext *context, const ppb::StatisticsReq *request,
                                            grpc::ServerWriter<ppb::StatisticsResp> *writer)
{
    if (grpc::Status denied = authorize(context); !denied.ok())
        return denied;
    settle();
    using O = ppb::StatisticsReq::Options;
    const O &o = request->options();
    switch (o.mode_case()) {
    case O::kName:
        if (!known(o.name()))
            return notFound(o.name());
        break;
    case O::kAll:
    case O::kContinuous:
    case O::kTransient:
    case O::kOneTime: break;
    default:
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "A statistics mode is required.");
    }
    // The system projections first, in the order the server creates them, then the user ones by name.
    std::vector<std::pair<std::string, ppb::StatisticsResp>> out;
    if (o.mode_case() != O::kTransient && o.mode_case() != O::kOneTime) // the system ones are continuous
        for (const ProjectionStatus &s : m_store.projectionStatuses())
            fillDetails(out.emplace_back(s.name, ppb::StatisticsResp()).second.mutable_details(), s);
    if (const UserProjections *user = m_store.userProjections())
        for (const UserProjectionStats &s : user->statistics()) {
            const bool wanted = o.mode_case() == O::kAll || o.mode_case() == O::kName
                || (o.mode_case() == O::kContinuous && s.mode == "Continuous")
                || (o.mode_case() == O::kOneTime && s.mode == "OneTime")
                || (o.mode_case() == O::kTransient && s.mode == "Transient");
            if (wanted)
                fillUserDetails(out.emplace_back(s.name, ppb::StatisticsResp()).second.mutable_details(), s);
        }
    for (const auto &[name, resp] : out) {
        if (o.mode_case() == O::kName && name != o.name())
            continue;
        if (!writer->Write(resp))
            break;
    }
    return grpc::Status::OK;
}

grpc::Status ProjectionsService::setRunning(grpc::ServerContext *context, const std::string &name, bool running,
                                            bool checkpoint)
{
    std::optional<Principal> who;
    if (grpc::Status denied = authorize(context, &who); !denied.ok())
        return denied;
    // The manager looks the projection up before it checks who asks.
    if (!known(name))
        return notFound(name);
    if (who)
        if (grpc::Status refused = mayChange(*who); !refused.ok())
            return refused;
    if (UserProjections *user = m_store.userProjections(); user && SystemProjections::find(name) < 0) {
        const UserProjectionReply r = running ? user->enable(name) : user->disable(name, checkpoint);
        settle();
        return r.ok() ? grpc::Status::OK : notFound(name);
    }
    WriteError error;
    if (!m_store.setProjectionRunning(name, running, &error))
        return notFound(name);
    if (error)
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, error.message);
    return grpc::Status::OK;
}

grpc::Status ProjectionsService::Enable(grpc::ServerContext *context, const ppb::EnableReq *request, ppb::EnableResp *)
{
    return setRunning(context, request->options().name(), true, true);
}

grpc::Status ProjectionsService::Disable(grpc::ServerContext *context, const ppb::DisableReq *request, ppb::DisableResp *)
{
    // System projections: write_checkpoint (disable) and no checkpoint (abort) both stop it; the links
    // written so far stay, and the next Enable resumes after the last event processed. A user one
    // aborted drops what it processed since its last checkpoint.
    return setRunning(context, request->options().name(), false, request->options().write_checkpoint());
}

grpc::Status ProjectionsService::State(grpc::ServerContext *context, const ppb::StateReq *request, ppb::StateResp *response)
{
    if (grpc::Status denied = authorize(context); !denied.ok())
        return denied;
    if (!known(request->options().name()))
        return notFound(request->options().name());
    settle();
    QJsonValue state(QJsonValue::Undefined); // the system projections keep no state
    if (const UserProjections *user = m_store.userProjections())
        user->state(request->options().name(), request->options().partition(), &state);
    wire::toProtoValue(state, response->mutable_state());
    return grpc::Status::OK;
}

grpc::Status ProjectionsService::Result(grpc::ServerContext *context, const ppb::ResultReq *request, ppb::ResultResp *response)
{
    // Authorized as State: both read what a projection computed.
    if (grpc::Status denied = authorize(context); !denied.ok())
        return denied;
    if (!known(request->options().name()))
        return notFound(request->options().name());
    settle();
    QJsonValue result(QJsonValue::Undefined);
    if (const UserProjections *user = m_store.userProjections())
        user->result(request->options().name(), request->options().partition(), &result);
    wire::toProtoValue(result, response->mutable_result());
    return grpc::Status::OK;
}

} // namespace chronoscope::sandbox
