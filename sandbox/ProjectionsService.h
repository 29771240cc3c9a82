#pragma once

#include "AccessControl.h"
#include "EventStore.h"
#include "UserProjections.h"

#include "projections.grpc.pb.h"

namespace chronoscope::sandbox {

/// The Projections service: the five system projections (Statistics, Enable, Disable, State, Result)
/// and user projections (Create, Update, Delete, Enable, Disable, Reset, Statistics, State, Result;
/// EventStore::userProjections(), run by the core's JsReducer) as the real server answers them
/// (docs/PROJECTIONS.md). RestartSubsystem answers UNIMPLEMENTED. Unknown names get NOT_FOUND
/// without an `exception` trailer, as on the server (protocol sheet §6, §10.1).
///
/// In secure mode it authorizes as the real server's default policy does: wrong credentials are
/// UNAUTHENTICATED, anonymous callers get access-denied on every method (RequireAuthenticated),
/// and only `$admins` and `$ops` may enable or disable a projection (mayChange()).
class ProjectionsService final : public event_store::client::projections::Projections::Service
{
public:
    explicit ProjectionsService(EventStore &store) : m_store(store) {}
    /// Secure mode (none: every call runs as the system account, as with --insecure).
    void setAccessControl(const AccessControl *access) { m_access = access; }

    /// Whether `who`, authenticated, may change (enable, disable) a continuous projection: OK, or
    /// the status the real server answers with.
    static grpc::Status mayChange(const Principal &who);

    grpc::Status Create(grpc::ServerContext *context, const event_store::client::projections::CreateReq *request,
                        event_store::client::projections::CreateResp *response) override;
    grpc::Status Update(grpc::ServerContext *context, const event_store::client::projections::UpdateReq *request,
                        event_store::client::projections::UpdateResp *response) override;
    grpc::Status Delete(grpc::ServerContext *context, const event_store::client::projections::DeleteReq *request,
                        event_store::client::projections::DeleteResp *response) override;
    grpc::Status Reset(grpc::ServerContext *context, const event_store::client::projections::ResetReq *request,
                       event_store::client::projections::ResetResp *response) override;
    grpc::Status Statistics(grpc::ServerContext *context, const event_store::client::projections::StatisticsReq *request,
                            grpc::ServerWriter<event_store::client::projections::StatisticsResp> *writer) override;
    grpc::Status Enable(grpc::ServerContext *context, const event_store::client::projections::EnableReq *request,
                        event_store::client::projections::EnableResp *response) override;
    grpc::Status Disable(grpc::ServerContext *context, const event_store::client::projections::DisableReq *request,
                         event_store::client::projections::DisableResp *response) override;
    grpc::Status State(grpc::ServerContext *context, const event_store::client::projections::StateReq *request,
                       event_store::client::projections::StateResp *response) override;
    grpc::Status Result(grpc::ServerContext *context, const event_store::client::projections::ResultReq *request,
                        event_store::client::projections::ResultResp *response) override;

    /// Lower-case method names for GetSupportedMethods.
    static std::vector<const char *> implementedMethods();

private:
    /// OK for an authenticated caller (`who` set) or when nothing is checked (`who` left empty).
    grpc::Status authorize(grpc::ServerContext *context, std::optional<Principal> *who = nullptr) const;
    grpc::Status setRunning(grpc::ServerContext *context, const std::string &name, bool running, bool checkpoint);
    bool known(const std::string &name) const;
    /// Waits (at most kSettleMs) until the user projections have processed the log as it is now.
    void settle() const;
    static constexpr int kSettleMs = 2000;
    /// A user projection's statistics as the stream of Statistics answers.
    static void fillUserDetails(event_store::client::projections::StatisticsResp::Details *d,
                                const UserProjectionStats &s);
    /// Authorizes a change to a user projection: OK, or the status to answer.
    grpc::Status authorizeChange(grpc::ServerContext *context);

    EventStore &m_store;
    const AccessControl *m_access = nullptr;
};

} // namespace chronoscope::sandbox
