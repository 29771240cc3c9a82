#include "archive/ArchiveWriter.h"

#include "timeline/TimelineSource.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QtEndian>

#include <map>

namespace chronoscope::archive {

namespace {

QJsonObject place(const RecordedEvent &e)
{
    return {{QStringLiteral("revision"), double(e.revision)},
            {QStringLiteral("commit"), double(e.position.commit)},
            {QStringLiteral("prepare"), double(e.position.prepare)},
            {QStringLiteral("ticks"), double(e.createdTicks)}};
}

} // namespace

struct ArchiveWriter::ChunkEntry
{
    quint32 sequence = 0;
    qint64 offset = 0;
    qint64 size = 0;
    quint64 firstOrdinal = 0;
    quint64 count = 0;
    QJsonObject first, last;
};

struct ArchiveWriter::StreamEntry
{
    quint64 count = 0;
    quint64 firstRevision = 0;
    quint64 lastRevision = 0;
};

struct ArchiveWriter::State
{
    QSaveFile file;
    Sha256 whole;
    QByteArray pending; ///< the events chunk being filled
    quint64 pendingCount = 0;
    RecordedEvent pendingFirst, pendingLast; // payloads dropped
    QList<ChunkEntry> chunks;
    std::map<QByteArray, StreamEntry> streams;
    bool open = false;
    bool dead = false;
};

ArchiveWriter::ArchiveWriter(QString path, Provenance provenance, Options options)
    : m_path(std::move(path)), m_provenance(std::move(provenance)), m_options(std::move(options))
{}

ArchiveWriter::ArchiveWriter(QString path, Provenance provenance)
    : ArchiveWriter(std::move(path), std::move(provenance), Options())
{}

ArchiveWriter::~ArchiveWriter()
{
    cancel();
}

bool ArchiveWriter::fail(const QString &error)
{
    m_error = error;
    if (m_state) {
        m_state->dead = true;
        m_state->file.cancelWriting();
    }
    return false;
}

bool ArchiveWriter::open()
{
    m_state = std::make_unique<State>();
    m_state->file.setFileName(m_path);
    if (!m_state->file.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("cannot write %1: %2").arg(m_path, m_state->file.errorString()));
    m_state->open = true;

    QByteArray header(format::kFileMagic, 8);
    char word[4];
    qToLittleEndian(format::kVersion, word);
    header.append(word, 4);
    qToLittleEndian(quint32(0), word);
    header.append(word, 4);
    m_state->whole.addData(header);
    if (m_state->file.write(header) != header.size())
        return fail(QStringLiteral("cannot write %1: %2").arg(m_path, m_state->file.errorString()));
    m_offset = header.size();

    QJsonObject source{{QStringLiteral("connection"), m_provenance.connection},
                       {QStringLiteral("stream"), m_provenance.stream},
                       {QStringLiteral("selection"), m_provenance.selection}};
    QJsonObject manifest = m_provenance.extra;
    manifest.insert(QStringLiteral("format"), QStringLiteral("chronoscope-archive"));
    manifest.insert(QStringLiteral("version"), int(format::kVersion));
    manifest.insert(QStringLiteral("createdAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    manifest.insert(QStringLiteral("createdBy"), m_provenance.createdBy);
    manifest.insert(QStringLiteral("source"), source);
    manifest.insert(QStringLiteral("isAll"), m_provenance.isAll);
    manifest.insert(QStringLiteral("resolvesLinks"), m_provenance.resolvesLinks);
    return writeChunk(ChunkKind::Manifest, QJsonDocument(manifest).toJson(QJsonDocument::Compact));
}

bool ArchiveWriter::writeChunk(ChunkKind kind, const QByteArray &payload)
{
    const QByteArray chunk = encodeChunk(kind, m_sequence, payload);
    if (kind != ChunkKind::Footer)
        m_state->whole.addData(chunk);
    if (m_state->file.write(chunk) != chunk.size())
        return fail(QStringLiteral("cannot write %1: %2").arg(m_path, m_state->file.errorString()));
    ++m_sequence;
    m_offset += chunk.size();
    return true;
}

bool ArchiveWriter::add(const RecordedEvent &event)
{
    if (!m_state || !m_state->open || m_state->dead)
        return fail(m_error.isEmpty() ? QStringLiteral("the archive is not open") : m_error);
    State &s = *m_state;
    appendEventRecord(s.pending, event);
    RecordedEvent place = event;
    place.data.clear();
    place.metadata.clear();
    if (s.pendingCount == 0)
        s.pendingFirst = place;
    s.pendingLast = place;
    ++s.pendingCount;
    auto [it, added] = s.streams.try_emplace(event.streamId);
    if (added)
        it->second.firstRevision = event.revision;
    ++it->second.count;
    it->second.lastRevision = event.revision;
    ++m_eventCount;
    if (s.pendingCount >= quint64(qMax(1, m_options.chunkEvents)) || s.pending.size() >= m_options.chunkBytes)
        return flushEvents();
    return true;
}

bool ArchiveWriter::add(const QList<RecordedEvent> &events)
{
    for (const RecordedEvent &e : events)
        if (!add(e))
            return false;
    return true;
}

bool ArchiveWriter::flushEvents()
{
    State &s = *m_state;
    if (s.pendingCount == 0)
        return true;
    ChunkEntry entry;
    entry.sequence = m_sequence;
    entry.offset = m_offset;
    entry.size = format::kChunkHeaderSize + s.pending.size();
    entry.firstOrdinal = m_eventCount - s.pendingCount;
    entry.count = s.pendingCount;
    entry.first = place(s.pendingFirst);
    entry.last = place(s.pendingLast);
    if (!writeChunk(ChunkKind::Events, s.pending))
        return false;
    s.chunks.append(entry);
    s.pending.clear();
    s.pendingCount = 0;
    return true;
}

bool ArchiveWriter::finish()
{
    if (!m_state || !m_state->open || m_state->dead)
        return fail(m_error.isEmpty() ? QStringLiteral("the archive is not open") : m_error);
    State &s = *m_state;
    if (!flushEvents())
        return false;

    QJsonArray chunks;
    for (const ChunkEntry &c : std::as_const(s.chunks))
        chunks.append(QJsonObject{{QStringLiteral("sequence"), double(c.sequence)},
                                  {QStringLiteral("offset"), double(c.offset)},
                                  {QStringLiteral("size"), double(c.size)},
                                  {QStringLiteral("firstOrdinal"), double(c.firstOrdinal)},
                                  {QStringLiteral("count"), double(c.count)},
                                  {QStringLiteral("first"), c.first},
                                  {QStringLiteral("last"), c.last}});
    QJsonArray streams;
    for (const auto &[name, st] : s.streams)
        streams.append(QJsonObject{{QStringLiteral("name"), QString::fromUtf8(name)},
                                   {QStringLiteral("count"), double(st.count)},
                                   {QStringLiteral("firstRevision"), double(st.firstRevision)},
                                   {QStringLiteral("lastRevision"), double(st.lastRevision)}});
    const qint64 indexOffset = m_offset;
    const QJsonObject index{{QStringLiteral("eventCount"), double(m_eventCount)},
                            {QStringLiteral("chunks"), chunks},
                            {QStringLiteral("streams"), streams}};
    if (!writeChunk(ChunkKind::Index, QJsonDocument(index).toJson(QJsonDocument::Compact)))
        return false;

    m_sha256Hex = s.whole.result().toHex();
    QJsonObject footer{{QStringLiteral("eventCount"), double(m_eventCount)},
                       {QStringLiteral("chunkCount"), double(m_sequence)},
                       {QStringLiteral("indexOffset"), double(indexOffset)},
                       {QStringLiteral("sha256"), QString::fromLatin1(m_sha256Hex)}};
    if (m_options.signer) {
        QString problem;
        const auto signature = m_options.signer(signedMessage(m_sha256Hex), &problem);
        if (!signature)
            return fail(QStringLiteral("the archive could not be signed: %1").arg(problem));
        const QByteArray fingerprint =
            QCryptographicHash::hash(signature->publicKey, QCryptographicHash::Sha256).toHex();
        footer.insert(QStringLiteral("signature"),
                      QJsonObject{{QStringLiteral("algorithm"), QStringLiteral("ed25519")},
                                  {QStringLiteral("publicKey"), QString::fromLatin1(signature->publicKey.toBase64())},
                                  {QStringLiteral("fingerprint"), QString::fromLatin1(fingerprint)},
                                  {QStringLiteral("value"), QString::fromLatin1(signature->value.toBase64())}});
    }
    const qint64 footerOffset = m_offset;
    if (!writeChunk(ChunkKind::Footer, QJsonDocument(footer).toJson(QJsonDocument::Compact)))
        return false;

    QByteArray trailer(8, '\0');
    qToLittleEndian(quint64(footerOffset), trailer.data());
    trailer.append(format::kEndMagic, 8);
    if (s.file.write(trailer) != trailer.size())
        return fail(QStringLiteral("cannot write %1: %2").arg(m_path, s.file.errorString()));
    m_offset += trailer.size();
    if (!s.file.commit())
        return fail(QStringLiteral("cannot put %1 in place: %2").arg(m_path, s.file.errorString()));
    s.open = false;
    return true;
}

void ArchiveWriter::cancel()
{
    if (m_state && m_state->open) {
        m_state->file.cancelWriting();
        m_state->file.commit(); // a cancelled QSaveFile discards the temporary file
        m_state->open = false;
        m_state->dead = true;
    }
}

QString ArchiveWriter::write(engine::TimelineSource &source, const QString &path, Provenance provenance,
                             const Options &options, const CancellationPtr &cancel, const Progress &progress,
                             const Filter &filter)
{
    provenance.isAll = source.isAll();
    provenance.resolvesLinks = source.resolvesLinks();
    if (provenance.stream.isEmpty())
        provenance.stream = QString::fromUtf8(source.name());
    ArchiveWriter writer(path, std::move(provenance), options);
    if (!writer.open())
        return writer.error();
    bool stopped = false, selectionEnded = false;
    const auto addSelected = [&](const QList<RecordedEvent> &batch) {
        if (!filter)
            return writer.add(batch);
        for (const RecordedEvent &e : batch) {
            const Verdict v = filter(e);
            if (v == Verdict::Stop) {
                selectionEnded = true;
                return true;
            }
            if (v == Verdict::Take && !writer.add(e))
                return false;
        }
        return true;
    };
    const ClientError error = source.read(
        [&](const QList<RecordedEvent> &batch) {
            if (!addSelected(batch))
                return false;
            if (selectionEnded)
                return false;
            if ((cancel && cancel->isCancelled()) || (progress && !progress(writer.eventCount()))) {
                stopped = true;
                return false;
            }
            return true;
        },
        cancel, 512);
    if (stopped || (cancel && cancel->isCancelled())) {
        writer.cancel();
        return QStringLiteral("cancelled");
    }
    if (!writer.error().isEmpty())
        return writer.error();
    if (error && !selectionEnded) {
        writer.cancel();
        return QStringLiteral("reading %1 failed: %2").arg(QString::fromUtf8(source.name()), error.message);
    }
    if (!writer.finish())
        return writer.error();
    return {};
}

} // namespace chronoscope::archive
