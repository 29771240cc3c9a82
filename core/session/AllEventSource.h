#pragma once

#include "model/ReadRequest.h"
#include "timeline/EventSource.h"

#include <optional>

namespace chronoscope {
class StreamsClient;
}

namespace chronoscope::engine {

class TimelineIndex;

/// Payloads of a `$all` slice read back from the server: ordinal → commit position through the
/// index, then a forward `$all` read from that position with the filter that filled the index (a
/// category of streams, some event types, …), so ordinals and events line up one to one. The
/// position is sent with prepare = commit, which is what every event outside a legacy
/// transaction has. Events the server no longer has (scavenged, deleted streams) give an error
/// naming the ordinal and position, never a silently shorter timeline.
class AllEventSource : public EventSource
{
public:
    /// `client` and `index` must outlive the source. `filter` and `resolveLinks` as the read that
    /// filled the index.
    AllEventSource(const StreamsClient &client, const TimelineIndex &index, std::optional<ReadFilter> filter = {},
                   bool resolveLinks = false);

    FetchResult fetch(quint64 first, quint64 count) override;

private:
    const StreamsClient &m_client;
    const TimelineIndex &m_index;
    std::optional<ReadFilter> m_filter;
    bool m_resolveLinks;
};

} // namespace chronoscope::engine
