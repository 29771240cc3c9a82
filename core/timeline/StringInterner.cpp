#include "timeline/StringInterner.h"

#include <cstring>

namespace chronoscope::engine {

StringInterner::StringInterner()
{
    clear();
}

void StringInterner::clear()
{
    m_arena.clear();
    m_offsets.assign(1, 0);
    m_table.assign(64, 0);
}

quint64 StringInterner::hash(QByteArrayView name)
{
    // FNV-1a: names are short, so a simple byte loop is as fast as anything fancier.
    quint64 h = 1469598103934665603ULL;
    for (char c : name) {
        h ^= quint8(c);
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

QByteArrayView StringInterner::view(quint32 id) const
{
    if (id >= size())
        return {};
    const quint64 from = m_offsets[id];
    return QByteArrayView(m_arena.data() + from, qsizetype(m_offsets[id + 1] - from));
}

qint64 StringInterner::find(QByteArrayView name) const
{
    const size_t mask = m_table.size() - 1;
    for (size_t slot = hash(name) & mask;; slot = (slot + 1) & mask) {
        const quint32 entry = m_table[slot];
        if (entry == 0)
            return -1;
        if (view(entry - 1) == name)
            return entry - 1;
    }
}

quint32 StringInterner::intern(QByteArrayView name)
{
    const size_t mask = m_table.size() - 1;
    size_t slot = hash(name) & mask;
    for (;; slot = (slot + 1) & mask) {
        const quint32 entry = m_table[slot];
        if (entry == 0)
            break;
        if (view(entry - 1) == name)
            return entry - 1;
    }
    const quint32 id = size();
    m_arena.insert(m_arena.end(), name.data(), name.data() + name.size());
    m_offsets.push_back(m_arena.size());
    m_table[slot] = id + 1;
    if (size_t(size()) * 2 > m_table.size())
        grow();
    return id;
}

void StringInterner::grow()
{
    std::vector<quint32> table(m_table.size() * 2, 0);
    const size_t mask = table.size() - 1;
    for (quint32 id = 0; id < size(); ++id) {
        size_t slot = hash(view(id)) & mask;
        while (table[slot] != 0)
            slot = (slot + 1) & mask;
        table[slot] = id + 1;
    }
    m_table.swap(table);
}

quint64 StringInterner::memoryBytes() const
{
    return m_arena.capacity() + m_offsets.capacity() * sizeof(quint64) + m_table.capacity() * sizeof(quint32);
}

} // namespace chronoscope::engine
