#include "ServerFeaturesService.h"

#include "PersistentSubscriptionsService.h"
#include "ProjectionsService.h"

#include <string>

namespace chronoscope::sandbox {

grpc::Status ServerFeaturesService::GetSupportedMethods(grpc::ServerContext *context, const event_store::client::Empty *,
                                                        event_store::client::server_features::SupportedMethods *response)
{
    grpc::Status failure;
    if (m_access && !m_access->authenticate(*context, &failure))
        return failure;
    struct Entry { const char *service; const char *method; std::vector<const char *> features; };
    std::vector<Entry> entries = {
        {"event_store.client.streams.streams", "read", {"position", "events"}},
        {"event_store.client.streams.streams", "append", {}},
        {"event_store.client.streams.streams", "batchappend", {"deadline_duration"}},
        {"event_store.client.streams.streams", "delete", {}},
        {"event_store.client.streams.streams", "tombstone", {}},
        {"event_store.client.server_features.serverfeatures", "getsupportedmethods", {}},
    };
    // ServerFeatures.cs adds "stream" and "all" to every PersistentSubscriptions method.
    for (const char *method : PersistentSubscriptionsService::implementedMethods())
        entries.push_back(
            {"event_store.client.persistent_subscriptions.persistentsubscriptions", method, {"stream", "all"}});
    if (m_projections)
        for (const char *method : ProjectionsService::implementedMethods())
            // The server advertises Create's track_emitted_streams option: the Node client otherwise
            // falls back to HTTP for it (protocol sheet §6).
            entries.push_back({"event_store.client.projections.projections", method,
                               std::string(method) == "create" ? std::vector<const char *>{"track_emitted_streams"}
                                                               : std::vector<const char *>{}});
    for (const Entry &e : entries) {
        auto *m = response->add_methods();
        m->set_service_name(e.service);
        m->set_method_name(e.method);
        for (const char *f : e.features)
            m->add_features(f);
    }
    response->set_event_store_server_version(kServerVersion);
    return grpc::Status::OK;
}

} // namespace chronoscope::sandbox
