#pragma once

#include "AccessControl.h"
#include "CallStats.h"
#include "ClusterState.h"
#include "PersistentSubscriptions.h"

#include "persistent.grpc.pb.h"

namespace chronoscope::sandbox {

/// The PersistentSubscriptions service (v1) as the real server answers it (gRPC layer:
/// src/KurrentDB.Core/Services/Transport/Grpc/PersistentSubscriptions*.cs; behaviour:
/// docs/PERSISTENT-SUBSCRIPTIONS.md). TruncateParked stays UNIMPLEMENTED, as on 24.10.
class PersistentSubscriptionsService final
    : public event_store::client::persistent_subscriptions::PersistentSubscriptions::Service
{
public:
    explicit PersistentSubscriptionsService(EventStore &store);
    ~PersistentSubscriptionsService() override;

    void setAccessControl(const AccessControl *access) { m_access = access; }
    void setCallStats(CallStats *stats) { m_stats = stats; }
    /// A node of a cluster: calls with `requires-leader` get `not-leader` while it does not lead.
    void setCluster(const ClusterState *cluster, int node)
    {
        m_cluster = cluster;
        m_node = node;
    }
    /// Starts the groups' pump; stop() drops every consumer so the Read calls end.
    void start() { m_subscriptions.start(); }
    void stop() { m_subscriptions.stop(); }
    PersistentSubscriptions &subscriptions() { return m_subscriptions; }

    /// Lower-case method names for GetSupportedMethods.
    static std::vector<const char *> implementedMethods();

    grpc::Status Create(grpc::ServerContext *context,
                        const event_store::client::persistent_subscriptions::CreateReq *request,
                        event_store::client::persistent_subscriptions::CreateResp *response) override;
    grpc::Status Update(grpc::ServerContext *context,
                        const event_store::client::persistent_subscriptions::UpdateReq *request,
                        event_store::client::persistent_subscriptions::UpdateResp *response) override;
    grpc::Status Delete(grpc::ServerContext *context,
                        const event_store::client::persistent_subscriptions::DeleteReq *request,
                        event_store::client::persistent_subscriptions::DeleteResp *response) override;
    grpc::Status
    Read(grpc::ServerContext *context,
         grpc::ServerReaderWriter<event_store::client::persistent_subscriptions::ReadResp,
                                  event_store::client::persistent_subscriptions::ReadReq> *stream) override;
    grpc::Status GetInfo(grpc::ServerContext *context,
                         const event_store::client::persistent_subscriptions::GetInfoReq *request,
                         event_store::client::persistent_subscriptions::GetInfoResp *response) override;
    grpc::Status ReplayParked(grpc::ServerContext *context,
                              const event_store::client::persistent_subscriptions::ReplayParkedReq *request,
                              event_store::client::persistent_subscriptions::ReplayParkedResp *response) override;
    grpc::Status List(grpc::ServerContext *context,
                      const event_store::client::persistent_subscriptions::ListReq *request,
                      event_store::client::persistent_subscriptions::ListResp *response) override;
    grpc::Status RestartSubsystem(grpc::ServerContext *context, const event_store::client::Empty *request,
                                  event_store::client::Empty *response) override;

private:
    /// Credentials checked (secure mode); anonymous callers are refused as by the default policy.
    grpc::Status authorize(grpc::ServerContext *context, const char *method, std::string *user) const;
    grpc::Status answer(grpc::ServerContext *context, PersistentSubscriptions::Result result, const std::string &stream,
                        const std::string &group, const std::string &reason = {}) const;

    PersistentSubscriptions m_subscriptions;
    const AccessControl *m_access = nullptr;
    CallStats *m_stats = nullptr;
    const ClusterState *m_cluster = nullptr;
    int m_node = 0;
};

/// Fills a SubscriptionInfo as the server's GetInfo does (PersistentSubscriptions.Info.cs).
void fillSubscriptionInfo(event_store::client::persistent_subscriptions::SubscriptionInfo *out,
                          const PersistentSubscriptionGroup &g);

} // namespace chronoscope::sandbox
