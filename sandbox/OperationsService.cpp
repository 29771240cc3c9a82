#include "OperationsService.h"

namespace chronoscope::sandbox {

namespace pb = event_store::client;

grpc::Status OperationsService::authorize(grpc::ServerContext *context) const
{
    if (!m_access)
        return grpc::Status::OK;
    grpc::Status failure;
    const std::optional<Principal> who = m_access->authenticate(*context, &failure);
    if (!who)
        return failure;
    if (who->isAdmin() || who->hasRole("$ops"))
        return grpc::Status::OK;
    return AccessControl::accessDenied(context);
}

grpc::Status OperationsService::ResignNode(grpc::ServerContext *context, const pb::Empty *, pb::Empty *)
{
    if (grpc::Status denied = authorize(context); !denied.ok())
        return denied;
    // As on the real server, a node that does not lead ignores the request.
    m_cluster.resign(m_node);
    return grpc::Status::OK;
}

grpc::Status OperationsService::Shutdown(grpc::ServerContext *context, const pb::Empty *, pb::Empty *)
{
    if (grpc::Status denied = authorize(context); !denied.ok())
        return denied;
    // The server stops on another thread; calls under way (this one among them) get 100 ms.
    m_cluster.kill(m_node, std::chrono::milliseconds(100));
    return grpc::Status::OK;
}

grpc::Status OperationsService::SetNodePriority(grpc::ServerContext *context,
                                                const pb::operations::SetNodePriorityReq *, pb::Empty *)
{
    return authorize(context);
}

} // namespace chronoscope::sandbox
