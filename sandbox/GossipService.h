#pragma once

#include "ClusterState.h"

#include "gossip.grpc.pb.h"

namespace chronoscope::sandbox {

/// Gossip.Read as a client sees it: every member with its instance id, state, liveness and the
/// endpoint it serves clients on (protocol sheet §8.1). Open to anonymous callers: the official
/// clients gossip without call credentials.
class GossipService final : public event_store::client::gossip::Gossip::Service
{
public:
    explicit GossipService(const ClusterState &cluster) : m_cluster(cluster) {}

    grpc::Status Read(grpc::ServerContext *context, const event_store::client::Empty *request,
                      event_store::client::gossip::ClusterInfo *response) override;

private:
    const ClusterState &m_cluster;
};

} // namespace chronoscope::sandbox
