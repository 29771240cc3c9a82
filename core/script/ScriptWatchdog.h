#pragma once

#include <QtGlobal>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace chronoscope::engine {

/// Interrupts a script engine whose current call runs too long or makes the process grow too much.
/// One watchdog thread per engine sleeps until a call is armed, then samples the clock and the
/// process's resident set every few milliseconds. The engine is told through `interrupt`, called
/// with true from the watchdog thread (so it must be thread-safe: QJSEngine::setInterrupted,
/// JS_RequestInterruptCallback) and with false from disarm() to clear the request.
class ScriptWatchdog
{
public:
    enum class Trip { None, Time, Memory };
    using Interrupt = std::function<void(bool on)>;

    explicit ScriptWatchdog(Interrupt interrupt);
    ~ScriptWatchdog();
    ScriptWatchdog(const ScriptWatchdog &) = delete;
    ScriptWatchdog &operator=(const ScriptWatchdog &) = delete;

    /// Starts guarding a call: at most `timeLimitMs` of wall time and `memoryLimitBytes` of resident-set
    /// growth over the level at this moment (<= 0 disables that limit).
    void arm(int timeLimitMs, qint64 memoryLimitBytes);
    /// Ends the call; says which limit (if any) interrupted it and clears the engine's interrupt flag.
    Trip disarm();

    /// Resident set size of this process in bytes (Linux /proc; 0 where unknown).
    static qint64 residentBytes();

private:
    void loop();

    Interrupt m_interrupt;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::thread m_thread;
    bool m_quit = false;
    bool m_armed = false;
    quint64 m_generation = 0;
    std::chrono::steady_clock::time_point m_deadline;
    qint64 m_rssLimit = 0; ///< absolute resident-set ceiling, 0 = none
    Trip m_trip = Trip::None;
};

} // namespace chronoscope::engine
