#include "InterruptGuard.h"

#include <chrono>
#include <csignal>

namespace chronoscope::cli {

namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true);
}

} // namespace

InterruptGuard::InterruptGuard(CancellationPtr cancel) : m_cancel(std::move(cancel))
{
    g_interrupted = false;
    m_oldInt = std::signal(SIGINT, onInterrupt);
    m_oldTerm = std::signal(SIGTERM, onInterrupt);
    m_watcher = std::thread([this] {
        while (!m_done.load()) {
            if (g_interrupted.load()) {
                m_cancel->cancel();
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
}

InterruptGuard::~InterruptGuard()
{
    m_done = true;
    m_watcher.join();
    std::signal(SIGINT, m_oldInt);
    std::signal(SIGTERM, m_oldTerm);
}

bool InterruptGuard::interrupted() const
{
    return g_interrupted.load();
}

} // namespace chronoscope::cli
