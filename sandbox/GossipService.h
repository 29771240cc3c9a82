#pragma once

#include "AccessControl.h"
#include "ClusterState.h"

#include "gossip.grpc.pb.h"

namespace chronoscope::sandbox {

/// Gossip.Read as a client sees it: every member with its instance id, state, liveness and the
/// endpoint it serves clients on (protocol sheet §8.1). Open to anonymous callers, as on the real
/// server, whose OverrideAnonymousEndpointAccessForGossip is on by default (the official clients
/// gossip without call credentials); in secure mode wrong credentials are still UNAUTHENTICATED,
/// since the server authenticates every request before any service runs.
class GossipService final : public event_store::client::gossip::Gossip::Service
{
public:
    explicit GossipService(const ClusterState &cluster) : m_cluster(cluster) {}
    /// Secure mode: check the credentials a call carries (none: every call is served).
    void setAccessControl(const AccessControl *access) { m_access = access; }

    grpc::Status Read(grpc::ServerContext *context, const event_store::client::Empty *request,
                      event_store::client::gossip::ClusterInfo *response) override;

private:
    const ClusterState &m_cluster;
    const AccessControl *m_access = nullptr;
};

} // namespace chronoscope::sandbox
