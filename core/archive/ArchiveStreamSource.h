#pragma once

#include "archive/ArchiveTimelineSource.h"

#include <memory>

namespace chronoscope::archive {

/// One stream of an archive that holds several (an archive of `$all`), as a timeline of its own:
/// the archive's intact prefix read through, keeping that stream's events. Its ordinals are its
/// own (0, 1, 2… over the stream's events); payloads are fetched from the archive through a map to
/// the archive's ordinals that each load builds as it reads. Offline, no live tail.
class ArchiveStreamSource : public engine::TimelineSource
{
public:
    ArchiveStreamSource(std::shared_ptr<const ArchiveReader> reader, QByteArray stream);

    QByteArray name() const override { return m_stream; }
    bool isAll() const override { return false; }
    bool resolvesLinks() const override { return false; }
    ClientError read(const BatchHandler &onBatch, const CancellationPtr &cancel, int batchSize) override;
    std::shared_ptr<engine::EventSource> eventSource(std::shared_ptr<const engine::TimelineIndex> index) override;
    bool canFollowLive() const override { return false; }
    std::unique_ptr<engine::LiveFeed> follow(const engine::TimelineEnd &end) override;

    struct OrdinalMap; ///< the stream's ordinals → the archive's, filled by read()

private:
    ArchiveTimelineSource m_whole;
    const QByteArray m_stream;
    std::shared_ptr<OrdinalMap> m_map; ///< of the current load (eventSource() makes a new one)
};

} // namespace chronoscope::archive
