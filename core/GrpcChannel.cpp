#include "GrpcChannel.h"

#include <QFile>
#include <QUuid>

#include <grpcpp/grpcpp.h>

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

} // namespace

std::shared_ptr<GrpcChannel> GrpcChannel::create(const ConnectionSettings &settings, const EndPoint &node,
                                                 ClientError *error)
{
    std::shared_ptr<GrpcChannel> c(new GrpcChannel);
    c->m_settings = settings;
    c->m_node = node;
    c->m_connectionName = settings.connectionName.isEmpty()
        ? QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString()
        : settings.connectionName.toStdString();
    if (settings.hasCredentials()) {
        const QByteArray pair = settings.username.toUtf8() + ':' + settings.password.toUtf8();
        c->m_authorization = "Basic " + pair.toBase64().toStdString();
    }

    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(17 * 1024 * 1024); // events may be up to 16 MB
    if (settings.keepAliveIntervalMs > 0)
        args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, settings.keepAliveIntervalMs);
    if (settings.keepAliveTimeoutMs > 0)
        args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, settings.keepAliveTimeoutMs);
    // Each client object gets its own connection rather than sharing a global subchannel pool.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);

    std::shared_ptr<grpc::ChannelCredentials> creds;
    if (!settings.tls) {
        creds = grpc::InsecureChannelCredentials();
    } else {
        grpc::SslCredentialsOptions ssl;
        if (!settings.tlsCaFile.isEmpty() && !readFile(settings.tlsCaFile, &ssl.pem_root_certs, error, "CA file"))
            return nullptr;
        if (!settings.userCertFile.isEmpty()) {
            if (!readFile(settings.userCertFile, &ssl.pem_cert_chain, error, "client certificate")
                || !readFile(settings.userKeyFile, &ssl.pem_private_key, error, "client key"))
                return nullptr;
        }
        creds = grpc::SslCredentials(ssl);
    }
    const std::string target = node.toString().toStdString();
    c->m_channel = grpc::CreateCustomChannel(target, creds, args);
    return c;
}

void GrpcChannel::prepare(grpc::ClientContext &context, CallKind kind, bool requiresLeader) const
{
    context.AddMetadata("connection-name", m_connectionName);
    if (!m_authorization.empty())
        context.AddMetadata("authorization", m_authorization);
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
