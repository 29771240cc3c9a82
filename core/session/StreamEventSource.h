#pragma once

#include "timeline/EventSource.h"

namespace chronoscope {
class StreamsClient;
}

namespace chronoscope::engine {

class TimelineIndex;

/// Payloads of one stream read back from the server: ordinal → revision through the index, then a
/// forward read of `count` events from that revision. Events the server no longer has (scavenged,
/// truncated) give an error naming the ordinal and revision instead of a silently shorter timeline.
class StreamEventSource : public EventSource
{
public:
    /// `client` and `index` must outlive the source. `resolveLinks` as the read that filled the index.
    StreamEventSource(const StreamsClient &client, QByteArray stream, const TimelineIndex &index,
                      bool resolveLinks = false);

    FetchResult fetch(quint64 first, quint64 count) override;

private:
    const StreamsClient &m_client;
    QByteArray m_stream;
    const TimelineIndex &m_index;
    bool m_resolveLinks;
};

} // namespace chronoscope::engine
