#pragma once

#include "AccessControl.h"
#include "EventStore.h"

#include "streams.grpc.pb.h"

namespace chronoscope::sandbox {

/// The Streams service as the real server answers it: reads (stream and `$all`, filters, links),
/// Append with expected states, Delete and Tombstone, with errors in trailers or bodies exactly
/// where the real server puts them (protocol sheet §4, §10).
class StreamsService final : public event_store::client::streams::Streams::Service
{
public:
    explicit StreamsService(EventStore &store) : m_store(store) {}
    /// Checks credentials and stream ACLs; without one (the default, as with --insecure) every call
    /// runs as the system account.
    void setAccessControl(const AccessControl *access) { m_access = access; }

    grpc::Status Read(grpc::ServerContext *context, const event_store::client::streams::ReadReq *request,
                      grpc::ServerWriter<event_store::client::streams::ReadResp> *writer) override;
    grpc::Status Append(grpc::ServerContext *context,
                        grpc::ServerReader<event_store::client::streams::AppendReq> *reader,
                        event_store::client::streams::AppendResp *response) override;
    grpc::Status Delete(grpc::ServerContext *context, const event_store::client::streams::DeleteReq *request,
                        event_store::client::streams::DeleteResp *response) override;
    grpc::Status Tombstone(grpc::ServerContext *context, const event_store::client::streams::TombstoneReq *request,
                           event_store::client::streams::TombstoneResp *response) override;

private:
    grpc::Status readStream(grpc::ServerContext *context, const event_store::client::streams::ReadReq::Options &o,
                            grpc::ServerWriter<event_store::client::streams::ReadResp> *writer);
    grpc::Status readAll(grpc::ServerContext *context, const event_store::client::streams::ReadReq::Options &o,
                         grpc::ServerWriter<event_store::client::streams::ReadResp> *writer);

    // Authorization, one small check per RPC (StreamsAuthorization.cpp): OK or the status to return.
    grpc::Status authorizeRead(grpc::ServerContext *context, const event_store::client::streams::ReadReq &request) const;
    grpc::Status authorizeWrite(grpc::ServerContext *context, const std::string &stream) const;
    grpc::Status authorizeDelete(grpc::ServerContext *context, const std::string &stream) const;

    EventStore &m_store;
    const AccessControl *m_access = nullptr;
};

} // namespace chronoscope::sandbox
