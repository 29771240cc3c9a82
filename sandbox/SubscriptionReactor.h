#pragma once

#include "AppendNotifier.h"
#include "EncodedReply.h"
#include "SubscriptionCursor.h"

#include <grpcpp/grpcpp.h>

#include <memory>
#include <mutex>

namespace chronoscope::sandbox {

/// Serves one subscription (a Read with the `subscription` option) on gRPC's callback API. It
/// writes the cursor's replies one at a time; when the cursor runs dry it parks, registered with
/// the store's AppendNotifier, until an append, a cancellation or the server's shutdown re-arms it.
///
/// Lifetime: gRPC runs OnDone (which deletes the reactor) only after Finish() and every write
/// completed, and never inline from StartWrite/Finish; OnDone first unregisters from the notifier
/// (so no appended()/closing() can run on a deleted reactor) and then takes the mutex once so a
/// thread that just called Finish() under it has let go.
class SubscriptionReactor final : public grpc::ServerWriteReactor<EncodedReply>, private AppendNotifier::Listener
{
public:
    SubscriptionReactor(AppendNotifier &notifier, std::unique_ptr<SubscriptionCursor> cursor);

    void OnWriteDone(bool ok) override;
    void OnCancel() override;
    void OnDone() override;

private:
    void appended() override;
    void closing() override;
    /// With m_mutex held and no write in flight: sends the next reply, finishes, or parks.
    void pumpLocked();
    void finishLocked(const grpc::Status &status);
    void wakeLocked();

    AppendNotifier &m_notifier;
    std::unique_ptr<SubscriptionCursor> m_cursor;
    std::mutex m_mutex;
    wire::ReadEncoder::Batch m_batch; ///< where the cursor encodes
    ReplyBatch m_replies;             ///< the batch being written
    SubscriptionCursor::State m_state = SubscriptionCursor::State::More;
    bool m_registered = false;
    bool m_parked = false;    ///< idle: no write in flight, waiting for a wake-up
    bool m_dirty = false;     ///< the log grew since the cursor last looked
    bool m_cancelled = false;
    bool m_closing = false;   ///< the server is shutting down
    bool m_finished = false;
};

} // namespace chronoscope::sandbox
