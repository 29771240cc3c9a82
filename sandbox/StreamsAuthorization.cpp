// The authorization checks of the Streams service, kept out of StreamsService.cpp so the read
// path stays as it is: each RPC calls one of these first and returns what it says when not OK.
#include "StreamsService.h"

namespace chronoscope::sandbox {

namespace spb = event_store::client::streams;

grpc::Status StreamsService::authorizeRead(grpc::ServerContextBase *context, const spb::ReadReq &request) const
{
    if (!m_access)
        return grpc::Status::OK;
    const auto &o = request.options();
    // `$all` is authorized as the system stream of that name (its ACL lives in `$$$all`).
    const std::string stream = o.stream_option_case() == spb::ReadReq::Options::kStream
        ? o.stream().stream_identifier().stream_name()
        : std::string("$all");
    return m_access->authorize(context, StreamAccess::Read, stream);
}

grpc::Status StreamsService::authorizeWrite(grpc::ServerContextBase *context, const std::string &stream) const
{
    return m_access ? m_access->authorize(context, StreamAccess::Write, stream) : grpc::Status::OK;
}

grpc::Status StreamsService::authorizeDelete(grpc::ServerContextBase *context, const std::string &stream) const
{
    return m_access ? m_access->authorize(context, StreamAccess::Delete, stream) : grpc::Status::OK;
}

} // namespace chronoscope::sandbox
