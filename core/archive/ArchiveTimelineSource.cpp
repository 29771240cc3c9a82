#include "archive/ArchiveTimelineSource.h"

#include "timeline/EventSource.h"
#include "timeline/LiveFeed.h"

#include <QFileInfo>

#include <algorithm>
#include <mutex>
#include <vector>

namespace chronoscope::archive {

/// Opened by the index: which events chunks were checked (a read checks them in order; a fetch checks one
/// the read has not reached), so that no event of a damaged chunk is ever given.
class ArchiveTimelineSource::ChunkChecks
{
public:
    ChunkChecks(std::shared_ptr<const ArchiveReader> reader)
        : m_reader(std::move(reader)), m_checked(size_t(m_reader->eventChunks().size()), m_reader->verified())
    {}
    /// None when chunk `chunk` is intact (checked now or before).
    std::optional<ArchiveDamage> check(qsizetype chunk)
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (m_checked.at(size_t(chunk)))
                return std::nullopt;
        }
        std::optional<ArchiveDamage> damage = m_reader->checkChunk(chunk);
        if (!damage) {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_checked[size_t(chunk)] = true;
        }
        return damage;
    }

private:
    std::shared_ptr<const ArchiveReader> m_reader;
    std::mutex m_mutex;
    std::vector<bool> m_checked;
};

namespace {

ClientError damagedError(const ArchiveReader &reader, const ArchiveDamage &damage)
{
    ClientError e;
    e.kind = ClientError::Kind::Unknown;
    e.message = QStringLiteral("%1: damaged: %2; the timeline ends before it").arg(reader.path(), damage.describe());
    return e;
}

/// Payloads by ordinal: the chunks holding them decoded, the last one kept for the next fetch.
class ArchiveEventSource : public engine::EventSource
{
public:
    ArchiveEventSource(std::shared_ptr<const ArchiveReader> reader, quint64 count,
                       std::shared_ptr<ArchiveTimelineSource::ChunkChecks> checks)
        : m_reader(std::move(reader)), m_count(count), m_checks(std::move(checks))
    {}

    engine::FetchResult fetch(quint64 first, quint64 count) override
    {
        engine::FetchResult result;
        const quint64 end = std::min(m_count, first + count);
        std::lock_guard<std::mutex> lock(m_mutex);
        for (quint64 at = first; at < end;) {
            const qsizetype chunk = m_reader->chunkOf(at);
            if (chunk < 0)
                break;
            if (chunk != m_cachedChunk) {
                if (const std::optional<ArchiveDamage> damage = m_checks->check(chunk)) {
                    result.error = damagedError(*m_reader, *damage).message;
                    return result;
                }
                QString error;
                m_cached = m_reader->readChunk(chunk, &error);
                if (!error.isEmpty()) {
                    m_cachedChunk = -1;
                    result.error = error;
                    return result;
                }
                m_cachedChunk = chunk;
            }
            const ArchiveEventChunk &c = m_reader->eventChunks().at(chunk);
            const quint64 from = at - c.firstOrdinal;
            const quint64 n = std::min(end - at, c.count - from);
            result.events.append(m_cached.mid(qsizetype(from), qsizetype(n)));
            at += n;
        }
        return result;
    }

private:
    std::shared_ptr<const ArchiveReader> m_reader;
    const quint64 m_count;
    const std::shared_ptr<ArchiveTimelineSource::ChunkChecks> m_checks;
    std::mutex m_mutex;
    qsizetype m_cachedChunk = -1;
    QList<RecordedEvent> m_cached;
};

} // namespace

ArchiveTimelineSource::ArchiveTimelineSource(std::shared_ptr<const ArchiveReader> reader)
    : m_reader(std::move(reader))
    , m_count(m_reader->prefixEventCount())
    , m_checks(std::make_shared<ChunkChecks>(m_reader))
{
    for (const ArchiveEventChunk &c : m_reader->eventChunks()) {
        if (c.afterDamage)
            break;
        ++m_chunks;
    }
}

namespace {
std::shared_ptr<ArchiveTimelineSource> openSource(const QString &path, const SignatureCheck &check, QString *error,
                                                  ArchiveReader::OpenMode mode)
{
    auto reader = std::make_shared<ArchiveReader>();
    if (!reader->open(path, check, mode)) {
        if (error)
            *error = reader->error();
        return nullptr;
    }
    return std::make_shared<ArchiveTimelineSource>(std::move(reader));
}
} // namespace

std::shared_ptr<ArchiveTimelineSource> ArchiveTimelineSource::open(const QString &path, const SignatureCheck &check,
                                                                   QString *error)
{
    return openSource(path, check, error, ArchiveReader::OpenMode::Verify);
}

std::shared_ptr<ArchiveTimelineSource> ArchiveTimelineSource::openByIndex(const QString &path,
                                                                          const SignatureCheck &check, QString *error)
{
    return openSource(path, check, error, ArchiveReader::OpenMode::ByIndex);
}

QByteArray ArchiveTimelineSource::name() const
{
    const QString stream =
        m_reader->manifest().value(QStringLiteral("source")).toObject().value(QStringLiteral("stream")).toString();
    return (stream.isEmpty() ? QFileInfo(m_reader->path()).fileName() : stream).toUtf8();
}

bool ArchiveTimelineSource::isAll() const
{
    return m_reader->manifest().value(QStringLiteral("isAll")).toBool();
}

bool ArchiveTimelineSource::resolvesLinks() const
{
    return m_reader->manifest().value(QStringLiteral("resolvesLinks")).toBool();
}

ClientError ArchiveTimelineSource::read(const BatchHandler &onBatch, const CancellationPtr &cancel, int batchSize)
{
    const qsizetype step = std::max(1, batchSize);
    for (qsizetype chunk = 0; chunk < m_chunks; ++chunk) {
        if (cancel && cancel->isCancelled()) {
            ClientError e;
            e.kind = ClientError::Kind::Cancelled;
            e.message = QStringLiteral("the read was cancelled");
            return e;
        }
        if (const std::optional<ArchiveDamage> damage = m_checks->check(chunk))
            return damagedError(*m_reader, *damage);
        QString problem;
        const QList<RecordedEvent> events = m_reader->readChunk(chunk, &problem);
        if (!problem.isEmpty()) {
            ClientError e;
            e.kind = ClientError::Kind::Unknown;
            e.message = QStringLiteral("%1: %2").arg(m_reader->path(), problem);
            return e;
        }
        for (qsizetype at = 0; at < events.size(); at += step)
            if (!onBatch(events.mid(at, step)))
                return {};
    }
    return {};
}

std::shared_ptr<engine::EventSource>
ArchiveTimelineSource::eventSource(std::shared_ptr<const engine::TimelineIndex> index)
{
    Q_UNUSED(index); // ordinals are the archive's
    return std::make_shared<ArchiveEventSource>(m_reader, m_count, m_checks);
}

std::unique_ptr<engine::LiveFeed> ArchiveTimelineSource::follow(const engine::TimelineEnd &end)
{
    Q_UNUSED(end);
    return nullptr;
}

} // namespace chronoscope::archive
