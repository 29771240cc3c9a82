#pragma once

#include "model/ClientError.h"
#include "model/ReadRequest.h"
#include "model/Types.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

#include <memory>
#include <mutex>
#include <optional>

namespace chronoscope {

class StreamsClient;
class Subscription;

/// Follows a stream or `$all` live: a catch-up subscription (`request`, usually from the last
/// event a timeline loaded) whose events reach this object's thread in batches, at most one batch
/// per interval. A busy stream thus costs one index append and one repaint per interval, never one
/// per event, and a quiet one shows a single new event at once (the first event after a quiet
/// interval is not held back).
///
/// Events are converted as TimelineIndexLoader converts a read (resolved links: the target at the
/// link's place), so a tail continues the loaded index seamlessly. Destroying the object ends the
/// subscription; nothing is emitted after that.
class LiveTail : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 100;

    LiveTail(std::shared_ptr<const StreamsClient> client, const ReadRequest &request,
             int intervalMs = kIntervalMs, QObject *parent = nullptr);
    ~LiveTail() override;

Q_SIGNALS:
    /// New events, oldest first.
    void appended(const QList<chronoscope::RecordedEvent> &events);
    /// Once, after the last appended(): why the subscription ended (the stream was tombstoned, the
    /// server stayed unreachable past Subscription's reconnections, access was denied, …).
    void ended(const chronoscope::ClientError &error);

private:
    /// Subscription thread: queues what arrived and wakes this thread once per batch.
    void enqueue(std::optional<RecordedEvent> event, std::optional<ClientError> end);
    /// This thread: hands the batch over now, or when the interval since the last one has passed.
    void schedule();
    void flush();

    std::shared_ptr<const StreamsClient> m_client;
    const int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_sinceFlush;
    bool m_ended = false;

    std::mutex m_mutex; // guards the three below, shared with the subscription thread
    QList<RecordedEvent> m_pending;
    std::optional<ClientError> m_end;
    bool m_woken = false; ///< a schedule() is queued or a flush is due: no need to wake again

    std::unique_ptr<Subscription> m_subscription; // last: destroyed (joined) before the rest
};

} // namespace chronoscope
