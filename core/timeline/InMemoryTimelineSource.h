#pragma once

#include "timeline/TimelineSource.h"

#include <chrono>
#include <memory>

namespace chronoscope::engine {

/// A timeline held in memory: events given up front, and appended later as if they had just been
/// written (live followers get them, later loads read them). For tests of everything above the
/// source — sessions, folds, views — without a server, and for timelines made in memory.
///
/// The events are taken as the index keeps them (see TimelineSource): in order, each with the
/// revision and position it has in the timeline. All members are thread-safe.
class InMemoryTimelineSource : public TimelineSource
{
public:
    struct Options
    {
        bool all = false;           ///< see TimelineSource::isAll()
        bool resolvesLinks = false; ///< see TimelineSource::resolvesLinks()
        bool live = true;           ///< follow() gives a feed; false: a source without a live tail
    };

    explicit InMemoryTimelineSource(QByteArray name, QList<RecordedEvent> events = {});
    InMemoryTimelineSource(QByteArray name, QList<RecordedEvent> events, const Options &options);
    ~InMemoryTimelineSource() override;

    /// Appends events, oldest first: the feeds following now hand them over as live events.
    void append(const QList<RecordedEvent> &events);
    /// Ends the feeds following now with `error`, as a server ends a subscription.
    void endLive(const ClientError &error);
    /// The events so far.
    QList<RecordedEvent> events() const;
    quint64 size() const;
    /// The feeds following now.
    int followers() const;

    /// A pause before each batch read() hands over, as a server's round trips take time.
    void setReadDelay(std::chrono::milliseconds delay);
    /// read() ends with `error` after handing everything over (none: it succeeds).
    void setReadError(const ClientError &error);

    QByteArray name() const override { return m_name; }
    bool isAll() const override { return m_options.all; }
    bool resolvesLinks() const override { return m_options.resolvesLinks; }
    ClientError read(const BatchHandler &onBatch, const CancellationPtr &cancel, int batchSize) override;
    std::shared_ptr<EventSource> eventSource(std::shared_ptr<const TimelineIndex> index) override;
    bool canFollowLive() const override { return m_options.live; }
    std::unique_ptr<LiveFeed> follow(const TimelineEnd &end) override;

    struct State; ///< the events and the feeds, shared with the fetchers and feeds it handed out

private:
    const QByteArray m_name;
    const Options m_options;
    std::shared_ptr<State> m_state;
};

} // namespace chronoscope::engine
