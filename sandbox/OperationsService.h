#pragma once

#include "AccessControl.h"
#include "ClusterState.h"

#include "operations.grpc.pb.h"

namespace chronoscope::sandbox {

/// The node-administration calls the sandbox acts on: ResignNode (the leader steps down and
/// another node is elected) and Shutdown (this node stops serving, as the real server stops its
/// process). SetNodePriority is accepted and has no effect. The others answer UNIMPLEMENTED.
/// With access control only `$admins` and `$ops` may call them, as on the real server.
class OperationsService final : public event_store::client::operations::Operations::Service
{
public:
    OperationsService(ClusterState &cluster, int node) : m_cluster(cluster), m_node(node) {}
    void setAccessControl(const AccessControl *access) { m_access = access; }

    grpc::Status ResignNode(grpc::ServerContext *context, const event_store::client::Empty *request,
                            event_store::client::Empty *response) override;
    grpc::Status Shutdown(grpc::ServerContext *context, const event_store::client::Empty *request,
                          event_store::client::Empty *response) override;
    grpc::Status SetNodePriority(grpc::ServerContext *context,
                                 const event_store::client::operations::SetNodePriorityReq *request,
                                 event_store::client::Empty *response) override;

private:
    grpc::Status authorize(grpc::ServerContext *context) const;

    ClusterState &m_cluster;
    const int m_node;
    const AccessControl *m_access = nullptr;
};

} // namespace chronoscope::sandbox
