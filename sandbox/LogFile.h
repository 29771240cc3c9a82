#pragma once

#include "StoredRecord.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace chronoscope::sandbox {

/// The sandbox's log on disk: an append-only file of records, each durable (written and
/// fdatasync'ed) before the write that produced it is acknowledged.
///
/// Format (all integers little-endian):
///   header   "CHRNSLOG" (8 bytes), u32 version = 1, u32 reserved = 0
///   record   u32 payload length, u32 its complement (so a damaged length is told from a torn
///            write), u32 CRC-32 (IEEE, as zlib) of the payload, payload
///   payload  u8 kind = 1, u64 revision, u64 position, i64 created ticks, 16 bytes id (RFC 4122 order),
///            u8 flags (bit 0 = JSON), then stream, type, data, metadata each as u32 length + bytes
/// Every change of the store is a record (events, `$metadata` events of deletes, `$streamDeleted`
/// tombstones, projection links), so replaying the records rebuilds exactly the same store.
///
/// Group commit: writers enqueue records under the store's write lock (so file order is log
/// order), then wait outside it; the first waiter writes and syncs everything queued so far
/// while the others wait for that sync to cover their records.
class LogFile
{
public:
    static constexpr quint32 kVersion = 1;
    static constexpr size_t kHeaderSize = 16;
    static constexpr size_t kFrameSize = 12;                  ///< length, its complement, checksum
    static constexpr quint32 kMaxPayload = 64u * 1024 * 1024; ///< larger lengths are damage, not records

    /// Receives each stored record in file order, with its file offset; returns false (with a
    /// message) when the record does not fit the store rebuilt so far.
    using Replay = std::function<bool(StoredRecord &&record, quint64 offset, std::string *error)>;

    /// Opens or creates `path` and replays its records. A torn last record (a crash during its
    /// write) is cut off and reported in `notice`; damage before the last record, a foreign file
    /// or a file another process holds is an error (null with `error` set).
    static std::unique_ptr<LogFile> open(const std::string &path, const Replay &replay, std::string *error,
                                         std::string *notice);
    ~LogFile();
    LogFile(const LogFile &) = delete;
    LogFile &operator=(const LogFile &) = delete;

    /// Queues a record; call in log order (under the store's write lock). Returns the file
    /// offset its record ends at: the value to wait for.
    quint64 enqueue(const StoredRecord &r);
    /// Blocks until every record ending at or before `end` is on disk. False after a write or
    /// sync failure (the store then refuses further acknowledgements).
    bool waitDurable(quint64 end, std::string *error);

    /// Why the file cannot be written any more; empty while it works.
    std::string failure();

    /// Encoded form of one record, frame included (tests build damaged files with it).
    static std::string encode(const StoredRecord &r);
    static quint32 crc32(const char *data, size_t size);

private:
    LogFile(int fd, std::string path, quint64 end);
    bool writeAndSync(const std::string &bytes, std::string *error);

    int m_fd = -1;
    std::string m_path;
    std::mutex m_mutex;
    std::condition_variable m_synced;
    std::string m_pending;   ///< encoded records not yet handed to write()
    quint64 m_enqueued = 0;  ///< file offset after the last queued record
    quint64 m_durable = 0;   ///< file offset up to which everything is synced
    bool m_flushing = false; ///< a waiter is writing and syncing right now
    std::string m_failure;   ///< set once a write or sync failed
};

} // namespace chronoscope::sandbox
