#pragma once

#include "archive/ArchiveReader.h"
#include "timeline/TimelineSource.h"

#include <memory>

namespace chronoscope::archive {

/// An archive opened as a timeline (core/timeline/TimelineSource.h): the window and chronoscope-cli
/// load it as they load a server's stream. It holds the events before the first damaged events chunk
/// (a timeline with a hole would fold to states that never were; ArchiveReader gives the rest), has
/// no live tail, and reads payloads by ordinal from the mapped file, a chunk at a time.
class ArchiveTimelineSource : public engine::TimelineSource
{
public:
    /// An archive already opened (its damage and verification are the reader's to report).
    explicit ArchiveTimelineSource(std::shared_ptr<const ArchiveReader> reader);
    /// Opens `path`; null with `error` set when it is not a readable archive.
    static std::shared_ptr<ArchiveTimelineSource> open(const QString &path, const SignatureCheck &check,
                                                       QString *error);
    /// Opens `path` by its index (ArchiveReader::OpenMode::ByIndex), for a window to show its first events
    /// at once: read() checks each events chunk before it gives its events, and ends with an error naming
    /// the first damaged one (its sequence and offset) after the events before it; a payload fetch checks a
    /// chunk the read has not reached yet, and refuses a damaged one's events. The reader's state
    /// (hashes, signature) is then unknown: verify the file with a Verify open in a worker for that.
    static std::shared_ptr<ArchiveTimelineSource> openByIndex(const QString &path, const SignatureCheck &check,
                                                              QString *error);

    const ArchiveReader &reader() const { return *m_reader; }
    /// The events a load gives: the intact prefix.
    quint64 size() const { return m_count; }

    /// The manifest's stream (a stream name, `$all`), else the file's name.
    QByteArray name() const override;
    bool isAll() const override;
    bool resolvesLinks() const override;
    ClientError read(const BatchHandler &onBatch, const CancellationPtr &cancel, int batchSize) override;
    std::shared_ptr<engine::EventSource> eventSource(std::shared_ptr<const engine::TimelineIndex> index) override;
    bool canFollowLive() const override { return false; }
    std::unique_ptr<engine::LiveFeed> follow(const engine::TimelineEnd &end) override;

    class ChunkChecks;

private:
    std::shared_ptr<const ArchiveReader> m_reader;
    qsizetype m_chunks = 0; ///< the events chunks of the prefix
    quint64 m_count = 0;
    std::shared_ptr<ChunkChecks> m_checks; ///< shared with the payloads' EventSource
};

} // namespace chronoscope::archive
