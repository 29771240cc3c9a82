#pragma once

#include "model/Types.h"

#include <QUuid>

#include <deque>
#include <string>
#include <unordered_map>

namespace chronoscope::sandbox {

/// The real server's memory of recently committed event ids (IndexWriter's `_committedEvents`, a
/// BoundedCache<Guid, EventInfo>): what the *weak* idempotency check of an append with expected
/// `any` or `stream_exists` looks ids up in (docs/SANDBOX-IDEMPOTENCY.md).
///
/// As upstream: bounded by an estimate of its memory (ESConsts.CommittedEventsMemCacheLimit, 8 MiB;
/// an entry counts 16 + 4 + 8 bytes plus the .NET size of its stream name), evicted in the order
/// ids were put (FIFO; a lookup does not refresh an entry), never refilled from the log, so a
/// restart empties it. Putting an id that is already there changes nothing but the bookkeeping:
/// the first stream and revision stay, and the entry leaves when its first put is evicted.
/// Not thread-safe: the store calls it under its write lock.
class CommittedEvents
{
public:
    static constexpr quint64 kDefaultLimitBytes = 8 * 1024 * 1024;

    struct Entry
    {
        std::string stream;
        quint64 revision = 0;
    };

    explicit CommittedEvents(quint64 limitBytes = kDefaultLimitBytes) : m_limit(limitBytes) {}

    /// Remembers that `id` was committed to `stream` at `revision`, evicting the oldest ids first.
    void put(const QUuid &id, const std::string &stream, quint64 revision);
    /// Where `id` was committed, while it is remembered; null otherwise.
    const Entry *find(const QUuid &id) const;
    void clear();

    /// Changes the budget (takes effect from the next put); at least one entry is always kept.
    void setLimit(quint64 bytes) { m_limit = bytes; }
    quint64 limit() const { return m_limit; }
    size_t size() const { return m_entries.size(); }
    quint64 bytes() const { return m_bytes; }

    /// What the server counts for one entry of `stream`: 16 (Guid) + 4 + 8 (pointer) + the
    /// stream name as a .NET string, (20 + 2 × length + 1) rounded up to 8 (MemSizer.SizeOf).
    static quint64 entryBytes(const std::string &stream);

private:
    struct Hash
    {
        size_t operator()(const QUuid &id) const { return size_t(qHash(id)); }
    };
    bool full() const { return m_bytes > m_limit && !m_order.empty(); }

    quint64 m_limit;
    quint64 m_bytes = 0;
    std::unordered_map<QUuid, Entry, Hash> m_entries;
    std::deque<QUuid> m_order; ///< one element per put, duplicates included (as upstream's queue)
};

} // namespace chronoscope::sandbox
