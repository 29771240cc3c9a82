#include "GossipService.h"

#include "wire/ProtoConvert.h"

namespace chronoscope::sandbox {

namespace gpb = event_store::client::gossip;

grpc::Status GossipService::Read(grpc::ServerContext *context, const event_store::client::Empty *,
                                 gpb::ClusterInfo *response)
{
    grpc::Status failure;
    if (m_access && !m_access->authenticate(*context, &failure))
        return failure; // anonymous passes; only wrong credentials fail
    for (const ClusterMember &m : m_cluster.members()) {
        gpb::MemberInfo *info = response->add_members();
        proto::setUuid(info->mutable_instance_id(), m.instanceId, true); // the server sends the structured form
        info->set_time_stamp(m.timeStampTicks);
        info->set_state(gpb::MemberInfo::VNodeState(m.state));
        info->set_is_alive(m.alive);
        info->mutable_http_end_point()->set_address(m.host);
        info->mutable_http_end_point()->set_port(uint32_t(m.port));
    }
    return grpc::Status::OK;
}

} // namespace chronoscope::sandbox
