#include "cluster/Backoff.h"

#include <algorithm>
#include <thread>

namespace chronoscope {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds ceiling)
    : m_initial(std::max(initial, std::chrono::milliseconds(1))), m_ceiling(std::max(ceiling, initial)),
      m_random(std::random_device{}())
{
}

std::chrono::milliseconds Backoff::next()
{
    const int shift = std::min(m_attempt, 20);
    ++m_attempt;
    const long long full = std::min<long long>(m_initial.count() << shift, m_ceiling.count());
    std::uniform_int_distribution<long long> jitter(full / 2, full);
    return std::chrono::milliseconds(jitter(m_random));
}

bool Backoff::wait(const CancellationPtr &cancel)
{
    const auto until = std::chrono::steady_clock::now() + next();
    while (std::chrono::steady_clock::now() < until) {
        if (cancel && cancel->isCancelled())
            return false;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            std::chrono::milliseconds(10), until - std::chrono::steady_clock::now()));
    }
    return !(cancel && cancel->isCancelled());
}

} // namespace chronoscope
