#pragma once

#include "EventStore.h"

#include "projections.grpc.pb.h"

namespace chronoscope::sandbox {

/// The Projections service for the five system projections: Statistics, Enable, Disable, State
/// and Result as the real server answers them; user projections (Create, Update, Delete, Reset,
/// RestartSubsystem) answer UNIMPLEMENTED. Unknown names get NOT_FOUND without an `exception`
/// trailer, as on the server (protocol sheet §6, §10.1).
class ProjectionsService final : public event_store::client::projections::Projections::Service
{
public:
    explicit ProjectionsService(EventStore &store) : m_store(store) {}

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
    grpc::Status setRunning(const std::string &name, bool running);
    bool known(const std::string &name) const;

    EventStore &m_store;
};

} // namespace chronoscope::sandbox
