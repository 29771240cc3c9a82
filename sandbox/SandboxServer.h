#pragma once

#include "EventStore.h"

#include <QString>

#include <memory>

namespace grpc {
class Server;
}

namespace chronoscope::sandbox {

class StreamsService;
class ServerFeaturesService;
class ProjectionsService;

/// The sandbox server: an EventStore behind the EventStoreDB gRPC services. Used by
/// `chronoscope-sandbox`, by tests and by the app's `--demo`.
class SandboxServer
{
public:
    SandboxServer();
    ~SandboxServer();

    EventStore &store() { return m_store; }

    /// Listens on `address` ("127.0.0.1:0" picks a free port), h2c only for now.
    /// Returns the bound port, or 0 with `error` set.
    int start(const QString &address, QString *error);
    void shutdown();
    int port() const { return m_port; }

private:
    EventStore m_store;
    std::unique_ptr<StreamsService> m_streams;
    std::unique_ptr<ServerFeaturesService> m_features;
    std::unique_ptr<ProjectionsService> m_projections;
    std::unique_ptr<grpc::Server> m_server;
    int m_port = 0;
};

} // namespace chronoscope::sandbox
