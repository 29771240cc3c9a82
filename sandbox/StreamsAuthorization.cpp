// The authorization checks of the Streams service (and, in a cluster, the leader check), kept out
// of StreamsService.cpp so the read path stays as it is: each RPC calls one of these first and
// returns what it says when not OK.
#include "StreamsService.h"

namespace chronoscope::sandbox {

namespace spb = event_store::client::streams;

namespace {

// In a cluster, a follower refuses calls that ask for the leader (the real server checks this
// once the call is authorized).
grpc::Status leaderCheck(const ClusterState *cluster, grpc::ServerContextBase *context, int node)
{
    return cluster ? cluster->checkLeader(context, node) : grpc::Status::OK;
}

} // namespace

grpc::Status StreamsService::authorizeRead(grpc::ServerContextBase *context, const spb::ReadReq &request) const
{
    if (!m_access)
        return leaderCheck(m_cluster, context, m_node);
    const auto &o = request.options();
    // `$all` is authorized as the system stream of that name (its ACL lives in `$$$all`).
    const std::string stream = o.stream_option_case() == spb::ReadReq::Options::kStream
        ? o.stream().stream_identifier().stream_name()
        : std::string("$all");
    const grpc::Status status = m_access->authorize(context, StreamAccess::Read, stream);
    return status.ok() ? leaderCheck(m_cluster, context, m_node) : status;
}

grpc::Status StreamsService::authorizeWrite(grpc::ServerContextBase *context, const std::string &stream) const
{
    const grpc::Status status = m_access ? m_access->authorize(context, StreamAccess::Write, stream) : grpc::Status::OK;
    return status.ok() ? leaderCheck(m_cluster, context, m_node) : status;
}

grpc::Status StreamsService::authorizeDelete(grpc::ServerContextBase *context, const std::string &stream) const
{
    const grpc::Status status = m_access ? m_access->authorize(context, StreamAccess::Delete, stream) : grpc::Status::OK;
    return status.ok() ? leaderCheck(m_cluster, context, m_node) : status;
}

} // namespace chronoscope::sandbox
