#include "client/StreamsClient.h"

#include "cluster/NodeConnection.h"
#include "wire/GrpcChannel.h"
#include "wire/RawMessage.h"

#include "serverfeatures.grpc.pb.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/client_unary_call.h>

// StreamsClient's calls about the server rather than its streams: ServerFeatures and gossip.

namespace chronoscope {

namespace pb = event_store::client;

bool ServerInfo::supports(const QString &service, const QString &method) const
{
    for (const SupportedMethod &m : methods)
        if (m.service == service.toLower() && m.method == method.toLower())
            return true;
    return false;
}

ServerInfo StreamsClient::serverInfo() const
{
    ServerInfo info;
    ClientError error;
    const std::shared_ptr<GrpcChannel> channel = m_connection ? m_connection->channel(&error) : nullptr;
    if (!channel) {
        info.error = m_error.isError() ? m_error
            : error.isError()          ? error
                                       : ClientError::protocol(QStringLiteral("no connection"));
        return info;
    }
    grpc::ClientContext ctx;
    channel->prepare(ctx, GrpcChannel::CallKind::Unary, false);
    pb::Empty req;
    // Raw bytes parsed here: gRPC's typed unary call reports a reply that does not parse as
    // UNIMPLEMENTED, which would pass for an older server.
    const grpc::internal::RpcMethod method("/event_store.client.server_features.ServerFeatures/GetSupportedMethods",
                                           grpc::internal::RpcMethod::NORMAL_RPC, channel->channel());
    grpc::ByteBuffer reply;
    const grpc::Status status = grpc::internal::BlockingUnaryCall<pb::Empty, grpc::ByteBuffer>(channel->channel().get(),
                                                                                               method, &ctx, req,
                                                                                               &reply);
    if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED || status.error_code() == grpc::StatusCode::NOT_FOUND)
        return info; // older servers: version unknown, as the official clients treat it
    if (!status.ok()) {
        info.error = GrpcChannel::toError(status, ctx);
        m_connection->reportFailure(channel, info.error);
        return info;
    }
    pb::server_features::SupportedMethods resp;
    if (!proto::parseReply(reply, &resp)) {
        info.error = ClientError::protocol(QStringLiteral("the server's reply to GetSupportedMethods is not a "
                                                          "SupportedMethods message (%1 bytes that do not parse)")
                                               .arg(reply.Length()));
        return info;
    }
    info.version = QString::fromStdString(resp.event_store_server_version());
    for (const auto &m : resp.methods()) {
        SupportedMethod sm;
        sm.service = QString::fromStdString(m.service_name()).toLower();
        sm.method = QString::fromStdString(m.method_name()).toLower();
        for (const auto &f : m.features())
            sm.features << QString::fromStdString(f);
        info.methods << sm;
    }
    return info;
}

GossipResult StreamsClient::clusterMembers() const
{
    GossipResult result;
    const std::shared_ptr<GrpcChannel> channel = m_connection ? m_connection->channel(&result.error) : nullptr;
    if (!channel) {
        if (!result.error)
            result.error = m_error.isError() ? m_error : ClientError::protocol(QStringLiteral("no connection"));
        return result;
    }
    result = m_connection->discovery().readMembers(channel->node());
    m_connection->reportFailure(channel, result.error);
    return result;
}

std::optional<EndPoint> StreamsClient::currentNode() const
{
    return m_connection ? m_connection->currentNode() : std::nullopt;
}

} // namespace chronoscope
