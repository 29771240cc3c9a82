#pragma once

#include "model/ClientError.h"
#include "model/Types.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

#include <mutex>
#include <optional>

namespace chronoscope::engine {

/// Events that follow a loaded timeline live (TimelineSource::follow()), handed to this object's
/// thread in batches, at most one batch per interval. A busy timeline thus costs one index append
/// and one repaint per interval, never one per event, and a quiet one shows a single new event at
/// once (the first event after a quiet interval is not held back).
///
/// A subclass produces: it calls enqueue() from any thread (a subscription's, a test's), and stops
/// its producer in its own destructor, so nothing is enqueued once this base is being destroyed.
/// Nothing is emitted after destruction.
class LiveFeed : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 100;

    explicit LiveFeed(int intervalMs = kIntervalMs, QObject *parent = nullptr);
    ~LiveFeed() override;

    int intervalMs() const { return m_intervalMs; }

Q_SIGNALS:
    /// New events, oldest first, in the form the index keeps (see TimelineSource).
    void appended(const QList<chronoscope::RecordedEvent> &events);
    /// Once, after the last appended(): why the feed ended (the stream was tombstoned, the server
    /// stayed unreachable, access was denied, …; an empty error when it just ended).
    void ended(const chronoscope::ClientError &error);

protected:
    /// Any thread: queues an event and/or the end, and wakes this object's thread once per batch.
    void enqueue(std::optional<RecordedEvent> event, std::optional<ClientError> end);
    /// Any thread: queues several events at once.
    void enqueue(const QList<RecordedEvent> &events);

private:
    /// Under m_mutex: wakes this thread unless a wake-up is already on its way.
    void wakeLocked();
    /// This thread: hands the batch over now, or when the interval since the last one has passed.
    void schedule();
    void flush();

    const int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_sinceFlush;
    bool m_ended = false;

    std::mutex m_mutex; // guards the three below, shared with the producing thread
    QList<RecordedEvent> m_pending;
    std::optional<ClientError> m_end;
    bool m_woken = false; ///< a schedule() is queued or a flush is due: no need to wake again
};

} // namespace chronoscope::engine
