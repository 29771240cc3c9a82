#pragma once

#include "ClientError.h"
#include "JobTracker.h"
#include "TimeCursor.h"

#include <QObject>

#include <memory>

namespace chronoscope {

class StreamsClient;

namespace engine {
class PayloadCache;
class TimelineIndex;
}

/// One loaded timeline — today a stream read from its start — and the time cursor over it: what
/// the timeline, event list, inspector, state and diff panes share.
///
/// load() reads the stream in a worker; batches of events are posted back to this (GUI) thread,
/// appended to the index, and announced with grown(), so views fill while a long stream loads.
/// Payloads are not kept by the index: panes fetch them by ordinal through payloads(), a bounded
/// cache in front of the server, usable from worker threads.
///
/// Each load makes a new index and cache: a worker still holding the previous ones (a fold, a
/// fetch) keeps them alive and valid, it only works on the old timeline until it notices.
class TimelineSession : public QObject
{
    Q_OBJECT
public:
    explicit TimelineSession(QObject *parent = nullptr);
    ~TimelineSession() override;

    /// Drops the current timeline and starts loading every event of `stream`, oldest first.
    /// `resolveLinks` for link streams (`$ce-…`, `$et-…`): the index then holds the targets.
    void load(std::shared_ptr<const StreamsClient> client, const QByteArray &stream, bool resolveLinks = false);
    /// Stops loading; what was loaded stays.
    void cancel();
    /// Drops the timeline (count 0).
    void clear();

    QByteArray stream() const { return m_stream; }
    bool resolvesLinks() const { return m_resolveLinks; }
    bool isLoading() const { return m_loading; }
    std::shared_ptr<const StreamsClient> client() const { return m_client; }

    /// The index of the loaded events (this thread; see TimelineIndex for what other threads may read).
    const engine::TimelineIndex &index() const { return *m_index; }
    std::shared_ptr<const engine::TimelineIndex> sharedIndex() const { return m_index; }
    /// Payloads by ordinal; null when nothing was loaded. Thread-safe.
    std::shared_ptr<engine::PayloadCache> payloads() const { return m_payloads; }

    TimeCursor *cursor() { return &m_cursor; }
    const TimeCursor *cursor() const { return &m_cursor; }

    /// Events per posted batch.
    static constexpr int kBatchSize = 4096;

Q_SIGNALS:
    /// A new timeline replaced the previous one (empty so far).
    void reset(const QByteArray &stream);
    /// Ordinals [from, to) were appended.
    void grown(quint64 from, quint64 to);
    /// Loading ended: `error` is empty on success, of kind Cancelled after cancel().
    void loadFinished(const chronoscope::ClientError &error);
    void loadingChanged(bool loading);

private:
    void setLoading(bool loading);
    void newTimeline(std::shared_ptr<const StreamsClient> client, const QByteArray &stream, bool resolveLinks);

    TimeCursor m_cursor;
    std::shared_ptr<const StreamsClient> m_client;
    QByteArray m_stream;
    bool m_resolveLinks = false;
    bool m_loading = false;
    std::shared_ptr<engine::TimelineIndex> m_index;
    std::shared_ptr<engine::PayloadCache> m_payloads;
    JobTracker m_jobs{this}; // last: its destructor waits for the worker before the index goes
};

} // namespace chronoscope
