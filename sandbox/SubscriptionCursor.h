#pragma once

#include "EventStore.h"
#include "FilterMatcher.h"
#include "ReadEncoder.h"

#include <grpcpp/grpcpp.h>

#include <optional>
#include <string>

namespace chronoscope::sandbox {

/// A subscription in progress (protocol sheet §4.1, §4.2): `confirmation`, the catch-up events,
/// `caught_up` at the head, then live events as the log grows; filtered `$all` subscriptions add
/// checkpoints. Like a ReadCursor it encodes one batch under the store's lock and sends it after;
/// unlike one it can run dry and wait for the next append (SubscriptionReactor re-arms it).
class SubscriptionCursor
{
public:
    enum class State {
        More,  ///< call next() again as soon as the batch is sent
        Idle,  ///< nothing more until the log grows
        Ended, ///< the batch holds the last replies; status() is how the call ends
    };
    static constexpr size_t kBatch = 512;

    virtual ~SubscriptionCursor() = default;
    virtual State next(wire::ReadEncoder::Batch &out) = 0;
    const grpc::Status &status() const { return m_status; }
    const std::string &id() const { return m_id; }

protected:
    SubscriptionCursor();
    /// The first reply of every subscription, once.
    void confirmOnce(wire::ReadEncoder::Batch &out);

    grpc::Status m_status;

private:
    std::string m_id;
    bool m_confirmed = false;
};

namespace wire {
/// ReadResp{checkpoint{commit, prepare, timestamp}} (positions are commit == prepare here).
void appendCheckpoint(ReadEncoder::Batch &out, quint64 position);
/// ReadResp{caught_up{timestamp, stream_revision?, position?}}.
void appendCaughtUp(ReadEncoder::Batch &out, std::optional<quint64> streamRevision, std::optional<quint64> position);
} // namespace wire

struct StreamSubscriptionSpec
{
    std::string stream;
    quint64 next = 0; ///< first revision to send (subscriptions start after the revision they are given)
    bool resolveLinks = false;
    bool structuredIds = false;
};

/// A subscription to one stream. Ends with `stream-deleted` when the stream is tombstoned.
class StreamSubscriptionCursor final : public SubscriptionCursor
{
public:
    StreamSubscriptionCursor(const EventStore &store, StreamSubscriptionSpec spec, grpc::ServerContextBase *context);
    State next(wire::ReadEncoder::Batch &out) override;

private:
    const EventStore &m_store;
    StreamSubscriptionSpec m_spec;
    grpc::ServerContextBase *m_context;
    wire::ReadEncoder m_encoder;
    bool m_caughtUp = false;
};

struct AllSubscriptionSpec
{
    size_t index = 0;                  ///< log index of the first record to consider
    std::optional<quint64> checkpoint; ///< position already behind the client (from a position, or the end)
    bool resolveLinks = false;
    bool structuredIds = false;
    std::optional<FilterMatcher> filter;
    quint32 window = 32;               ///< records per catch-up page (FilterOptions max; 32 for `count`)
    quint64 checkpointInterval = 32;   ///< checkpointIntervalMultiplier × window, in records considered
};

/// A subscription to `$all`, filtered or not. Filtered ones checkpoint as the real server does:
/// during catch-up after every page once `checkpointInterval` records were considered and once more
/// at the head; live, at the record that completes each interval. A checkpoint never repeats or goes back.
class AllSubscriptionCursor final : public SubscriptionCursor
{
public:
    AllSubscriptionCursor(const EventStore &store, AllSubscriptionSpec spec);
    State next(wire::ReadEncoder::Batch &out) override;

private:
    State catchUpPages(wire::ReadEncoder::Batch &out);
    State live(wire::ReadEncoder::Batch &out);
    void checkpoint(wire::ReadEncoder::Batch &out, std::optional<quint64> position);

    const EventStore &m_store;
    AllSubscriptionSpec m_spec;
    wire::ReadEncoder m_encoder;
    size_t m_index;
    std::optional<quint64> m_checkpoint;     ///< last event sent, or the last position known to hold nothing for the client
    std::optional<quint64> m_lastCheckpoint; ///< last checkpoint sent
    quint64 m_counter = 0;                   ///< records considered since the last checkpoint
    quint64 m_scanned = 0;                   ///< records considered during catch-up
    bool m_caughtUp = false;
};

} // namespace chronoscope::sandbox
