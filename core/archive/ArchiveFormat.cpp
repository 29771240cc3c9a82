#include "archive/ArchiveFormat.h"

#include <QtEndian>
#include <openssl/evp.h>

#include <cstring>

namespace chronoscope::archive {

namespace {

template<typename T>
void put(QByteArray &out, T value)
{
    char bytes[sizeof(T)];
    qToLittleEndian(value, bytes);
    out.append(bytes, qsizetype(sizeof(T)));
}

void putBytes(QByteArray &out, const QByteArray &bytes)
{
    put<quint32>(out, quint32(bytes.size()));
    out.append(bytes);
}

/// Reads fields from a record, refusing to run past its end.
class Cursor
{
public:
    Cursor(QByteArrayView bytes) : m_bytes(bytes) {}
    template<typename T>
    bool get(T &value)
    {
        if (m_bytes.size() - m_at < qsizetype(sizeof(T)))
            return false;
        value = qFromLittleEndian<T>(m_bytes.data() + m_at);
        m_at += qsizetype(sizeof(T));
        return true;
    }
    bool getBytes(QByteArray &value)
    {
        quint32 size = 0;
        if (!get(size) || quint64(m_bytes.size() - m_at) < size)
            return false;
        value = QByteArray(m_bytes.data() + m_at, qsizetype(size));
        m_at += qsizetype(size);
        return true;
    }
    bool getRaw(qsizetype size, QByteArrayView &value)
    {
        if (m_bytes.size() - m_at < size)
            return false;
        value = m_bytes.sliced(m_at, size);
        m_at += size;
        return true;
    }
    qsizetype at() const { return m_at; }
    bool atEnd() const { return m_at == m_bytes.size(); }

private:
    QByteArrayView m_bytes;
    qsizetype m_at = 0;
};

} // namespace

Sha256::Sha256() : m_context(EVP_MD_CTX_new())
{
    EVP_DigestInit_ex(static_cast<EVP_MD_CTX *>(m_context), EVP_sha256(), nullptr);
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX *>(m_context));
}

void Sha256::addData(QByteArrayView bytes)
{
    EVP_DigestUpdate(static_cast<EVP_MD_CTX *>(m_context), bytes.data(), size_t(bytes.size()));
}

QByteArray Sha256::result()
{
    QByteArray out(32, Qt::Uninitialized);
    unsigned int length = 0;
    EVP_DigestFinal_ex(static_cast<EVP_MD_CTX *>(m_context), reinterpret_cast<unsigned char *>(out.data()), &length);
    EVP_DigestInit_ex(static_cast<EVP_MD_CTX *>(m_context), EVP_sha256(), nullptr);
    return out;
}

QByteArray Sha256::hash(QByteArrayView bytes)
{
    Sha256 h;
    h.addData(bytes);
    return h.result();
}

QByteArray chunkHash(QByteArrayView hashedHeader, QByteArrayView payload)
{
    Sha256 hash;
    hash.addData(hashedHeader);
    hash.addData(payload);
    return hash.result();
}

QByteArray encodeChunk(ChunkKind kind, quint32 sequence, const QByteArray &payload)
{
    QByteArray out;
    out.reserve(format::kChunkHeaderSize + payload.size());
    out.append(format::kChunkMagic, 4);
    put<quint8>(out, quint8(kind));
    put<quint8>(out, quint8(ChunkCodec::None));
    put<quint16>(out, 0);
    put<quint32>(out, sequence);
    put<quint64>(out, quint64(payload.size())); // stored
    put<quint64>(out, quint64(payload.size())); // raw: the same without a codec
    out.append(chunkHash(QByteArrayView(out), payload));
    out.append(payload);
    return out;
}

std::optional<ChunkHeader> decodeChunkHeader(QByteArrayView bytes)
{
    if (bytes.size() < format::kChunkHeaderSize || std::memcmp(bytes.data(), format::kChunkMagic, 4) != 0)
        return std::nullopt;
    Cursor c(bytes.sliced(4));
    ChunkHeader h;
    quint16 reserved = 0;
    QByteArrayView sha;
    c.get(h.kind);
    c.get(h.codec);
    c.get(reserved);
    c.get(h.sequence);
    c.get(h.storedSize);
    c.get(h.rawSize);
    c.getRaw(32, sha);
    h.sha256 = sha.toByteArray();
    return h;
}

void appendEventRecord(QByteArray &out, const RecordedEvent &event)
{
    const qsizetype sizeAt = out.size();
    put<quint32>(out, 0); // the record's size, filled in below
    putBytes(out, event.streamId);
    out.append(event.id.toRfc4122());
    put<quint64>(out, event.revision);
    put<quint64>(out, event.position.commit);
    put<quint64>(out, event.position.prepare);
    put<qint64>(out, event.createdTicks);
    putBytes(out, event.type);
    putBytes(out, event.contentType);
    putBytes(out, event.data);
    putBytes(out, event.metadata);
    qToLittleEndian(quint32(out.size() - sizeAt - 4), out.data() + sizeAt);
}

QString decodeEventRecords(QByteArrayView payload, const std::function<bool(RecordedEvent &&)> &onEvent)
{
    Cursor records(payload);
    for (quint64 n = 0; !records.atEnd(); ++n) {
        const qsizetype start = records.at();
        quint32 size = 0;
        QByteArrayView body;
        if (!records.get(size) || !records.getRaw(qsizetype(size), body))
            return QStringLiteral("record %1 at byte %2: its size runs past the chunk").arg(n).arg(start);
        Cursor c(body);
        RecordedEvent e;
        QByteArrayView id;
        const bool ok = c.getBytes(e.streamId) && c.getRaw(16, id) && c.get(e.revision) && c.get(e.position.commit)
            && c.get(e.position.prepare) && c.get(e.createdTicks) && c.getBytes(e.type) && c.getBytes(e.contentType)
            && c.getBytes(e.data) && c.getBytes(e.metadata) && c.atEnd();
        if (!ok)
            return QStringLiteral("record %1 at byte %2: its fields do not fill its %3 bytes")
                .arg(n)
                .arg(start)
                .arg(size);
        e.id = QUuid::fromRfc4122(id);
        if (!onEvent(std::move(e)))
            break;
    }
    return {};
}

std::optional<quint64> countEventRecords(QByteArrayView payload)
{
    Cursor records(payload);
    quint64 n = 0;
    while (!records.atEnd()) {
        quint32 size = 0;
        QByteArrayView body;
        if (!records.get(size) || !records.getRaw(qsizetype(size), body))
            return std::nullopt;
        ++n;
    }
    return n;
}

QByteArray signedMessage(const QByteArray &sha256Hex)
{
    return QByteArray(format::kSignaturePrefix) + sha256Hex;
}

} // namespace chronoscope::archive
