#include "script/ScriptWatchdog.h"

#include <cstdio>
#include <unistd.h>

namespace chronoscope::engine {

namespace {
// Sampling period: small enough to stop a runaway well within the 1 s budget, large enough to cost nothing.
constexpr auto kPollPeriod = std::chrono::milliseconds(10);
} // namespace

ScriptWatchdog::ScriptWatchdog(Interrupt interrupt) : m_interrupt(std::move(interrupt))
{
    m_thread = std::thread([this] { loop(); });
}

ScriptWatchdog::~ScriptWatchdog()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_quit = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

qint64 ScriptWatchdog::residentBytes()
{
    FILE *f = std::fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    long long size = 0, resident = 0;
    const int n = std::fscanf(f, "%lld %lld", &size, &resident);
    std::fclose(f);
    return n == 2 ? qint64(resident) * qint64(sysconf(_SC_PAGESIZE)) : 0;
}

void ScriptWatchdog::arm(int timeLimitMs, qint64 memoryLimitBytes)
{
    const qint64 rss = memoryLimitBytes > 0 ? residentBytes() : 0;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_armed = true;
        ++m_generation;
        m_trip = Trip::None;
        m_deadline = timeLimitMs > 0 ? std::chrono::steady_clock::now() + std::chrono::milliseconds(timeLimitMs)
                                     : std::chrono::steady_clock::time_point::max();
        m_rssLimit = memoryLimitBytes > 0 && rss > 0 ? rss + memoryLimitBytes : 0;
    }
    m_wake.notify_all();
}

ScriptWatchdog::Trip ScriptWatchdog::disarm()
{
    Trip trip;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_armed = false;
        trip = m_trip;
        m_trip = Trip::None;
    }
    if (trip != Trip::None)
        m_interrupt(false);
    return trip;
}

void ScriptWatchdog::loop()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_quit) {
        if (!m_armed || m_trip != Trip::None) {
            m_wake.wait(lock);
            continue;
        }
        m_wake.wait_for(lock, kPollPeriod);
        if (!m_armed || m_quit || m_trip != Trip::None)
            continue;
        const quint64 generation = m_generation;
        const qint64 limit = m_rssLimit;
        Trip trip = std::chrono::steady_clock::now() >= m_deadline ? Trip::Time : Trip::None;
        if (trip == Trip::None && limit > 0) {
            lock.unlock(); // reading /proc takes a few µs: never while holding the lock the engine waits on
            const qint64 rss = residentBytes();
            lock.lock();
            if (rss > limit)
                trip = Trip::Memory;
        }
        if (trip != Trip::None && m_armed && generation == m_generation) {
            m_trip = trip;
            m_interrupt(true);
        }
    }
}

} // namespace chronoscope::engine
