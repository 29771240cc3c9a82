#include "AppendNotifier.h"

#include <algorithm>

namespace chronoscope::sandbox {

bool AppendNotifier::add(Listener *listener)
{
    std::lock_guard lock(m_mutex);
    if (m_closed)
        return false;
    m_listeners.push_back(listener);
    return true;
}

void AppendNotifier::remove(Listener *listener)
{
    std::lock_guard lock(m_mutex);
    m_listeners.erase(std::remove(m_listeners.begin(), m_listeners.end(), listener), m_listeners.end());
}

void AppendNotifier::appended()
{
    std::lock_guard lock(m_mutex);
    for (Listener *l : m_listeners)
        l->appended();
}

void AppendNotifier::close()
{
    std::lock_guard lock(m_mutex);
    m_closed = true;
    for (Listener *l : m_listeners)
        l->closing();
}

void AppendNotifier::open()
{
    std::lock_guard lock(m_mutex);
    m_closed = false;
}

size_t AppendNotifier::listenerCount() const
{
    std::lock_guard lock(m_mutex);
    return m_listeners.size();
}

} // namespace chronoscope::sandbox
