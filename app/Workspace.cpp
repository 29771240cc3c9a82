#include "Workspace.h"

#include "archive/ArchiveReader.h"
#include "archive/ArchiveStreamSource.h"
#include "archive/ArchiveTimelineSource.h"
#include "client/PersistentSubscriptionTypes.h"
#include "client/StreamsClient.h"
#include "connection/ConnectionSettings.h"
#include "report/ArchiveSigning.h"

#include <QFileInfo>
#include <QJsonArray>

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
    m_archiveJob.cancel();
    m_archivePending = false;
    m_loader.cancel();
    m_session.clear();
    m_streams.clear();
    m_archive.reset();
    m_verifyJob.cancel();
    m_verifyPending = false;
    m_archiveVerified.reset();
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

void Workspace::openArchive(const QString &path)
{
    m_archivePending = true;
    m_archiveJob.start([this, path](const JobTracker::Job &job) {
        auto reader = std::make_shared<archive::ArchiveReader>();
        const bool ok = reader->open(path, archiveSigning::check(), archive::ArchiveReader::OpenMode::ByIndex);
        job.post([this, path, ok, reader = std::shared_ptr<const archive::ArchiveReader>(std::move(reader))]() {
            m_archivePending = false;
            if (!ok)
                Q_EMIT archiveFailed(path, reader->error());
            else
                useArchive(reader);
        });
    });
}

std::shared_ptr<const archive::ArchiveReader> Workspace::verifiedArchive() const
{
    if (m_archive && m_archive->verified())
        return m_archive;
    return m_archiveVerified;
}

void Workspace::verifyArchive()
{
    m_archiveVerified.reset();
    m_verifyPending = false;
    if (!m_archive || m_archive->verified())
        return;
    m_verifyPending = true;
    m_verifyJob.start([this, path = m_archive->path()](const JobTracker::Job &job) {
        auto reader = std::make_shared<archive::ArchiveReader>();
        reader->open(path, archiveSigning::check()); // a failure is a finding too: it reads as damage
        job.post([this, path, reader = std::shared_ptr<const archive::ArchiveReader>(std::move(reader))]() {
            if (!m_archive || m_archive->path() != path)
                return; // another archive (or a server) took its place
            m_verifyPending = false;
            m_archiveVerified = reader;
            Q_EMIT archiveVerified(path);
        });
    });
}

void Workspace::useArchive(std::shared_ptr<const archive::ArchiveReader> reader)
{
    m_loader.cancel();
    m_session.clear();
    m_streams.clear();
    m_client.reset();
    m_archive = std::move(reader);
    const QString file = QFileInfo(m_archive->path()).fileName();
    const QString origin =
        m_archive->manifest().value(QStringLiteral("source")).toObject().value(QStringLiteral("connection")).toString();
    m_connectionText = origin.isEmpty() ? tr("archive %1").arg(file) : tr("archive %1 of %2").arg(file, origin);
    m_serverVersion.clear();
    m_writeGuard.setArchive(file); // never writable
    QList<QByteArray> names;
    const QJsonArray streams = m_archive->index().value(QStringLiteral("streams")).toArray();
    for (const QJsonValue &stream : streams)
        names.append(stream.toObject().value(QStringLiteral("name")).toString().toUtf8());
    m_streams.appendBatch(names);
    Q_EMIT archiveOpened(m_archive->path());
    load(archive::ArchiveTimelineSource(m_archive).name());
    verifyArchive();
}

void Workspace::cancelLoading()
{
    if (std::exchange(m_archivePending, false)) {
        m_archiveJob.cancel();
        Q_EMIT archiveCancelled();
    }
    m_session.cancel();
    m_loader.cancel();
}

void Workspace::load(const QByteArray &stream)
{
    if (stream == m_session.stream() && m_session.isLoading())
        return;
    if (!m_archive) {
        m_session.load(m_client, stream,
                       SystemStreams::isLinkStream(stream) || PersistentGroup::isParkedStream(stream));
        return;
    }
    auto whole = std::make_shared<archive::ArchiveTimelineSource>(m_archive);
    if (stream == whole->name() || stream == TimelineSession::allStream())
        m_session.load(std::move(whole));
    else
        m_session.load(std::make_shared<archive::ArchiveStreamSource>(m_archive, stream));
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
