#include "timeline/InMemoryEventSource.h"

#include <algorithm>

namespace chronoscope::engine {

FetchResult InMemoryEventSource::fetch(quint64 first, quint64 count)
{
    FetchResult result;
    const quint64 size = quint64(m_events.size());
    if (first >= size)
        return result;
    const quint64 n = std::min(count, size - first);
    result.events = m_events.mid(qsizetype(first), qsizetype(n));
    return result;
}

} // namespace chronoscope::engine
