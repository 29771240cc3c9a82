#include "session/AllEventSource.h"

#include "client/StreamsClient.h"
#include "timeline/TimelineIndex.h"

#include <algorithm>

namespace chronoscope::engine {

AllEventSource::AllEventSource(const StreamsClient &client, const TimelineIndex &index,
                               std::optional<ReadFilter> filter, bool resolveLinks)
    : m_client(client), m_index(index), m_filter(std::move(filter)), m_resolveLinks(resolveLinks)
{
}

FetchResult AllEventSource::fetch(quint64 first, quint64 count)
{
    FetchResult result;
    if (first >= m_index.size() || count == 0)
        return result;
    count = std::min(count, m_index.size() - first);
    const quint64 from = m_index.commitPosition(first);
    ReadRequest request = ReadRequest::forAll().fromPosition(Position{from, from}).resolvingLinks(m_resolveLinks);
    if (m_filter)
        request.filtered(*m_filter);
    // Ask for a few more than needed: events the index skipped (none when the filters agree) are
    // passed over below.
    request.count(count + 64);
    result.events.reserve(qsizetype(count));
    quint64 ordinal = first;
    const auto gone = [&](quint64 o) {
        return QStringLiteral("$all: event at ordinal %1 (position %2) is no longer on the server")
            .arg(o)
            .arg(m_index.commitPosition(o));
    };
    const ReadSummary summary = m_client.read(request, [&](ResolvedEvent &&e) {
        if (!e.event && !e.link)
            return true;
        const quint64 commit = e.originalEvent().position.commit;
        const quint64 expected = m_index.commitPosition(ordinal);
        if (commit < expected)
            return true; // not in the index
        if (commit != expected) {
            result.error = gone(ordinal);
            return false;
        }
        // For a resolved link, the target (as StreamEventSource gives it).
        result.events.append(e.event ? std::move(*e.event) : std::move(*e.link));
        ++ordinal;
        return ordinal < first + count;
    });
    if (result.error.isEmpty() && summary.error.isError())
        result.error = QStringLiteral("$all: %1").arg(summary.error.toString());
    else if (result.error.isEmpty() && ordinal < first + count)
        result.error = gone(ordinal);
    return result;
}

} // namespace chronoscope::engine
