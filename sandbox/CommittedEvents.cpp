#include "CommittedEvents.h"

namespace chronoscope::sandbox {

quint64 CommittedEvents::entryBytes(const std::string &stream)
{
    // A .NET string of n UTF-16 units; the sandbox counts UTF-8 bytes, the same for ASCII names.
    const quint64 name = stream.empty() ? 0 : (20 + 2 * quint64(stream.size()) + 1 + 7) / 8 * 8;
    return 16 + 4 + 8 + name;
}

void CommittedEvents::put(const QUuid &id, const std::string &stream, quint64 revision)
{
    while (full()) {
        const QUuid oldest = m_order.front();
        m_order.pop_front();
        const auto it = m_entries.find(oldest);
        if (it != m_entries.end()) {
            m_bytes -= entryBytes(it->second.stream);
            m_entries.erase(it);
        }
    }
    // Upstream counts the size and queues the id even when it is there already, and keeps the
    // entry it has: a later eviction of the first put removes it, the second finds nothing.
    m_bytes += entryBytes(stream);
    m_order.push_back(id);
    m_entries.try_emplace(id, Entry{stream, revision});
}

const CommittedEvents::Entry *CommittedEvents::find(const QUuid &id) const
{
    const auto it = m_entries.find(id);
    return it == m_entries.end() ? nullptr : &it->second;
}

void CommittedEvents::clear()
{
    m_entries.clear();
    m_order.clear();
    m_bytes = 0;
}

} // namespace chronoscope::sandbox
