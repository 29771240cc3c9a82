#include "SubscriptionReactor.h"

namespace chronoscope::sandbox {

SubscriptionReactor::SubscriptionReactor(AppendNotifier &notifier, std::unique_ptr<SubscriptionCursor> cursor)
    : m_notifier(notifier), m_cursor(std::move(cursor))
{
    // Registered before the first look at the log, so no append between the two is missed.
    m_registered = m_notifier.add(this);
    std::lock_guard lock(m_mutex);
    if (!m_registered) {
        finishLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE, "Server is shutting down."));
        return;
    }
    pumpLocked();
}

void SubscriptionReactor::OnWriteDone(bool ok)
{
    std::lock_guard lock(m_mutex);
    if (!ok) {
        finishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "The client went away."));
        return;
    }
    pumpLocked();
}

void SubscriptionReactor::OnCancel()
{
    std::lock_guard lock(m_mutex);
    m_cancelled = true;
    wakeLocked();
}

void SubscriptionReactor::OnDone()
{
    if (m_registered)
        m_notifier.remove(this);
    { std::lock_guard lock(m_mutex); }
    delete this;
}

void SubscriptionReactor::appended()
{
    std::lock_guard lock(m_mutex);
    m_dirty = true;
    wakeLocked();
}

void SubscriptionReactor::closing()
{
    std::lock_guard lock(m_mutex);
    m_closing = true;
    wakeLocked();
}

void SubscriptionReactor::wakeLocked()
{
    if (!m_parked)
        return; // a write is in flight: OnWriteDone will look again
    m_parked = false;
    pumpLocked();
}

void SubscriptionReactor::finishLocked(const grpc::Status &status)
{
    if (m_finished)
        return;
    m_finished = true;
    m_parked = false;
    Finish(status);
}

void SubscriptionReactor::pumpLocked()
{
    using State = SubscriptionCursor::State;
    if (m_finished)
        return;
    while (m_replies.done()) {
        if (m_cancelled) {
            finishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
            return;
        }
        if (m_closing) {
            finishLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE, "Server is shutting down."));
            return;
        }
        if (m_state == State::Ended) {
            finishLocked(m_cursor->status());
            return;
        }
        if (m_state == State::Idle && !m_dirty) {
            m_parked = true;
            return;
        }
        m_dirty = false;
        m_state = m_cursor->next(m_batch);
        m_replies.take(m_batch);
    }
    const EncodedReply *reply = m_replies.next();
    // Every reply goes out at once. (With buffer hints inside catch-up batches, as reads use, a
    // subscription caught up on thousands of events in a cluster node sat unflushed until the
    // client's keepalive ping 10 s later: seen in test_sandbox_cluster.)
    StartWrite(reply);
}

} // namespace chronoscope::sandbox
