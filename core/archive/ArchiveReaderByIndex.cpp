// ArchiveReader's ByIndex open and its chunk-by-chunk check (docs/ARCHIVE-FORMAT.md, "Opening by the index").
#include "archive/ArchiveReader.h"

#include <QJsonArray>
#include <QtEndian>

#include <cstring>

namespace chronoscope::archive {

bool ArchiveReader::openByIndex()
{
    using namespace format;
    if (m_size < kFileHeaderSize + kTrailerSize || std::memcmp(m_map + m_size - 8, kEndMagic, 8) != 0)
        return false;
    // The payload of the intact chunk of `kind` at `at`, ending before `end`; none otherwise.
    const auto intactChunk = [this](qint64 at, ChunkKind kind, qint64 end) -> std::optional<QByteArrayView> {
        if (at < kFileHeaderSize || at > end - kChunkHeaderSize)
            return std::nullopt;
        const auto h = decodeChunkHeader(bytes(at, kChunkHeaderSize));
        if (!h || h->kind != quint8(kind) || h->codec != quint8(ChunkCodec::None)
            || h->storedSize > quint64(end - at - kChunkHeaderSize))
            return std::nullopt;
        const QByteArrayView payload = bytes(at + kChunkHeaderSize, qint64(h->storedSize));
        if (chunkHash(bytes(at, kChunkHashedHeaderSize), payload) != h->sha256)
            return std::nullopt;
        return payload;
    };
    const qint64 footerAt = qint64(qFromLittleEndian<quint64>(m_map + m_size - kTrailerSize));
    if (footerAt < 0 || footerAt > m_size)
        return false;
    const auto footerBytes = intactChunk(footerAt, ChunkKind::Footer, m_size - kTrailerSize);
    if (!footerBytes)
        return false;
    const QJsonObject footer = jsonObject(*footerBytes);
    const qint64 indexAt = qint64(footer.value(QStringLiteral("indexOffset")).toDouble(-1));
    const auto indexBytes = intactChunk(indexAt, ChunkKind::Index, footerAt);
    const auto manifestBytes = intactChunk(kFileHeaderSize, ChunkKind::Manifest, footerAt);
    if (!indexBytes || !manifestBytes)
        return false;
    const QJsonObject index = jsonObject(*indexBytes);

    QList<ArchiveEventChunk> chunks;
    quint64 ordinal = 0;
    qint64 previousEnd = kFileHeaderSize;
    for (const QJsonValue &v : index.value(QStringLiteral("chunks")).toArray()) {
        const QJsonObject o = v.toObject();
        ArchiveEventChunk c;
        c.sequence = quint32(o.value(QStringLiteral("sequence")).toDouble());
        c.offset = qint64(o.value(QStringLiteral("offset")).toDouble());
        const qint64 size = qint64(o.value(QStringLiteral("size")).toDouble());
        c.firstOrdinal = quint64(o.value(QStringLiteral("firstOrdinal")).toDouble());
        c.count = quint64(o.value(QStringLiteral("count")).toDouble());
        c.payloadOffset = c.offset + kChunkHeaderSize;
        c.payloadSize = size - kChunkHeaderSize;
        // In file order, inside the file, ordinals without gaps: else the index is not one to trust.
        if (c.offset < previousEnd || c.payloadSize < 0 || c.offset + size > indexAt || c.firstOrdinal != ordinal
            || c.count == 0)
            return false;
        previousEnd = c.offset + size;
        ordinal += c.count;
        chunks.append(c);
    }
    if (ordinal != quint64(footer.value(QStringLiteral("eventCount")).toDouble()))
        return false;

    m_manifest = jsonObject(*manifestBytes);
    m_index = index;
    m_footer = footer;
    m_footerOffset = footerAt;
    m_chunks = std::move(chunks);
    const QJsonObject signature = footer.value(QStringLiteral("signature")).toObject();
    if (!signature.isEmpty()) { // signed, not yet verified: that is the Verify open's answer
        m_signature = QByteArray::fromBase64(signature.value(QStringLiteral("value")).toString().toLatin1());
        m_signerKey = QByteArray::fromBase64(signature.value(QStringLiteral("publicKey")).toString().toLatin1());
        if (m_signature.isEmpty())
            m_signature = QByteArray(1, '\0');
    }
    m_verified = false;
    return true;
}

std::optional<ArchiveDamage> ArchiveReader::checkChunk(qsizetype chunk) const
{
    using namespace format;
    if (chunk < 0 || chunk >= m_chunks.size())
        return ArchiveDamage{-1, m_size, 0, QStringLiteral("no events chunk %1").arg(chunk)};
    const ArchiveEventChunk &c = m_chunks.at(chunk);
    const auto h = decodeChunkHeader(bytes(c.offset, kChunkHeaderSize));
    const QByteArrayView payload = bytes(c.payloadOffset, c.payloadSize);
    QString reason;
    if (!h)
        reason = QStringLiteral("no chunk header here");
    else if (h->kind != quint8(ChunkKind::Events) || h->sequence != c.sequence || h->codec != quint8(ChunkCodec::None)
             || qint64(h->storedSize) != c.payloadSize)
        reason = QStringLiteral("its header is not the events chunk the index names");
    else if (chunkHash(bytes(c.offset, kChunkHashedHeaderSize), payload) != h->sha256)
        reason = QStringLiteral("events chunk: its SHA-256 does not match");
    else if (countEventRecords(payload) != std::optional<quint64>(c.count))
        reason = QStringLiteral("events chunk: its records do not add up");
    if (reason.isEmpty())
        return std::nullopt;
    return ArchiveDamage{qint64(c.sequence), c.offset, c.payloadSize + kChunkHeaderSize, reason};
}

} // namespace chronoscope::archive
