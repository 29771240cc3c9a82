#include "session/StreamEventSource.h"

#include "client/StreamsClient.h"
#include "timeline/TimelineIndex.h"

#include <algorithm>

namespace chronoscope::engine {

StreamEventSource::StreamEventSource(const StreamsClient &client, QByteArray stream, const TimelineIndex &index,
                                     bool resolveLinks)
    : m_client(client), m_stream(std::move(stream)), m_index(index), m_resolveLinks(resolveLinks)
{
}

FetchResult StreamEventSource::fetch(quint64 first, quint64 count)
{
    FetchResult result;
    if (first >= m_index.size() || count == 0)
        return result;
    count = std::min(count, m_index.size() - first);
    const quint64 fromRevision = m_index.revision(first);
    // Ask for the whole revision span: the index may come from a filtered read that skipped some.
    const quint64 lastRevision = m_index.revision(first + count - 1);
    const quint64 span = lastRevision >= fromRevision ? lastRevision - fromRevision + 1 : count;
    const ReadRequest request = ReadRequest::forStream(m_stream)
                                    .fromRevision(fromRevision)
                                    .count(std::max(span, count))
                                    .resolvingLinks(m_resolveLinks);
    result.events.reserve(qsizetype(count));
    quint64 ordinal = first;
    const ReadSummary summary = m_client.read(request, [&](ResolvedEvent &&e) {
        if (!e.event && !e.link)
            return true;
        const quint64 revision = e.originalEvent().revision;
        // Revisions can skip (the index may come from a filtered read): drop what the index lacks.
        if (revision < m_index.revision(ordinal))
            return true;
        if (revision != m_index.revision(ordinal)) {
            result.error = QStringLiteral("stream %1: event at ordinal %2 (revision %3) is no longer on the server")
                               .arg(QString::fromUtf8(m_stream))
                               .arg(ordinal)
                               .arg(m_index.revision(ordinal));
            return false;
        }
        result.events.append(e.event ? std::move(*e.event) : std::move(*e.link));
        ++ordinal;
        return ordinal < first + count;
    });
    if (result.error.isEmpty() && summary.error.isError())
        result.error = QStringLiteral("stream %1: %2").arg(QString::fromUtf8(m_stream), summary.error.toString());
    else if (result.error.isEmpty() && ordinal < first + count)
        result.error = QStringLiteral("stream %1: %2 events from revision %3 are no longer on the server")
                           .arg(QString::fromUtf8(m_stream))
                           .arg(first + count - ordinal)
                           .arg(m_index.revision(ordinal));
    return result;
}

} // namespace chronoscope::engine
