// The Projections calls only user projections have (Create, Update, Delete, Reset) and their statistics.
#include "ProjectionsService.h"

#include "SystemProjections.h"

namespace chronoscope::sandbox {

namespace ppb = event_store::client::projections;

namespace {

/// The gRPC status the server's handler ends with for a manager reply (docs/PROJECTIONS.md).
grpc::Status statusOf(const UserProjectionReply &r)
{
    using Code = UserProjectionReply::Code;
    switch (r.code) {
    case Code::Ok: return grpc::Status::OK;
    case Code::NotFound: return grpc::Status(grpc::StatusCode::NOT_FOUND, r.message);
    case Code::Conflict:
        // ProjectionManagement.Create.cs takes any reply but Updated as unknown.
        return grpc::Status(grpc::StatusCode::UNKNOWN, "Envelope callback expected Updated, received Conflict instead");
    case Code::Invalid: return grpc::Status(grpc::StatusCode::UNKNOWN, r.message);
    case Code::NotStopped: return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, r.message);
    case Code::Storage: break;
    }
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, r.message);
}

} // namespace

grpc::Status ProjectionsService::authorizeChange(grpc::ServerContext *context)
{
    std::optional<Principal> who;
    if (grpc::Status denied = authorize(context, &who); !denied.ok())
        return denied;
    if (!m_store.userProjections())
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "The projection subsystem is not running");
    if (who)
        return mayChange(*who);
    return grpc::Status::OK;
}

void ProjectionsService::fillUserDetails(ppb::StatisticsResp::Details *d, const UserProjectionStats &s)
{
    d->set_coreprocessingtime(0);
    d->set_version(s.version);
    d->set_epoch(s.epoch);
    d->set_effectivename(s.name);
    d->set_writesinprogress(0);
    d->set_readsinprogress(0);
    d->set_partitionscached(s.partitionsCached);
    d->set_status(s.status);
    d->set_statereason(s.stateReason);
    d->set_name(s.name);
    d->set_mode(s.mode);
    d->set_position(s.position);
    d->set_progress(s.progress);
    d->set_lastcheckpoint(s.lastCheckpoint);
    d->set_eventsprocessedafterrestart(s.eventsProcessedAfterRestart);
    d->set_checkpointstatus(s.checkpointStatus);
    d->set_bufferedevents(s.bufferedEvents);
    d->set_writependingeventsbeforecheckpoint(0);
    d->set_writependingeventsaftercheckpoint(0);
}

grpc::Status ProjectionsService::Create(grpc::ServerContext *context, const ppb::CreateReq *request, ppb::CreateResp *)
{
    if (grpc::Status denied = authorizeChange(context); !denied.ok())
        return denied;
    using O = ppb::CreateReq::Options;
    const O &o = request->options();
    UserProjectionDefinition def;
    def.query = o.query();
    switch (o.mode_case()) {
    case O::kContinuous:
        def.name = o.continuous().name();
        def.emitEnabled = o.continuous().emit_enabled();
        def.trackEmittedStreams = o.continuous().track_emitted_streams();
        break;
    case O::kTransient:
        def.name = o.transient().name();
        def.mode = UserProjectionMode::Transient;
        break;
    case O::kOneTime: def.mode = UserProjectionMode::OneTime; break;
    default:
        return grpc::Status(grpc::StatusCode::UNKNOWN,
                            "Exception was thrown by handler."); // no mode: the server throws
    }
    if (SystemProjections::find(def.name) >= 0)
        return statusOf({UserProjectionReply::Code::Conflict, {}});
    const UserProjectionReply r = m_store.userProjections()->create(std::move(def), nullptr);
    settle();
    return statusOf(r);
}

grpc::Status ProjectionsService::Update(grpc::ServerContext *context, const ppb::UpdateReq *request, ppb::UpdateResp *)
{
    if (grpc::Status denied = authorizeChange(context); !denied.ok())
        return denied;
    const auto &o = request->options();
    std::optional<bool> emit;
    if (o.emit_option_case() == ppb::UpdateReq::Options::kEmitEnabled)
        emit = o.emit_enabled();
    const UserProjectionReply r = m_store.userProjections()->update(o.name(), o.query(), emit);
    settle();
    return statusOf(r);
}

grpc::Status ProjectionsService::Delete(grpc::ServerContext *context, const ppb::DeleteReq *request, ppb::DeleteResp *)
{
    if (grpc::Status denied = authorizeChange(context); !denied.ok())
        return denied;
    const auto &o = request->options();
    return statusOf(m_store.userProjections()->remove(o.name(), o.delete_emitted_streams(), o.delete_state_stream(),
                                                      o.delete_checkpoint_stream()));
}

grpc::Status ProjectionsService::Reset(grpc::ServerContext *context, const ppb::ResetReq *request, ppb::ResetResp *)
{
    if (grpc::Status denied = authorizeChange(context); !denied.ok())
        return denied;
    const auto &o = request->options();
    const UserProjectionReply r = m_store.userProjections()->reset(o.name(), o.write_checkpoint());
    settle();
    return statusOf(r);
}

} // namespace chronoscope::sandbox
