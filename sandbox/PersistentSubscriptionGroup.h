#pragma once

#include <QDateTime>

#include "EventStore.h"
#include "FilterMatcher.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope::sandbox {

/// The settings of a subscription group, with the real server's defaults
/// (docs/PERSISTENT-SUBSCRIPTIONS.md lists them with their source).
struct PersistentSettings
{
    bool resolveLinks = false;
    bool extraStatistics = false;
    int messageTimeoutMs = 30000;
    int maxRetryCount = 10;
    int liveBufferSize = 500;
    int readBatchSize = 20;
    int historyBufferSize = 500;
    int checkpointAfterMs = 2000;
    int minCheckpointCount = 10;
    int maxCheckpointCount = 1000;
    int maxSubscriberCount = 0; ///< 0 = no limit
    std::string consumerStrategy = "RoundRobin";
    /// Where a group without a checkpoint starts: a revision (stream) or a commit position ($all);
    /// none = the end (live only).
    std::optional<quint64> startFrom = 0;
};

/// A `$all` group's filter, as created (it cannot be updated).
struct PersistentFilter
{
    bool byStream = true; ///< false: by event type
    std::string regex;
    std::vector<std::string> prefixes;
    bool isSet() const { return !regex.empty() || !prefixes.empty(); }
};

/// One event on its way to a consumer: the event, the link it came through (resolved links and
/// replayed parked messages), its retry count, and where it sits in the group's source.
struct PersistentMessage
{
    StoredRecord event;
    std::optional<StoredRecord> link;
    int retryCount = 0;
    quint64 key = 0;      ///< revision (stream) or commit position ($all) of the original
    qint64 sequence = -1; ///< order read; -1 for a replayed parked message
    bool replayed = false;
    const StoredRecord &original() const { return link ? *link : event; }
};

/// One connected Read call. Its outbox is filled by the group (under the registry's mutex) and
/// drained by the call's thread.
struct PersistentConsumer
{
    std::string id;
    std::string connectionName;
    std::string from;
    std::string username;
    int bufferSize = 10;
    int inFlight = 0;
    quint64 totalItems = 0;
    bool stopped = false; ///< nack Stop / ReadReq.Stop: no new messages
    std::deque<PersistentMessage> outbox;
    /// Set when the group goes away: the call ends with this status.
    enum class Drop { None, Deleted, Unsubscribed } drop = Drop::None;
    std::condition_variable wake;
    int available() const { return bufferSize - inFlight; }
};

/// A subscription group on a stream or on `$all`: reads its source, dispatches to consumers by
/// the consumer strategy, tracks in-flight messages (timeouts retry, past the max retry count
/// park), writes checkpoints and parked messages into the streams the real server uses. Not
/// thread-safe: the registry calls it under its mutex.
class PersistentSubscriptionGroup
{
public:
    PersistentSubscriptionGroup(EventStore &store, std::string stream, std::string group, PersistentSettings settings,
                                PersistentFilter filter);

    const std::string &stream() const { return m_stream; }
    const std::string &group() const { return m_group; }
    bool isAll() const { return m_stream == "$all"; }
    const PersistentSettings &settings() const { return m_settings; }
    const PersistentFilter &filter() const { return m_filter; }
    std::string checkpointStream() const;
    std::string parkedStream() const;

    /// The records the server writes for a group, as PersistentSubscriptionCheckpointWriter and
    /// PersistentSubscriptionMessageParker make them (the demo writes its group's history with them):
    /// the checkpoint stream's metadata, written before its first checkpoint;
    static ProposedEvent checkpointMetadataEvent();
    /// a `$SubscriptionCheckpoint` of a position as the server prints it ("6", "C:123/P:123");
    static ProposedEvent checkpointEvent(const std::string &position);
    /// the `$>` link parking event `revision` of `stream`, `sourceNumber` its number in the group's source.
    static ProposedEvent parkedLink(quint64 revision, const std::string &stream, qint64 sourceNumber,
                                    const std::string &reason, const QDateTime &added);

    /// Loads the checkpoint (or applies the start position); call once before pump().
    void load();
    /// One step: expire in-flight messages, read the source, dispatch, checkpoint.
    void pump(std::chrono::steady_clock::time_point now);

    void addConsumer(const std::shared_ptr<PersistentConsumer> &consumer);
    /// The consumer's in-flight messages go back for retry.
    void removeConsumer(const std::shared_ptr<PersistentConsumer> &consumer);
    void dropAll(PersistentConsumer::Drop why);
    size_t consumerCount() const { return m_consumers.size(); }

    void ack(const std::vector<QUuid> &ids);
    enum class NackAction { Unknown, Park, Retry, Skip, Stop };
    void nack(const std::vector<QUuid> &ids, NackAction action, const std::string &reason);
    /// Replays the parked messages below parked event number `stopAt` (none: all). False when a
    /// replay is under way (it finishes within one pump, so rarely).
    void replayParked(std::optional<qint64> stopAt);
    /// Deletes the checkpoint and parked streams (the group is being deleted).
    void deleteStreams();

    // Statistics for GetInfo / List.
    std::string status() const;
    std::string startFromText() const;
    std::string positionText(std::optional<quint64> key) const;
    std::optional<quint64> lastCheckpoint() const { return m_lastCheckpointKey; }
    std::optional<quint64> lastKnown() const { return m_lastKnownKey; }
    qint64 parkedCount() const;
    int inFlightCount() const { return int(m_inFlight.size()); }
    int retryCount() const { return int(m_retry.size()); }
    int readBufferCount() const { return int(m_buffer.size()); }
    quint64 totalItems() const { return m_totalItems; }
    const std::vector<std::shared_ptr<PersistentConsumer>> &consumers() const { return m_consumers; }

private:
    struct InFlight
    {
        PersistentMessage message;
        std::shared_ptr<PersistentConsumer> consumer;
        std::chrono::steady_clock::time_point deadline;
    };

    void readSource();
    void dispatch();
    /// The consumer that takes `m` now; null when none can (kept for later).
    std::shared_ptr<PersistentConsumer> pick(const PersistentMessage &m);
    void retry(PersistentMessage m, bool checkLimit);
    void park(const PersistentMessage &m, const std::string &reason);
    void finish(const PersistentMessage &m);
    void tryCheckpoint(bool timeCheck, std::chrono::steady_clock::time_point now);
    void writeCheckpoint(quint64 key);
    void unflight(const QUuid &id, std::optional<InFlight> *taken);

    EventStore &m_store;
    std::string m_stream, m_group;
    PersistentSettings m_settings;
    PersistentFilter m_filter;
    std::unique_ptr<FilterMatcher> m_matcher;

    std::vector<std::shared_ptr<PersistentConsumer>> m_consumers;
    size_t m_roundRobin = 0;
    std::deque<PersistentMessage> m_buffer; ///< read, not yet sent
    std::deque<PersistentMessage> m_retry;  ///< sent before, to be sent again (first)
    std::map<QUuid, InFlight> m_inFlight;
    /// Sequence → (done, key) of every message read and not yet behind the checkpoint candidate:
    /// the checkpoint stops before the first one not done.
    std::map<qint64, std::pair<bool, quint64>> m_unfinished;
    qint64 m_doneSequence = -1; ///< all messages up to it are done
    std::optional<quint64> m_doneKey;

    quint64 m_nextRevision = 0; ///< stream: next revision to read
    size_t m_nextIndex = 0;     ///< $all: next log index to read
    qint64 m_nextSequence = 0;
    std::optional<quint64> m_lastKnownKey;
    std::optional<quint64> m_lastCheckpointKey;
    qint64 m_lastCheckpointSequence = -1;
    std::chrono::steady_clock::time_point m_lastCheckpointTime{};
    bool m_checkpointMetadataWritten = false;
    bool m_live = false;
    quint64 m_totalItems = 0;
};

} // namespace chronoscope::sandbox
