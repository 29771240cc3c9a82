#include "timeline/InMemoryTimelineSource.h"

#include "timeline/EventSource.h"
#include "timeline/LiveFeed.h"

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

namespace chronoscope::engine {

namespace {
class Feed;
}

struct InMemoryTimelineSource::State
{
    mutable std::mutex mutex; // guards all below; taken before a feed's own lock
    QList<RecordedEvent> events;
    std::vector<Feed *> feeds;
    std::chrono::milliseconds readDelay{0};
    ClientError readError;
};

namespace {

/// A feed of the events appended after the end it started from.
class Feed : public LiveFeed
{
public:
    Feed(std::shared_ptr<InMemoryTimelineSource::State> state, quint64 from) : m_state(std::move(state))
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        const auto size = quint64(m_state->events.size());
        if (from < size) // a catch-up, as a subscription's
            enqueue(m_state->events.mid(qsizetype(from)));
        m_state->feeds.push_back(this);
    }
    ~Feed() override
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        m_state->feeds.erase(std::find(m_state->feeds.begin(), m_state->feeds.end(), this));
    }
    // Under the state's lock.
    void push(const QList<RecordedEvent> &events) { enqueue(events); }
    void end(const ClientError &error) { enqueue(std::nullopt, error); }

private:
    std::shared_ptr<InMemoryTimelineSource::State> m_state;
};

/// Payloads by ordinal, from the events as they are when fetched.
class StateEventSource : public EventSource
{
public:
    explicit StateEventSource(std::shared_ptr<const InMemoryTimelineSource::State> state) : m_state(std::move(state)) {}
    FetchResult fetch(quint64 first, quint64 count) override
    {
        QList<RecordedEvent> events;
        {
            std::lock_guard<std::mutex> lock(m_state->mutex);
            events = m_state->events; // shared, not copied
        }
        FetchResult result;
        const auto size = quint64(events.size());
        if (first < size)
            result.events = events.mid(qsizetype(first), qsizetype(std::min(count, size - first)));
        return result;
    }

private:
    std::shared_ptr<const InMemoryTimelineSource::State> m_state;
};

} // namespace

InMemoryTimelineSource::InMemoryTimelineSource(QByteArray name, QList<RecordedEvent> events)
    : InMemoryTimelineSource(std::move(name), std::move(events), Options())
{}

InMemoryTimelineSource::InMemoryTimelineSource(QByteArray name, QList<RecordedEvent> events, const Options &options)
    : m_name(std::move(name)), m_options(options), m_state(std::make_shared<State>())
{
    m_state->events = std::move(events);
}

InMemoryTimelineSource::~InMemoryTimelineSource() = default;

void InMemoryTimelineSource::append(const QList<RecordedEvent> &events)
{
    std::lock_guard<std::mutex> lock(m_state->mutex);
    m_state->events.append(events);
    for (Feed *feed : m_state->feeds)
        feed->push(events);
}

void InMemoryTimelineSource::endLive(const ClientError &error)
{
    std::lock_guard<std::mutex> lock(m_state->mutex);
    for (Feed *feed : m_state->feeds)
        feed->end(error);
}

QList<RecordedEvent> InMemoryTimelineSource::events() const
{
    std::lock_guard<std::mutex> lock(m_state->mutex);
    return m_state->events;
}

quint64 InMemoryTimelineSource::size() const
{
    std::lock_guard<std::mutex> lock(m_state->mutex);
    return quint64(m_state->events.size());
}

int InMemoryTimelineSource::followers() const
{
    std::lock_guard<std::mutex> lock(m_state->mutex);
    return int(m_state->feeds.size());
}

void InMemoryTimelineSource::setReadDelay(std::chrono::milliseconds delay)
{
    std::lock_guard<std::mutex> lock(m_state->mutex);
    m_state->readDelay = delay;
}

void InMemoryTimelineSource::setReadError(const ClientError &error)
{
    std::lock_guard<std::mutex> lock(m_state->mutex);
    m_state->readError = error;
}

ClientError InMemoryTimelineSource::read(const BatchHandler &onBatch, const CancellationPtr &cancel, int batchSize)
{
    QList<RecordedEvent> events;
    std::chrono::milliseconds delay;
    ClientError error;
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        events = m_state->events; // what a read from the start sees now
        delay = m_state->readDelay;
        error = m_state->readError;
    }
    const auto cancelled = [&]() { return cancel && cancel->isCancelled(); };
    const qsizetype step = std::max(1, batchSize);
    for (qsizetype at = 0; at < events.size(); at += step) {
        // Waits in slices, so that a cancel is noticed as soon as a server read would notice it.
        for (auto waited = std::chrono::milliseconds(0); waited < delay && !cancelled();
             waited += std::chrono::milliseconds(5))
            std::this_thread::sleep_for(std::min(std::chrono::milliseconds(5), delay - waited));
        if (cancelled())
            break;
        if (!onBatch(events.mid(at, step)))
            return {};
    }
    if (cancelled()) {
        ClientError e;
        e.kind = ClientError::Kind::Cancelled;
        e.message = QStringLiteral("the read was cancelled");
        return e;
    }
    return error;
}

std::shared_ptr<EventSource> InMemoryTimelineSource::eventSource(std::shared_ptr<const TimelineIndex> index)
{
    Q_UNUSED(index); // ordinals are positions in the list
    return std::make_shared<StateEventSource>(m_state);
}

std::unique_ptr<LiveFeed> InMemoryTimelineSource::follow(const TimelineEnd &end)
{
    if (!m_options.live)
        return nullptr;
    return std::make_unique<Feed>(m_state, end.count);
}

} // namespace chronoscope::engine
