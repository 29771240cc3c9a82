#pragma once

#include "timeline/EventSource.h"

namespace chronoscope::engine {

/// Events held in memory: for tests, benchmarks, archives loaded whole and what-if timelines.
class InMemoryEventSource : public EventSource
{
public:
    InMemoryEventSource() = default;
    explicit InMemoryEventSource(QList<RecordedEvent> events) : m_events(std::move(events)) {}

    void append(const RecordedEvent &event) { m_events.append(event); }
    void append(RecordedEvent &&event) { m_events.append(std::move(event)); }
    void reserve(qsizetype n) { m_events.reserve(n); }
    quint64 size() const { return quint64(m_events.size()); }
    const RecordedEvent &at(quint64 ordinal) const { return m_events.at(qsizetype(ordinal)); }

    FetchResult fetch(quint64 first, quint64 count) override;

private:
    QList<RecordedEvent> m_events;
};

} // namespace chronoscope::engine
