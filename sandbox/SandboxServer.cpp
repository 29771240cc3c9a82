#include "SandboxServer.h"

#include "ProjectionsService.h"
#include "ServerFeaturesService.h"
#include "StreamsService.h"

#include <grpcpp/grpcpp.h>

namespace chronoscope::sandbox {

SandboxServer::SandboxServer() = default;

SandboxServer::~SandboxServer()
{
    shutdown();
}

int SandboxServer::start(const QString &address, QString *error)
{
    m_streams = std::make_unique<StreamsService>(m_store);
    m_features = std::make_unique<ServerFeaturesService>(m_store.projectionsAvailable());
    // As on the server, the Projections service exists only while the projection subsystem runs.
    if (m_store.projectionsAvailable())
        m_projections = std::make_unique<ProjectionsService>(m_store);
    grpc::ServerBuilder builder;
    builder.AddListeningPort(address.toStdString(), grpc::InsecureServerCredentials(), &m_port);
    builder.RegisterService(m_streams.get());
    builder.RegisterService(m_features.get());
    if (m_projections)
        builder.RegisterService(m_projections.get());
    builder.SetMaxReceiveMessageSize(17 * 1024 * 1024);
    builder.SetMaxSendMessageSize(17 * 1024 * 1024);
    m_server = builder.BuildAndStart();
    if (!m_server || m_port == 0) {
        if (error)
            *error = QStringLiteral("cannot listen on %1 (address in use or not local?)").arg(address);
        m_server.reset();
        return 0;
    }
    return m_port;
}

void SandboxServer::shutdown()
{
    if (m_server) {
        m_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
        m_server->Wait();
        m_server.reset();
    }
}

} // namespace chronoscope::sandbox
