#include "wire/GrpcChannel.h"

#include "wire/GrpcRuntime.h"

#include <QFile>
#include <QUuid>

#include <grpcpp/grpcpp.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>

namespace chronoscope {
namespace {

bool readFile(const QString &path, std::string *out, ClientError *error, const char *what)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error) {
            error->kind = ClientError::Kind::InvalidArgument;
            error->message = QStringLiteral("cannot read %1 '%2': %3").arg(QLatin1String(what), path, f.errorString());
        }
        return false;
    }
    *out = f.readAll().toStdString();
    return true;
}

/// h2c, TLS checked against the CA file (or the system's roots), or TLS that accepts any server
/// certificate (tlsVerifyCert=false); with a client certificate when one is configured.
std::shared_ptr<grpc::ChannelCredentials> channelCredentials(const ConnectionSettings &settings, ClientError *error)
{
    if (!settings.tls)
        return grpc::InsecureChannelCredentials();
    std::string caPem, certPem, keyPem;
    if (!settings.tlsCaFile.isEmpty() && !readFile(settings.tlsCaFile, &caPem, error, "CA file"))
        return nullptr;
    if (!settings.userCertFile.isEmpty()
        && (!readFile(settings.userCertFile, &certPem, error, "client certificate")
            || !readFile(settings.userKeyFile, &keyPem, error, "client key")))
        return nullptr;
    if (settings.tlsVerifyCert) {
        grpc::SslCredentialsOptions ssl;
        ssl.pem_root_certs = caPem;
        ssl.pem_cert_chain = certPem;
        ssl.pem_private_key = keyPem;
        return grpc::SslCredentials(ssl);
    }
    // No verification at all: neither the chain nor the host name (gRPC 1.51's experimental TLS API).
    grpc::experimental::TlsChannelCredentialsOptions tls;
    tls.set_verify_server_certs(false);
    tls.set_check_call_host(false);
    tls.set_certificate_verifier(std::make_shared<grpc::experimental::NoOpCertificateVerifier>());
    if (!certPem.empty()) {
        tls.set_certificate_provider(std::make_shared<grpc::experimental::StaticDataCertificateProvider>(
            std::vector<grpc::experimental::IdentityKeyCertPair>{{keyPem, certPem}}));
        tls.watch_identity_key_cert_pairs();
    }
    return grpc::experimental::TlsCredentials(tls);
}

} // namespace

std::string GrpcChannel::basicAuthorization(const UserCredentials &credentials)
{
    if (credentials.isEmpty())
        return {};
    const QByteArray pair = credentials.username.toUtf8() + ':' + credentials.password.toUtf8();
    return "Basic " + pair.toBase64().toStdString();
}

std::shared_ptr<GrpcChannel> GrpcChannel::create(const ConnectionSettings &settings, const EndPoint &node,
                                                 ClientError *error)
{
    tuneGrpcRuntime();
    std::shared_ptr<GrpcChannel> c(new GrpcChannel);
    c->m_settings = settings;
    c->m_node = node;
    c->m_connectionName = settings.connectionName.isEmpty()
        ? QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString()
        : settings.connectionName.toStdString();
    c->m_authorization = basicAuthorization(settings.defaultCredentials());

    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(17 * 1024 * 1024); // events may be up to 16 MB
    // gRPC 1.51 checks a message's size only once it has it all, and opens its flow-control window
    // to let an announced message arrive: a server announcing 2 GiB would be buffered up to 2 GiB.
    // The quota bounds what the channel's transport may hold (tests/core/tst_hostilecalls.cpp).
    grpc::ResourceQuota quota("chronoscope-channel");
    quota.Resize(kChannelMemoryQuota);
    args.SetResourceQuota(quota);
    if (settings.keepAliveIntervalMs > 0)
        args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, settings.keepAliveIntervalMs);
    if (settings.keepAliveTimeoutMs > 0)
        args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, settings.keepAliveTimeoutMs);
    // Each client object gets its own connection rather than sharing a global subchannel pool.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);

    std::shared_ptr<grpc::ChannelCredentials> creds = channelCredentials(settings, error);
    if (!creds)
        return nullptr;
    const std::string target = node.toString().toStdString();
    c->m_channel = grpc::CreateCustomChannel(target, creds, args);
    return c;
}

void GrpcChannel::prepare(grpc::ClientContext &context, CallKind kind, bool requiresLeader,
                          const std::optional<UserCredentials> &credentials) const
{
    context.AddMetadata("connection-name", m_connectionName);
    const std::string authorization = credentials ? basicAuthorization(*credentials) : m_authorization;
    if (!authorization.empty())
        context.AddMetadata("authorization", authorization);
    if (requiresLeader && m_settings.nodePreference == NodePreference::Leader)
        context.AddMetadata("requires-leader", "true");
    if (kind == CallKind::Unary && m_settings.defaultDeadlineMs > 0)
        context.set_deadline(std::chrono::system_clock::now()
                             + std::chrono::milliseconds(m_settings.defaultDeadlineMs));
}

ClientError GrpcChannel::toError(const grpc::Status &status, const grpc::ClientContext &context)
{
    std::multimap<std::string, std::string> trailers;
    for (const auto &kv : context.GetServerTrailingMetadata())
        trailers.emplace(std::string(kv.first.data(), kv.first.size()), std::string(kv.second.data(), kv.second.size()));
    // Trailers-only responses put the keys in the initial metadata.
    for (const auto &kv : context.GetServerInitialMetadata())
        trailers.emplace(std::string(kv.first.data(), kv.first.size()), std::string(kv.second.data(), kv.second.size()));
    return ClientError::fromStatus(int(status.error_code()), status.error_message(), trailers);
}

} // namespace chronoscope
