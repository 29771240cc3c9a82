#include "cluster/NodeConnection.h"

#include "wire/GrpcChannel.h"

namespace chronoscope {

NodeConnection::NodeConnection(const ConnectionSettings &settings) : m_settings(settings), m_discovery(settings) {}

std::shared_ptr<GrpcChannel> NodeConnection::channel(ClientError *error, const CancellationPtr &cancel)
{
    std::lock_guard lock(m_mutex);
    if (m_current)
        return m_current;
    if (m_settings.hosts.isEmpty()) {
        *error = ClientError::protocol(QStringLiteral("no host to connect to"));
        error->kind = ClientError::Kind::InvalidArgument;
        return nullptr;
    }
    if (m_waitBeforeConnect && !m_next && !m_backoff.wait(cancel)) {
        error->kind = ClientError::Kind::Cancelled;
        error->grpcCode = 1;
        error->message = QStringLiteral("cancelled");
        return nullptr;
    }
    m_waitBeforeConnect = false;
    std::optional<EndPoint> node = m_next;
    if (!node && !m_settings.usesGossip())
        node = m_settings.hosts.first();
    if (!node)
        node = m_discovery.discover(m_failed, error, cancel);
    if (!node) {
        m_waitBeforeConnect = true;
        return nullptr;
    }
    m_current = GrpcChannel::create(m_settings, *node, error);
    if (m_current) {
        m_next.reset();
        m_failed.reset();
    }
    return m_current;
}

std::shared_ptr<NodeConnection> NodeConnection::open(const ConnectionSettings &settings, ClientError *error)
{
    if (settings.hosts.isEmpty()) {
        *error = ClientError::protocol(QStringLiteral("no host to connect to"));
        error->kind = ClientError::Kind::InvalidArgument;
        return nullptr;
    }
    // Building a channel does not touch the network; it finds unusable TLS files up front.
    if (!GrpcChannel::create(settings, settings.hosts.first(), error))
        return nullptr;
    return std::make_shared<NodeConnection>(settings);
}

bool NodeConnection::isReconnectError(const ClientError &error)
{
    return error.kind == ClientError::Kind::NotLeader || error.kind == ClientError::Kind::Unavailable
        || error.kind == ClientError::Kind::Cancelled;
}

bool NodeConnection::reportFailure(const std::shared_ptr<GrpcChannel> &used, const ClientError &error)
{
    if (!isReconnectError(error))
        return false;
    std::lock_guard lock(m_mutex);
    if (!used) { // no channel was made (no node found): back off before the next try
        m_waitBeforeConnect = true;
        return true;
    }
    if (used != m_current) // another call already moved on
        return true;
    if (error.kind == ClientError::Kind::NotLeader && !error.leaderHost.isEmpty() && error.leaderPort > 0
        && error.leaderPort <= 65535)
        m_next = EndPoint{error.leaderHost, quint16(error.leaderPort)};
    else {
        m_failed = used->node();
        m_waitBeforeConnect = true;
    }
    m_current.reset();
    return true;
}

void NodeConnection::reportSuccess()
{
    std::lock_guard lock(m_mutex);
    m_backoff.reset();
    m_waitBeforeConnect = false;
}

std::optional<EndPoint> NodeConnection::currentNode() const
{
    std::lock_guard lock(m_mutex);
    if (!m_current)
        return std::nullopt;
    return m_current->node();
}

} // namespace chronoscope
