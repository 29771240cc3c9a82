#include "Workspace.h"

#include "client/StreamsClient.h"
#include "connection/ConnectionSettings.h"

#include <optional>

namespace chronoscope {

Workspace::Workspace(QObject *parent) : QObject(parent)
{
    connect(&m_loader, &StreamListLoader::streamsFound, &m_streams, &StreamListModel::appendBatch);
    connect(&m_loader, &StreamListLoader::sightingsUpdated, &m_streams, &StreamListModel::updateSightings);
}

Workspace::~Workspace()
{
    m_loader.cancel();
    m_session.cancel();
}

ClientError Workspace::connectTo(const ConnectionSettings &settings)
{
    auto client = std::make_shared<const StreamsClient>(settings);
    if (client->error())
        return client->error();
    m_loader.cancel();
    m_session.clear();
    m_streams.clear();
    m_client = std::move(client);
    m_connectionText = settings.toRedactedString();
    m_operator = AuditOperator::current(settings);
    m_writeGuard.setProfile(WriteProfile::adHoc()); // locked again: a new connection
    m_serverVersion.clear();
    Q_EMIT connected(m_connectionText);
    askServer();
    rescan();
    return {};
}

void Workspace::rescan()
{
    if (!m_client)
        return;
    m_streams.clear();
    m_loader.start(m_client);
}

void Workspace::cancelLoading()
{
    m_session.cancel();
    m_loader.cancel();
}

void Workspace::load(const QByteArray &stream)
{
    if (stream != m_session.stream() || !m_session.isLoading())
        m_session.load(m_client, stream, SystemStreams::isLinkStream(stream));
}

void Workspace::askServer()
{
    m_infoPending = true;
    m_infoJob.start([this, client = m_client](const JobTracker::Job &job) {
        const ServerInfo info = client->serverInfo();
        const std::optional<EndPoint> node = client->currentNode();
        job.post([this, info, node]() {
            m_infoPending = false;
            if (info.error) {
                Q_EMIT serverUnreachable(info.error);
            } else {
                m_serverVersion = info.version;
                Q_EMIT serverAnswered(node ? node->toString() : QString(), info.version);
            }
        });
    });
}

} // namespace chronoscope
