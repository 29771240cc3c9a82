#include "archive/ArchiveStreamSource.h"

#include "timeline/EventSource.h"
#include "timeline/LiveFeed.h"

#include <mutex>
#include <vector>

namespace chronoscope::archive {

struct ArchiveStreamSource::OrdinalMap
{
    std::mutex mutex;
    std::vector<quint64> archiveOrdinal; ///< by the stream's ordinal
};

namespace {

/// Payloads of the stream's ordinals: runs of consecutive archive ordinals fetched from the whole.
class StreamEventSource : public engine::EventSource
{
public:
    StreamEventSource(std::shared_ptr<engine::EventSource> whole, std::shared_ptr<ArchiveStreamSource::OrdinalMap> map)
        : m_whole(std::move(whole)), m_map(std::move(map))
    {}

    engine::FetchResult fetch(quint64 first, quint64 count) override
    {
        std::vector<quint64> wanted;
        {
            std::lock_guard<std::mutex> lock(m_map->mutex);
            const auto &all = m_map->archiveOrdinal;
            for (quint64 o = first; o < first + count && o < all.size(); ++o)
                wanted.push_back(all[o]);
        }
        engine::FetchResult result;
        for (size_t at = 0; at < wanted.size();) {
            size_t run = 1;
            while (at + run < wanted.size() && wanted[at + run] == wanted[at] + run)
                ++run;
            engine::FetchResult part = m_whole->fetch(wanted[at], run);
            result.events.append(std::move(part.events));
            if (!part.ok() || quint64(result.events.size()) < at + run) {
                result.error = part.ok() ? QStringLiteral("the archive ended before event %1").arg(wanted[at])
                                         : part.error;
                return result;
            }
            at += run;
        }
        return result;
    }

private:
    std::shared_ptr<engine::EventSource> m_whole;
    std::shared_ptr<ArchiveStreamSource::OrdinalMap> m_map;
};

} // namespace

ArchiveStreamSource::ArchiveStreamSource(std::shared_ptr<const ArchiveReader> reader, QByteArray stream)
    : m_whole(std::move(reader)), m_stream(std::move(stream)), m_map(std::make_shared<OrdinalMap>())
{}

ClientError ArchiveStreamSource::read(const BatchHandler &onBatch, const CancellationPtr &cancel, int batchSize)
{
    const std::shared_ptr<OrdinalMap> map = m_map;
    quint64 ordinal = 0; // in the archive
    bool more = true;
    const ClientError error = m_whole.read(
        [&](const QList<RecordedEvent> &batch) {
            QList<RecordedEvent> kept;
            {
                std::lock_guard<std::mutex> lock(map->mutex);
                for (const RecordedEvent &e : batch) {
                    if (e.streamId == m_stream) {
                        map->archiveOrdinal.push_back(ordinal);
                        kept.append(e);
                    }
                    ++ordinal;
                }
            }
            // Mapped before handed over: whatever the index holds can be fetched.
            if (!kept.isEmpty())
                more = onBatch(kept);
            return more;
        },
        cancel, batchSize);
    return error;
}

std::shared_ptr<engine::EventSource>
ArchiveStreamSource::eventSource(std::shared_ptr<const engine::TimelineIndex> index)
{
    m_map = std::make_shared<OrdinalMap>(); // a new load: a new map
    return std::make_shared<StreamEventSource>(m_whole.eventSource(std::move(index)), m_map);
}

std::unique_ptr<engine::LiveFeed> ArchiveStreamSource::follow(const engine::TimelineEnd &end)
{
    Q_UNUSED(end);
    return nullptr;
}

} // namespace chronoscope::archive
