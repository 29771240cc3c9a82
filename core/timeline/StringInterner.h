#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>
#include <vector>

namespace chronoscope::engine {

/// Maps byte strings (stream names, event types) to small dense ids 0, 1, 2, … and back.
///
/// Built for millions of distinct names (a `$all` timeline has a stream per order): the names live
/// back to back in one arena with an offset per id, and lookup goes through an open-addressing table
/// of ids, so a name costs its bytes plus ~16 bytes of bookkeeping and no heap node of its own.
class StringInterner
{
public:
    StringInterner();

    /// The id of `name`, adding it when new.
    quint32 intern(QByteArrayView name);
    /// The id of `name`, or -1 when it was never interned.
    qint64 find(QByteArrayView name) const;

    /// The name of an id (a view into the arena: valid until the next intern()).
    QByteArrayView view(quint32 id) const;
    QByteArray name(quint32 id) const { return view(id).toByteArray(); }

    quint32 size() const { return quint32(m_offsets.size() - 1); }
    /// Heap bytes held (arena, offsets and table capacity).
    quint64 memoryBytes() const;
    void clear();

private:
    static quint64 hash(QByteArrayView name);
    void grow();

    std::vector<char> m_arena;
    std::vector<quint64> m_offsets;  ///< name i is m_arena[m_offsets[i], m_offsets[i+1])
    std::vector<quint32> m_table;    ///< id + 1, 0 = empty; size is a power of two
};

} // namespace chronoscope::engine
