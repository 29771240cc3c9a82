#pragma once

#include "archive/ArchiveFormat.h"

#include <QFile>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace chronoscope::archive {

/// A part of an archive that could not be read: which chunk (as expected there), where, and why.
struct ArchiveDamage
{
    qint64 sequence = -1; ///< the chunk's sequence as expected at that place; -1 for the trailer/file
    qint64 offset = 0;    ///< where the damaged part starts in the file
    qint64 size = 0;      ///< how many bytes it spans (up to the next readable chunk or the end)
    QString reason;
    QString describe() const;
};

/// One events chunk that was read intact: its events are ordinals [firstOrdinal, firstOrdinal + count).
struct ArchiveEventChunk
{
    quint32 sequence = 0;
    qint64 offset = 0; ///< the chunk header's
    qint64 payloadOffset = 0;
    qint64 payloadSize = 0;
    quint64 firstOrdinal = 0; ///< counted over the intact chunks, in file order
    quint64 count = 0;
    bool afterDamage = false; ///< a damaged events chunk comes before it (there is a hole)
};

/// Opens an archive (docs/ARCHIVE-FORMAT.md) and checks all of it: every chunk's SHA-256, the
/// whole file's against the footer, and the signature when there is one. A damaged or truncated
/// archive still opens: every damaged part is reported with its offset, and the intact chunks are
/// read. The file is memory-mapped; decoding is const and safe from several threads at once.
class ArchiveReader
{
public:
    ArchiveReader();
    ~ArchiveReader();
    ArchiveReader(const ArchiveReader &) = delete;
    ArchiveReader &operator=(const ArchiveReader &) = delete;

    /// Verify: every chunk's SHA-256 and the whole file's are checked before open() returns (the file is
    /// read once, hashed twice). ByIndex: only the manifest, index and footer chunks are checked and
    /// the events chunks are taken from the index, so a 1M-event archive opens at once; each events
    /// chunk is then checked when it is read (checkChunk(); ArchiveTimelineSource does), and whoever
    /// shows the archive's state verifies it whole with a Verify open of its own, in a worker. A file
    /// whose trailer, footer, index or manifest is not intact is opened as with Verify.
    enum class OpenMode { Verify, ByIndex };
    /// Opens and checks `path`. False (error() set) only when it is not a readable archive at all:
    /// missing, unreadable, not one, or a version this reader does not know. `check` verifies the
    /// signature (core/report/ArchiveSigning.h); without it a signature is reported unchecked.
    bool open(const QString &path, const SignatureCheck &check = {}, OpenMode mode = OpenMode::Verify);
    /// Every chunk and the whole file were checked at open (false after a ByIndex open that did not fall back).
    bool verified() const { return m_verified; }
    /// Checks events chunk `chunk` (index into eventChunks()): its header is where and what the index
    /// says, its SHA-256 matches and its records add up. None when it holds, else what is damaged.
    std::optional<ArchiveDamage> checkChunk(qsizetype chunk) const;
    QString error() const { return m_error; }
    QString path() const { return m_path; }

    QJsonObject manifest() const { return m_manifest; }
    QJsonObject index() const { return m_index; } ///< empty when its chunk is damaged or missing
    QJsonObject footer() const { return m_footer; }

    /// Every damaged part, in file order (empty: all chunks intact and the trailer in place).
    const QList<ArchiveDamage> &damage() const { return m_damage; }
    /// The file ends before its trailer (cut off, or never finished).
    bool truncated() const { return m_truncated; }
    /// The whole-file SHA-256 matches the footer's (false when either is missing or damaged).
    bool hashVerified() const { return m_hashVerified; }
    bool isSigned() const { return !m_signature.isEmpty(); }
    /// The signature holds over the footer's hash, and that hash is the file's.
    bool signatureVerified() const { return m_signatureVerified; }
    /// The signer's public key (raw) and its fingerprint (hex SHA-256), when signed.
    QByteArray signerPublicKey() const { return m_signerKey; }
    QString signerFingerprint() const;
    /// No damage, the file hash verified, and the signature verified when there is one.
    bool intact() const;
    /// One line for banners and messages: "verified, signed by 3fa2…" / "damaged: chunk 4 at offset …".
    QString summary() const;

    /// The intact events chunks in file order.
    const QList<ArchiveEventChunk> &eventChunks() const { return m_chunks; }
    /// Events in intact chunks.
    quint64 eventCount() const;
    /// Events before the first damaged events chunk: the consistent prefix a timeline opens.
    quint64 prefixEventCount() const;
    /// The events the footer says the archive holds (0 when the footer is unreadable).
    quint64 declaredEventCount() const;

    /// The events of one intact chunk (index into eventChunks()), decoded. Empty with `error` set
    /// when they do not decode (a chunk whose hash matched: written wrong, not damaged).
    QList<RecordedEvent> readChunk(qsizetype chunk, QString *error = nullptr) const;
    /// The index into eventChunks() of the chunk holding `ordinal`; -1 past the end.
    qsizetype chunkOf(quint64 ordinal) const;

private:
    void scan();
    bool openByIndex(); ///< false, nothing changed, when the footer, index or manifest is not intact
    void checkFooter(const SignatureCheck &check);
    QByteArrayView bytes(qint64 offset, qint64 size) const;
    static QJsonObject jsonObject(QByteArrayView payload);

    QString m_path;
    QString m_error;
    QFile m_file;
    const uchar *m_map = nullptr;
    qint64 m_size = 0;
    QJsonObject m_manifest, m_index, m_footer;
    QList<ArchiveDamage> m_damage;
    QList<ArchiveEventChunk> m_chunks;
    qint64 m_footerOffset = -1;
    QByteArray m_wholeHash; ///< SHA-256 of [0, m_wholeHashedTo), taken during the scan
    qint64 m_wholeHashedTo = -1;
    bool m_truncated = false;
    bool m_verified = false;
    bool m_hashVerified = false;
    bool m_signatureVerified = false;
    QByteArray m_signature, m_signerKey;
};

} // namespace chronoscope::archive
