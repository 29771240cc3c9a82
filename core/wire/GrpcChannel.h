#pragma once

#include "connection/ConnectionSettings.h"
#include "model/ClientError.h"

#include <chrono>
#include <memory>
#include <optional>

namespace grpc {
class Channel;
class ClientContext;
class Status;
}

namespace chronoscope {

/// One HTTP/2 channel to one node, built from the connection settings (h2c or TLS, keepalive,
/// 17 MiB receive limit, 64 MiB memory quota), and the per-call headers the official clients send.
class GrpcChannel
{
public:
    /// The most one channel's transport may buffer (a resource quota): a server announcing a huge
    /// message stalls there, and the call ends when cancelled, instead of taking the memory.
    static constexpr int kChannelMemoryQuota = 64 * 1024 * 1024;

    enum class CallKind { Unary, Streaming };

    /// Builds a channel to `node`; returns null and sets `error` when, e.g., a CA file cannot be read.
    static std::shared_ptr<GrpcChannel> create(const ConnectionSettings &settings, const EndPoint &node,
                                               ClientError *error);

    const std::shared_ptr<grpc::Channel> &channel() const { return m_channel; }
    const ConnectionSettings &settings() const { return m_settings; }
    const EndPoint &node() const { return m_node; }

    /// Headers (connection-name, authorization, requires-leader) and the deadline for a call.
    /// `credentials` replace the connection string's user for this call only.
    void prepare(grpc::ClientContext &context, CallKind kind, bool requiresLeader = true,
                 const std::optional<UserCredentials> &credentials = std::nullopt) const;

    /// The typed error for a failed call. TLS handshake failures (unknown CA, host name not in the
    /// certificate) become ClientError::Kind::TlsFailure, bad credentials an AccessDenied that says
    /// so; the texts never contain credentials.
    static ClientError toError(const grpc::Status &status, const grpc::ClientContext &context);

    /// `Basic base64(user:password)`; empty for empty credentials.
    static std::string basicAuthorization(const UserCredentials &credentials);

private:
    GrpcChannel() = default;
    ConnectionSettings m_settings;
    EndPoint m_node;
    std::shared_ptr<grpc::Channel> m_channel;
    std::string m_connectionName;
    std::string m_authorization;
};

} // namespace chronoscope
