#include "SandboxServer.h"

#include "AccessControl.h"
#include "ClusterState.h"
#include "GossipService.h"
#include "OperationsService.h"
#include "PersistentSubscriptionsService.h"
#include "ProjectionsRegistration.h"
#include "ProjectionsService.h"
#include "ServerFeaturesService.h"
#include "StandardUsers.h"
#include "StreamsService.h"

#include "wire/GrpcRuntime.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <grpcpp/grpcpp.h>

namespace chronoscope::sandbox {
namespace {

QString readPem(const QString &path, const char *option, const char *marker, std::string *out)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("--%1: cannot read '%2': %3").arg(QLatin1String(option), path, f.errorString());
    const QByteArray pem = f.readAll();
    if (!pem.contains(marker))
        return QStringLiteral("--%1: '%2' is not a PEM file with a %3")
            .arg(QLatin1String(option), path, QLatin1String(marker).trimmed());
    *out += pem.toStdString();
    return {};
}

} // namespace

void applyServerSettings(grpc::ServerBuilder &builder)
{
    builder.SetMaxReceiveMessageSize(17 * 1024 * 1024);
    builder.SetMaxSendMessageSize(17 * 1024 * 1024);
    // A read writes its replies with the buffer hint, which lets a stream queue up to this many
    // bytes before the transport must write: 1 MiB (not 64 KiB) makes fewer, larger socket writes
    // and completes more writes without a wait (see the read benchmark's commit for figures).
    builder.AddChannelArgument(GRPC_ARG_HTTP2_WRITE_BUFFER_SIZE, 1024 * 1024);
}

SandboxServer::SandboxServer() : m_ownStore(std::make_unique<EventStore>()), m_store(*m_ownStore) {}

SandboxServer::SandboxServer(EventStore &shared) : m_store(shared) {}

void SandboxServer::copySecurityFrom(const SandboxServer &other)
{
    m_secure = other.m_secure;
    m_userCertificates = other.m_userCertificates;
    m_certificate = other.m_certificate;
    m_privateKey = other.m_privateKey;
    m_trustedRoots = other.m_trustedRoots;
}

void SandboxServer::joinCluster(ClusterState *cluster, int node)
{
    m_cluster = cluster;
    m_node = node;
}

SandboxServer::~SandboxServer()
{
    joinCrash();
    shutdown();
}

void SandboxServer::joinCrash()
{
    std::thread crash;
    {
        std::lock_guard lock(m_faultMutex); // a crash assigns it under this lock
        crash = std::move(m_crashThread);
    }
    if (crash.joinable())
        crash.join();
}

void SandboxServer::setFaultPlan(std::shared_ptr<FaultPlan> plan)
{
    std::lock_guard lock(m_faultMutex);
    m_faults = plan;
    if (m_streams)
        m_streams->setFaultPlan(std::move(plan));
}

std::shared_ptr<FaultPlan> SandboxServer::faultPlan() const
{
    std::lock_guard lock(m_faultMutex);
    return m_faults;
}

void SandboxServer::setCrashHandler(std::function<void()> handler)
{
    std::lock_guard lock(m_faultMutex);
    m_crashHandler = std::move(handler);
}

int SandboxServer::stallingAppends() const
{
    std::lock_guard lock(m_faultMutex);
    return m_streams ? m_streams->stallingAppends() : 0;
}

bool SandboxServer::restart(QString *error)
{
    if (!m_ownStore || (m_cluster && m_cluster->size() > 1)) {
        if (error)
            *error = QStringLiteral("the nodes of a cluster share one store: a node cannot restart alone");
        return false;
    }
    joinCrash();
    const QString address = m_address;
    shutdown(std::chrono::milliseconds(0));
    std::string why;
    if (!m_store.restart(&why)) {
        if (error)
            *error = QStringLiteral("the store did not come back: %1").arg(QString::fromStdString(why));
        return false;
    }
    m_crashed = false;
    return start(address, error) > 0;
}

QString SandboxServer::enableSecurity(const TlsFiles &files)
{
    m_certificate.clear();
    m_privateKey.clear();
    m_trustedRoots.clear();
    if (files.certificateFile.isEmpty() || files.privateKeyFile.isEmpty())
        return QStringLiteral("a secure sandbox needs --certificate-file and --certificate-private-key-file "
                              "(or --insecure for plain HTTP/2 without authentication)");
    QString error = readPem(files.certificateFile, "certificate-file", "CERTIFICATE-----", &m_certificate);
    if (error.isEmpty())
        error = readPem(files.privateKeyFile, "certificate-private-key-file", "PRIVATE KEY-----", &m_privateKey);
    if (error.isEmpty() && !files.trustedRootCertificates.isEmpty()) {
        // The real server's option names a folder of CA files; a single file is accepted too.
        const QFileInfo info(files.trustedRootCertificates);
        QStringList paths;
        if (info.isDir()) {
            const QDir dir(files.trustedRootCertificates);
            for (const QString &name : dir.entryList({QStringLiteral("*.crt"), QStringLiteral("*.pem")}, QDir::Files, QDir::Name))
                paths << dir.filePath(name);
            if (paths.isEmpty())
                error = QStringLiteral("--trusted-root-certificates-path: no *.crt or *.pem file in '%1'")
                            .arg(files.trustedRootCertificates);
        } else {
            paths << files.trustedRootCertificates;
        }
        for (const QString &p : paths)
            if (error.isEmpty())
                error = readPem(p, "trusted-root-certificates-path", "CERTIFICATE-----", &m_trustedRoots);
    }
    if (error.isEmpty() && files.userCertificates && m_trustedRoots.empty())
        error = QStringLiteral("--user-certificates needs --trusted-root-certificates-path to verify client certificates");
    m_userCertificates = files.userCertificates;
    m_secure = error.isEmpty();
    return error;
}

int SandboxServer::start(const QString &address, QString *error)
{
    auto streams = std::make_unique<StreamsService>(m_store);
    streams->setCallStats(m_stats.get());
    {
        std::lock_guard lock(m_faultMutex);
        streams->setFaultPlan(m_faults);
        streams->setCrashHandler([this] {
            std::lock_guard guard(m_faultMutex);
            if (m_crashed.exchange(true))
                return; // dying already
            if (m_crashHandler) {
                m_crashHandler();
                return;
            }
            m_crashThread = std::thread([this] {
                // The faulted call is failed by its handler first; then every call is cut.
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                shutdown(std::chrono::milliseconds(0));
            });
        });
        m_streams = std::move(streams);
    }
    m_features = std::make_unique<ServerFeaturesService>(m_store.projectionsAvailable());
    // As on the server, the Projections service exists only while the projection subsystem runs.
    if (m_store.projectionsAvailable())
        m_projections = std::make_unique<ProjectionsService>(m_store);
    m_persistent = std::make_unique<PersistentSubscriptionsService>(m_store);
    m_persistent->setCallStats(m_stats.get());
    tuneGrpcRuntime();
    std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
    if (m_secure) {
        m_access = std::make_unique<AccessControl>(m_store);
        m_access->setUserCertificates(m_userCertificates);
        m_streams->setAccessControl(m_access.get());
        m_features->setAccessControl(m_access.get());
        if (m_projections)
            m_projections->setAccessControl(m_access.get());
        m_persistent->setAccessControl(m_access.get());
        grpc::SslServerCredentialsOptions ssl(m_trustedRoots.empty()
                                                  ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                                  : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
        ssl.pem_root_certs = m_trustedRoots;
        ssl.pem_key_cert_pairs.push_back({m_privateKey, m_certificate});
        credentials = grpc::SslServerCredentials(ssl);
    }
    grpc::ServerBuilder builder;
    builder.AddListeningPort(address.toStdString(), credentials, &m_port);
    builder.RegisterService(m_streams.get());
    builder.RegisterService(m_features.get());
    if (m_projections)
        builder.RegisterService(m_projections.get());
    builder.RegisterService(m_persistent.get());
    if (m_cluster) {
        m_streams->setCluster(m_cluster, m_node);
        m_persistent->setCluster(m_cluster, m_node);
        m_gossip = std::make_unique<GossipService>(*m_cluster);
        m_gossip->setAccessControl(m_access.get());
        m_operations = std::make_unique<OperationsService>(*m_cluster, m_node);
        m_operations->setAccessControl(m_access.get());
        builder.RegisterService(m_gossip.get());
        builder.RegisterService(m_operations.get());
    }
    applyServerSettings(builder);
    m_streams->subscribers().open(); // subscriptions are refused only while shut down
    m_server = builder.BuildAndStart();
    if (m_server && m_secure)
        writeStandardUsers(m_store);                // a fresh node with authentication on creates admin and ops
    if (m_server && m_store.projectionsAvailable()) // and its projection subsystem registers the standard ones
        writeProjectionsRegistration(m_store, m_store.standardProjectionsRunning());
    if (m_server)
        m_persistent->start();
    if (!m_server || m_port == 0) {
        if (error)
            *error = m_secure ? QStringLiteral("cannot listen on %1 (address in use or not local, or the certificate "
                                               "and its private key do not match?)").arg(address)
                              : QStringLiteral("cannot listen on %1 (address in use or not local?)").arg(address);
        m_server.reset();
        return 0;
    }
    m_address = address.left(address.lastIndexOf(QLatin1Char(':')) + 1) + QString::number(m_port);
    return m_port;
}

size_t SandboxServer::liveSubscriptions() const
{
    return m_streams ? m_streams->subscribers().listenerCount() : 0;
}

void SandboxServer::shutdown(std::chrono::milliseconds grace)
{
    std::lock_guard lock(m_shutdownMutex);
    if (m_server) {
        // Live subscriptions wait for appends, not for the client: end them first so shutdown
        // does not sit out its deadline for them. Only this node's: in a cluster the store is shared.
        m_streams->subscribers().close();
        m_streams->stopStalls(); // a stall would hold Wait() up for its whole length
        m_persistent->stop();    // its Read calls end once their consumers are dropped
        m_server->Shutdown(std::chrono::system_clock::now() + grace);
        m_server->Wait();
        m_server.reset();
    }
}

} // namespace chronoscope::sandbox
