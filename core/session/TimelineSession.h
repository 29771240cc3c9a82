#pragma once

#include "base/JobTracker.h"
#include "model/ClientError.h"
#include "model/ReadRequest.h"
#include "session/TimeCursor.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace chronoscope {

class StreamsClient;

namespace engine {
class IndexBatch;
class LiveFeed;
class PayloadCache;
class TimelineIndex;
class TimelineSource;
}

/// One loaded timeline — a stream, or `$all`, read from its start and then followed live — and the
/// time cursor over it: what the timeline, event list, inspector, state and diff panes share.
///
/// The events come from an engine::TimelineSource: a server (ServerTimelineSource, which
/// load(client, stream) makes), an archive, or memory. load() reads the source in a worker; each
/// batch is converted to the index's compact form there (engine::IndexBatch), posted back to this
/// (GUI) thread, appended to the index, and announced with grown() (at most once per
/// kGrowIntervalMs while loading), so views fill while a long stream loads.
/// Payloads are not kept by the index: panes fetch them by ordinal through payloads(), a bounded
/// cache in front of the source, usable from worker threads.
///
/// `$all` (allStream()) from a server is read with the system events (types starting with `$`)
/// filtered out, as the official UI shows it; its index holds each event's own stream and
/// revision, and its payloads are fetched again by commit position (engine::AllEventSource).
///
/// Live tail: once a load has caught up, and while followLive() is on (the default), the session
/// follows the timeline from the last loaded event when its source can (for a server, a catch-up
/// subscription: LiveTail): new events are appended in batches, at most one grown() per
/// engine::LiveFeed::kIntervalMs. Following ends on setFollowLive(false), cancel(), clear() and
/// another load(); when the source ends it (the stream was tombstoned, the server stayed gone past
/// Subscription's reconnections) liveEnded() says why, once, and followLive() turns off.
///
/// Each load makes a new index and cache: a worker still holding the previous ones (a fold, a
/// fetch) keeps them alive and valid, it only works on the old timeline until it notices.
class TimelineSession : public QObject
{
    Q_OBJECT
public:
    explicit TimelineSession(QObject *parent = nullptr);
    ~TimelineSession() override;

    /// The name load() takes for `$all`.
    static QByteArray allStream() { return QByteArrayLiteral("$all"); }
    /// What loading `stream` reads: `$all` without system events, or the stream (its links
    /// resolved when asked). Whoever reads the same events again (report verification) uses it too.
    static ReadRequest requestFor(const QByteArray &stream, bool resolveLinks = false);

    /// Drops the current timeline and starts loading every event of `source`, oldest first; with
    /// followLive() on, it is followed once loaded (when the source can follow live).
    /// A null source leaves an empty timeline, as clear() does.
    void load(std::shared_ptr<engine::TimelineSource> source);
    /// load() of `stream` (or of `$all`) on a server (a ServerTimelineSource). `resolveLinks` for
    /// link streams (`$ce-…`, `$et-…`): the index then holds the targets. Without a client or a
    /// stream, an empty timeline named `stream`.
    void load(std::shared_ptr<const StreamsClient> client, const QByteArray &stream, bool resolveLinks = false);
    /// Stops loading and following; what was loaded stays. Stopping a live tail turns followLive() off.
    void cancel();
    /// Drops the timeline (count 0).
    void clear();

    QByteArray stream() const { return m_stream; }
    /// The timeline is `$all`: ordinals are commit positions' order, revisions those of each
    /// event's own stream.
    bool isAll() const { return m_all; }
    /// Several streams may appear in the index (`$all`, resolved links): views show stream names.
    bool spansStreams() const { return isAll() || m_resolveLinks; }
    bool resolvesLinks() const { return m_resolveLinks; }
    bool isLoading() const { return m_loading; }

    /// Whether a loaded timeline is followed live (on by default). Turning it on while a timeline
    /// is loaded (and not loading) starts following from its last event — after a cancelled
    /// load, that catches up the rest.
    bool followsLive() const { return m_followLive; }
    void setFollowLive(bool on);
    /// The timeline is being followed live now (for a server: a subscription is running).
    bool isFollowing() const { return m_tail != nullptr; }
    /// The source of the timeline can follow it live (a server can, an archive cannot).
    bool canFollowLive() const;
    /// Where the timeline comes from; null when nothing was loaded.
    std::shared_ptr<engine::TimelineSource> source() const { return m_source; }
    /// The server the timeline comes from; null when it comes from elsewhere (or nowhere).
    std::shared_ptr<const StreamsClient> client() const;

    /// The index of the loaded events (this thread; see TimelineIndex for what other threads may read).
    const engine::TimelineIndex &index() const { return *m_index; }
    std::shared_ptr<const engine::TimelineIndex> sharedIndex() const { return m_index; }
    /// Payloads by ordinal; null when nothing was loaded. Thread-safe.
    std::shared_ptr<engine::PayloadCache> payloads() const { return m_payloads; }

    TimeCursor *cursor() { return &m_cursor; }
    const TimeCursor *cursor() const { return &m_cursor; }

    /// Events per posted batch.
    static constexpr int kBatchSize = 4096;
    /// While loading, grown() comes at most this often (the views repaint with it).
    static constexpr qint64 kGrowIntervalMs = 100;

Q_SIGNALS:
    /// A new timeline replaced the previous one (empty so far).
    void reset(const QByteArray &stream);
    /// Ordinals [from, to) were appended.
    void grown(quint64 from, quint64 to);
    /// Loading ended: `error` is empty on success, of kind Cancelled after cancel().
    void loadFinished(const chronoscope::ClientError &error);
    void loadingChanged(bool loading);
    void followLiveChanged(bool on);
    void followingChanged(bool following);
    /// The server ended the live tail (never emitted for cancel, clear, another load or
    /// setFollowLive(false)). followLive() is off by then.
    void liveEnded(const chronoscope::ClientError &error);

private:
    void setLoading(bool loading);
    void newTimeline(std::shared_ptr<engine::TimelineSource> source, const QByteArray &stream, bool all,
                     bool resolveLinks);
    void appendBatch(const QList<RecordedEvent> &batch);
    void appendIndexed(const engine::IndexBatch &batch);
    /// Emits grown() for what was appended since the last one.
    void announceGrowth();
    void startTail();
    void stopTail();
    void onTailEnded(const ClientError &error);

    TimeCursor m_cursor;
    std::shared_ptr<engine::TimelineSource> m_source;
    QByteArray m_stream;
    bool m_all = false;
    bool m_resolveLinks = false;
    bool m_loading = false;
    bool m_followLive = true;
    quint64 m_lastRevision = 0;               ///< of the last appended event, when there is one
    Position m_lastPosition;                  ///< likewise
    std::optional<quint64> m_unannouncedFrom; ///< first ordinal appended since the last grown()
    QElapsedTimer m_lastAnnounced;
    QTimer m_announceTimer;
    std::unique_ptr<engine::LiveFeed> m_tail;
    std::shared_ptr<engine::TimelineIndex> m_index;
    std::shared_ptr<engine::PayloadCache> m_payloads;
    JobTracker m_jobs{this}; // last: its destructor waits for the worker before the index goes
};

} // namespace chronoscope
