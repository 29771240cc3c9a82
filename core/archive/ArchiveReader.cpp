#include "archive/ArchiveReader.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace chronoscope::archive {

namespace {

QString kindName(quint8 kind)
{
    switch (ChunkKind(kind)) {
    case ChunkKind::Manifest: return QStringLiteral("manifest");
    case ChunkKind::Events: return QStringLiteral("events");
    case ChunkKind::Index: return QStringLiteral("index");
    case ChunkKind::Footer: return QStringLiteral("footer");
    }
    return QStringLiteral("kind %1").arg(kind);
}

} // namespace

QJsonObject ArchiveReader::jsonObject(QByteArrayView payload)
{
    return QJsonDocument::fromJson(payload.toByteArray()).object();
}

QString ArchiveDamage::describe() const
{
    const QString what = sequence >= 0 ? QStringLiteral("chunk %1").arg(sequence) : QStringLiteral("the file");
    return QStringLiteral("%1 at offset %2 (%3 bytes): %4").arg(what).arg(offset).arg(size).arg(reason);
}

ArchiveReader::ArchiveReader() = default;
ArchiveReader::~ArchiveReader() = default;

QByteArrayView ArchiveReader::bytes(qint64 offset, qint64 size) const
{
    return QByteArrayView(reinterpret_cast<const char *>(m_map) + offset, qsizetype(size));
}

bool ArchiveReader::open(const QString &path, const SignatureCheck &check, OpenMode mode)
{
    m_path = path;
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot read %1: %2").arg(path, m_file.errorString());
        return false;
    }
    m_size = m_file.size();
    if (m_size < format::kFileHeaderSize) {
        m_error = QStringLiteral("%1 is not a Chronoscope archive (%2 bytes)").arg(path).arg(m_size);
        return false;
    }
    m_map = m_file.map(0, m_size);
    if (!m_map) {
        m_error = QStringLiteral("cannot read %1: %2").arg(path, m_file.errorString());
        return false;
    }
    if (std::memcmp(m_map, format::kFileMagic, 8) != 0) {
        m_error = QStringLiteral("%1 is not a Chronoscope archive").arg(path);
        return false;
    }
    const auto version = qFromLittleEndian<quint32>(m_map + 8);
    if (version != format::kVersion) {
        m_error = QStringLiteral("%1 is a Chronoscope archive of format version %2; this version reads %3")
                      .arg(path)
                      .arg(version)
                      .arg(format::kVersion);
        return false;
    }
    if (mode == OpenMode::ByIndex && openByIndex())
        return true;
    scan();
    checkFooter(check);
    m_verified = true;
    return true;
}

void ArchiveReader::scan()
{
    // The end of the chunks: the trailer's footer offset tells where the footer is; without a
    // trailer (truncated) the chunks run to the end of the file.
    qint64 end = m_size;
    if (m_size >= format::kFileHeaderSize + format::kTrailerSize
        && std::memcmp(m_map + m_size - 8, format::kEndMagic, 8) == 0) {
        end = m_size - format::kTrailerSize;
    } else {
        m_truncated = true;
        m_damage.append({-1, m_size, 0, QStringLiteral("the file ends without its trailer: truncated or unfinished")});
    }

    // The whole file's SHA-256 ([0, footer)) is taken in the same pass, each chunk's bytes while they are
    // in the cache after its own hash.
    Sha256 whole;
    qint64 wholeAt = 0;
    const auto hashWholeTo = [&](qint64 offset) {
        if (m_wholeHashedTo >= 0 || offset <= wholeAt)
            return;
        whole.addData(bytes(wholeAt, offset - wholeAt));
        wholeAt = offset;
    };
    qint64 at = format::kFileHeaderSize;
    qint64 expected = 0; // the sequence the next chunk should have
    quint64 ordinal = 0;
    bool holeSeen = false;
    const auto damaged = [&](qint64 from, qint64 to, const QString &reason) {
        m_damage.insert(m_truncated ? m_damage.size() - 1 : m_damage.size(), {expected, from, to - from, reason});
        holeSeen = true;
    };
    // The next chunk magic after a damaged header, or `end`.
    const auto resync = [&](qint64 from) {
        const QByteArrayView rest = bytes(from, end - from);
        const qsizetype found = rest.indexOf(QByteArrayView(format::kChunkMagic, 4));
        return found < 0 ? end : from + found;
    };
    while (at < end) {
        const auto header = end - at >= format::kChunkHeaderSize
            ? decodeChunkHeader(bytes(at, format::kChunkHeaderSize))
            : std::nullopt;
        if (!header) {
            const qint64 next = end - at >= format::kChunkHeaderSize ? resync(at + 1) : end;
            damaged(at, next,
                    end - at < format::kChunkHeaderSize ? QStringLiteral("truncated inside a chunk header")
                                                        : QStringLiteral("no chunk header here"));
            at = next;
            ++expected;
            continue;
        }
        const qint64 payloadAt = at + format::kChunkHeaderSize;
        if (header->storedSize > quint64(end - payloadAt)) {
            // Either cut off here, or a damaged size: look for a next chunk within the claimed extent.
            const qint64 next = resync(at + 1);
            damaged(at, next,
                    next == end && m_truncated ? QStringLiteral("truncated: %1 of its %2 payload bytes are in the file")
                                                     .arg(end - payloadAt)
                                                     .arg(header->storedSize)
                                               : QStringLiteral("its size runs past the end of the chunks"));
            at = next;
            ++expected;
            continue;
        }
        const qint64 chunkEnd = payloadAt + qint64(header->storedSize);
        const QByteArrayView payload = bytes(payloadAt, qint64(header->storedSize));
        if (chunkHash(bytes(at, format::kChunkHashedHeaderSize), payload) != header->sha256) {
            // The size may be the damaged byte: trust it only if a chunk (or the end) follows it.
            const bool sizeHolds = chunkEnd == end
                || (end - chunkEnd >= 4 && std::memcmp(m_map + chunkEnd, format::kChunkMagic, 4) == 0);
            const qint64 next = sizeHolds ? chunkEnd : resync(at + 1);
            damaged(at, next, QStringLiteral("%1 chunk: its SHA-256 does not match").arg(kindName(header->kind)));
            at = next;
            ++expected;
            continue;
        }
        if (qint64(header->sequence) > expected) // intact chunks, but some are missing before this one
            damaged(
                at, at,
                QStringLiteral("chunks %1 to %2 are missing before this one").arg(expected).arg(header->sequence - 1));
        if (header->codec != quint8(ChunkCodec::None)) {
            damaged(at, chunkEnd, QStringLiteral("codec %1 is not supported by this version").arg(header->codec));
        } else if (header->kind == quint8(ChunkKind::Manifest)) {
            m_manifest = jsonObject(payload);
        } else if (header->kind == quint8(ChunkKind::Index)) {
            m_index = jsonObject(payload);
        } else if (header->kind == quint8(ChunkKind::Footer)) {
            m_footer = jsonObject(payload);
            m_footerOffset = at;
            if (m_wholeHashedTo < 0) {
                hashWholeTo(at);
                m_wholeHash = whole.result();
                m_wholeHashedTo = at;
            }
        } else if (header->kind == quint8(ChunkKind::Events)) {
            const auto count = countEventRecords(payload);
            if (!count) {
                damaged(at, chunkEnd, QStringLiteral("events chunk: its records do not add up"));
            } else {
                m_chunks.append(
                    {header->sequence, at, payloadAt, qint64(header->storedSize), ordinal, *count, holeSeen});
                ordinal += *count;
            }
        }
        expected = qint64(header->sequence) + 1;
        hashWholeTo(chunkEnd);
        at = chunkEnd;
    }
}

void ArchiveReader::checkFooter(const SignatureCheck &check)
{
    if (m_footerOffset < 0) {
        if (!m_truncated)
            m_damage.append({-1, m_size, 0, QStringLiteral("the footer is missing or damaged: no hash to check")});
        return;
    }
    if (!m_truncated && qFromLittleEndian<quint64>(m_map + m_size - format::kTrailerSize) != quint64(m_footerOffset))
        m_damage.append({-1, m_size - format::kTrailerSize, format::kTrailerSize,
                         QStringLiteral("the trailer does not point at the footer (offset %1)").arg(m_footerOffset)});
    const QByteArray declared = m_footer.value(QStringLiteral("sha256")).toString().toLatin1();
    if (m_wholeHashedTo != m_footerOffset) { // another footer came after the first: hash again up to it
        m_wholeHash = Sha256::hash(bytes(0, m_footerOffset));
        m_wholeHashedTo = m_footerOffset;
    }
    m_hashVerified = !declared.isEmpty() && m_wholeHash.toHex() == declared;

    const QJsonObject signature = m_footer.value(QStringLiteral("signature")).toObject();
    if (signature.isEmpty())
        return;
    m_signature = QByteArray::fromBase64(signature.value(QStringLiteral("value")).toString().toLatin1());
    m_signerKey = QByteArray::fromBase64(signature.value(QStringLiteral("publicKey")).toString().toLatin1());
    if (m_signature.isEmpty())
        m_signature = QByteArray(1, '\0'); // signed, but unreadably: isSigned() and not verified
    m_signatureVerified = check && m_hashVerified
        && signature.value(QStringLiteral("algorithm")).toString() == QLatin1String("ed25519")
        && check(m_signerKey, signedMessage(declared), m_signature);
}

QString ArchiveReader::signerFingerprint() const
{
    if (m_signerKey.isEmpty())
        return {};
    return QString::fromLatin1(QCryptographicHash::hash(m_signerKey, QCryptographicHash::Sha256).toHex());
}

bool ArchiveReader::intact() const
{
    return m_damage.isEmpty() && m_hashVerified && (!isSigned() || m_signatureVerified);
}

QString ArchiveReader::summary() const
{
    if (!m_verified)
        return QStringLiteral("opened by its index: each chunk's hash is checked as it is read");
    if (!m_damage.isEmpty())
        return QStringLiteral("damaged: %1%2")
            .arg(m_damage.first().describe(),
                 m_damage.size() > 1 ? QStringLiteral(" (and %1 more)").arg(m_damage.size() - 1) : QString());
    if (!m_hashVerified)
        return QStringLiteral("not verified: the file's SHA-256 does not match its footer");
    if (!isSigned())
        return QStringLiteral("hashes verified, not signed");
    if (!m_signatureVerified)
        return QStringLiteral("hashes verified, the signature does NOT hold (key %1)").arg(signerFingerprint());
    return QStringLiteral("hashes verified, signed by %1").arg(signerFingerprint());
}

quint64 ArchiveReader::eventCount() const
{
    return m_chunks.isEmpty() ? 0 : m_chunks.last().firstOrdinal + m_chunks.last().count;
}

quint64 ArchiveReader::prefixEventCount() const
{
    quint64 n = 0;
    for (const ArchiveEventChunk &c : m_chunks) {
        if (c.afterDamage)
            break;
        n += c.count;
    }
    return n;
}

quint64 ArchiveReader::declaredEventCount() const
{
    return quint64(m_footer.value(QStringLiteral("eventCount")).toDouble());
}

QList<RecordedEvent> ArchiveReader::readChunk(qsizetype chunk, QString *error) const
{
    QList<RecordedEvent> events;
    if (chunk < 0 || chunk >= m_chunks.size()) {
        if (error)
            *error = QStringLiteral("no events chunk %1").arg(chunk);
        return events;
    }
    const ArchiveEventChunk &c = m_chunks.at(chunk);
    events.reserve(qsizetype(c.count));
    const QString problem = decodeEventRecords(bytes(c.payloadOffset, c.payloadSize), [&](RecordedEvent &&e) {
        events.append(std::move(e));
        return true;
    });
    if (!problem.isEmpty()) {
        if (error)
            *error = QStringLiteral("chunk %1 at offset %2: %3").arg(c.sequence).arg(c.offset).arg(problem);
        return {};
    }
    return events;
}

qsizetype ArchiveReader::chunkOf(quint64 ordinal) const
{
    const auto it = std::upper_bound(m_chunks.cbegin(), m_chunks.cend(), ordinal,
                                     [](quint64 o, const ArchiveEventChunk &c) { return o < c.firstOrdinal; });
    if (it == m_chunks.cbegin())
        return -1;
    const qsizetype i = qsizetype(it - m_chunks.cbegin()) - 1;
    return ordinal < m_chunks.at(i).firstOrdinal + m_chunks.at(i).count ? i : -1;
}

} // namespace chronoscope::archive
