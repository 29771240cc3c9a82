#pragma once

#include "archive/ArchiveFormat.h"
#include "base/Cancellation.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>

class QSaveFile;

namespace chronoscope::engine {
class TimelineSource;
}

namespace chronoscope::archive {

/// Writes an archive (docs/ARCHIVE-FORMAT.md), front to back, whole or not at all: the bytes go to a
/// temporary file beside `path` (QSaveFile) that replaces `path` only when finish() succeeds. A writer
/// destroyed or cancelled before finish() leaves `path` as it was. One thread at a time.
class ArchiveWriter
{
public:
    struct Options
    {
        int chunkEvents = 4096;                 ///< a chunk closes at this many events…
        qsizetype chunkBytes = 4 * 1024 * 1024; ///< …or this many payload bytes, whichever first
        Signer signer;                          ///< none: the archive is not signed
    };

    /// What was exported from where and when, for the manifest; `connection` must already be
    /// redacted (ConnectionSettings::toRedactedString()). `extra` keys are added as they are.
    struct Provenance
    {
        QString connection;
        QString stream; ///< a stream name, `$all`, or what the selection is drawn from
        QString selection;
        bool isAll = false;
        bool resolvesLinks = false;
        QString createdBy;
        QJsonObject extra;
    };

    ArchiveWriter(QString path, Provenance provenance, Options options);
    ArchiveWriter(QString path, Provenance provenance);
    ~ArchiveWriter();
    ArchiveWriter(const ArchiveWriter &) = delete;
    ArchiveWriter &operator=(const ArchiveWriter &) = delete;

    /// Opens the temporary file and writes the header and the manifest. False with error() set.
    bool open();
    /// Adds events in timeline order. False with error() set (the writer is then dead).
    bool add(const RecordedEvent &event);
    bool add(const QList<RecordedEvent> &events);
    /// Writes the index, the footer (whole-file SHA-256, the signature) and the trailer, and puts
    /// the file in place. False with error() set, and nothing in place.
    bool finish();
    /// Drops everything written; `path` is left as it was.
    void cancel();

    QString error() const { return m_error; }
    quint64 eventCount() const { return m_eventCount; }
    qint64 bytesWritten() const { return m_offset; }
    /// The whole-file SHA-256 (hex) once finished.
    QByteArray sha256() const { return m_sha256Hex; }

    /// Called after each batch with the events written so far; returning false cancels.
    using Progress = std::function<bool(quint64 events)>;
    /// Which events of the read go into the archive; Stop ends the read (the archive holds what was taken).
    enum class Verdict { Skip, Take, Stop };
    using Filter = std::function<Verdict(const RecordedEvent &event)>;
    /// Reads `source` from the start into an archive at `path` (the provenance's isAll and
    /// resolvesLinks taken from the source), every event or those `filter` takes. An error message,
    /// empty when written; "cancelled" after `cancel` or `progress` said stop (then nothing is written).
    static QString write(engine::TimelineSource &source, const QString &path, Provenance provenance,
                         const Options &options, const CancellationPtr &cancel = {}, const Progress &progress = {},
                         const Filter &filter = {});

private:
    bool writeChunk(ChunkKind kind, const QByteArray &payload);
    bool flushEvents();
    bool fail(const QString &error);

    struct ChunkEntry;
    struct StreamEntry;
    struct State;

    const QString m_path;
    const Provenance m_provenance;
    const Options m_options;
    std::unique_ptr<State> m_state;
    QString m_error;
    quint64 m_eventCount = 0;
    qint64 m_offset = 0;
    quint32 m_sequence = 0;
    QByteArray m_sha256Hex;
};

} // namespace chronoscope::archive
