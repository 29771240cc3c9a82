#pragma once

#include "base/Cancellation.h"

#include <atomic>
#include <thread>

namespace chronoscope::cli {

/// Ctrl-C (SIGINT) and SIGTERM cancel a long command (drift, projections compare) while it runs: a thread
/// turns the flag the handler sets into Cancellation::cancel() (which takes a lock, so not from the handler
/// itself). A second Ctrl-C after the guard has gone is the default again.
class InterruptGuard
{
public:
    explicit InterruptGuard(CancellationPtr cancel);
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;
    bool interrupted() const;

private:
    CancellationPtr m_cancel;
    std::atomic<bool> m_done{false};
    std::thread m_watcher;
    void (*m_oldInt)(int) = nullptr;
    void (*m_oldTerm)(int) = nullptr;
};

} // namespace chronoscope::cli
