#pragma once

#include "AccessControl.h"

#include "serverfeatures.grpc.pb.h"

namespace chronoscope::sandbox {

/// GetSupportedMethods, lower-cased as the real server sends it (the Rust client compares exact
/// lower-case strings). Lists only what the sandbox implements, so clients pick paths it serves.
class ServerFeaturesService final : public event_store::client::server_features::ServerFeatures::Service
{
public:
    /// `projections`: whether the Projections service is served (the projection subsystem runs).
    explicit ServerFeaturesService(bool projections = false) : m_projections(projections) {}

    grpc::Status GetSupportedMethods(grpc::ServerContext *context, const event_store::client::Empty *request,
                                     event_store::client::server_features::SupportedMethods *response) override;

    static constexpr const char *kServerVersion = "24.10.0";
    /// With access control, wrong credentials are refused here too (anonymous calls are fine).
    void setAccessControl(const AccessControl *access) { m_access = access; }

private:
    const AccessControl *m_access = nullptr;
    bool m_projections;
};

} // namespace chronoscope::sandbox
