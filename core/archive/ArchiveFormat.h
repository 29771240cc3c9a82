#pragma once

#include "model/Types.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace chronoscope::archive {

/// The constants and byte encodings of an archive file, version 1: docs/ARCHIVE-FORMAT.md is the
/// specification, and this file its one implementation (ArchiveWriter writes, ArchiveReader reads).
namespace format {
inline constexpr char kFileMagic[] = "CHRONARC"; ///< 8 bytes at offset 0
inline constexpr char kEndMagic[] = "CHRNEND1";  ///< the last 8 bytes
inline constexpr char kChunkMagic[] = "CHNK";    ///< 4 bytes opening every chunk
inline constexpr quint32 kVersion = 1;
inline constexpr qint64 kFileHeaderSize = 16;
inline constexpr qint64 kTrailerSize = 16;
inline constexpr qint64 kChunkHeaderSize = 60;
inline constexpr qint64 kChunkHashedHeaderSize = 28; ///< the header bytes before its SHA-256
/// What the signature signs: this, then the 64 hex characters of the file's SHA-256.
inline constexpr char kSignaturePrefix[] = "chronoscope-archive-v1\n";
} // namespace format

enum class ChunkKind : quint8 { Manifest = 1, Events = 2, Index = 3, Footer = 4 };
enum class ChunkCodec : quint8 { None = 0, Zstd = 1 }; ///< Zstd: reserved (format 1.1)

/// A chunk header as read from a file.
struct ChunkHeader
{
    quint8 kind = 0;
    quint8 codec = 0;
    quint32 sequence = 0;
    quint64 storedSize = 0;
    quint64 rawSize = 0;
    QByteArray sha256; ///< raw 32 bytes
};

/// SHA-256 through OpenSSL (its SHA extensions where the CPU has them: several times QCryptographicHash's
/// speed, which bounds how fast an archive opens, as every byte is hashed).
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;
    void addData(QByteArrayView bytes);
    QByteArray result(); ///< raw 32 bytes; the hash is then reset
    static QByteArray hash(QByteArrayView bytes);

private:
    void *m_context;
};

/// A whole chunk (header and payload), its SHA-256 computed.
QByteArray encodeChunk(ChunkKind kind, quint32 sequence, const QByteArray &payload);
/// The header at the start of `bytes` (at least kChunkHeaderSize of them); none if the magic is wrong.
std::optional<ChunkHeader> decodeChunkHeader(QByteArrayView bytes);
/// The SHA-256 a chunk's header must carry: of its first 28 header bytes and its stored payload.
QByteArray chunkHash(QByteArrayView hashedHeader, QByteArrayView payload);

/// Appends one event's record to `out`.
void appendEventRecord(QByteArray &out, const RecordedEvent &event);
/// Walks the records of an events chunk's payload: `onEvent` gets each one decoded (return false to
/// stop). Returns an error ("record 12 at byte 4711: …") when a record does not parse.
QString decodeEventRecords(QByteArrayView payload, const std::function<bool(RecordedEvent &&)> &onEvent);
/// The number of records in an events payload, walking their sizes only; none if they do not add up.
std::optional<quint64> countEventRecords(QByteArrayView payload);

/// The bytes a signature signs for a file whose SHA-256 (lowercase hex) is `sha256Hex`.
QByteArray signedMessage(const QByteArray &sha256Hex);

/// Signing and checking are given to archives from above (core/report/ArchiveSigning.h: Ed25519 with
/// the report signing key), as archive/ sits below report/.
struct SignatureValue
{
    QByteArray publicKey; ///< raw 32 bytes
    QByteArray value;     ///< raw 64 bytes
};
using Signer = std::function<std::optional<SignatureValue>(const QByteArray &message, QString *error)>;
using SignatureCheck =
    std::function<bool(const QByteArray &publicKey, const QByteArray &message, const QByteArray &signature)>;

} // namespace chronoscope::archive
