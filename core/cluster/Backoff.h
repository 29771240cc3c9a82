#pragma once

#include "base/Cancellation.h"

#include <chrono>
#include <random>

namespace chronoscope {

/// Delays between reconnection attempts: exponential (initial, doubling up to a ceiling) with
/// jitter (each delay drawn uniformly from its upper half), so clients cut off together by a dead
/// node do not all come back in the same instant.
class Backoff
{
public:
    explicit Backoff(std::chrono::milliseconds initial = std::chrono::milliseconds(50),
                     std::chrono::milliseconds ceiling = std::chrono::milliseconds(2000));

    /// The delay before the next attempt; each call doubles the next one, up to the ceiling.
    std::chrono::milliseconds next();
    void reset() { m_attempt = 0; }
    int attempts() const { return m_attempt; }

    /// Sleeps for next(), waking early when `cancel` is cancelled. False when cancelled.
    bool wait(const CancellationPtr &cancel = nullptr);

private:
    std::chrono::milliseconds m_initial;
    std::chrono::milliseconds m_ceiling;
    int m_attempt = 0;
    std::mt19937 m_random;
};

} // namespace chronoscope
