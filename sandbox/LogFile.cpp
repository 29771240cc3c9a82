#include "LogFile.h"

#include <array>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace chronoscope::sandbox {
namespace {

constexpr char kMagic[8] = {'C', 'H', 'R', 'N', 'S', 'L', 'O', 'G'};
constexpr quint8 kEventRecord = 1;
constexpr size_t kBulkWrite = 8 * 1024 * 1024;

std::string sysError(const std::string &what, const std::string &path)
{
    return what + " " + path + ": " + std::strerror(errno);
}

void putU32(std::string &out, quint32 v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(char((v >> (8 * i)) & 0xff));
}

void putU64(std::string &out, quint64 v)
{
    for (int i = 0; i < 8; ++i)
        out.push_back(char((v >> (8 * i)) & 0xff));
}

void putBytes(std::string &out, const std::string &bytes)
{
    putU32(out, quint32(bytes.size()));
    out += bytes;
}

quint64 getLE(const unsigned char *p, int n)
{
    quint64 v = 0;
    for (int i = n - 1; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

std::string header()
{
    std::string h(kMagic, sizeof kMagic);
    putU32(h, LogFile::kVersion);
    putU32(h, 0);
    return h;
}

/// Reads a payload back; false when its fields do not add up (the checksum matched, so this is
/// a record of a format we do not know, not a torn write).
bool decode(const unsigned char *p, size_t size, StoredRecord *r)
{
    constexpr size_t kFixed = 1 + 8 + 8 + 8 + 16 + 1;
    if (size < kFixed || p[0] != kEventRecord)
        return false;
    r->revision = getLE(p + 1, 8);
    r->position = getLE(p + 9, 8);
    r->createdTicks = qint64(getLE(p + 17, 8));
    r->id = QUuid::fromRfc4122(QByteArrayView(reinterpret_cast<const char *>(p + 25), 16));
    r->idString = r->id.toString(QUuid::WithoutBraces).toStdString();
    r->isJson = (p[41] & 1) != 0;
    size_t at = kFixed;
    for (std::string *field : {&r->stream, &r->type, &r->data, &r->metadata}) {
        if (size - at < 4)
            return false;
        const quint64 n = getLE(p + at, 4);
        at += 4;
        if (size - at < n)
            return false;
        field->assign(reinterpret_cast<const char *>(p + at), size_t(n));
        at += size_t(n);
    }
    return at == size;
}

/// Writes all of `bytes` at the end of the file; returns how many made it (all unless errno says why).
size_t writeFully(int fd, const std::string &bytes)
{
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += size_t(n);
    }
    return done;
}

bool allZero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (p[i])
            return false;
    return true;
}

bool syncDirectoryOf(const std::string &path)
{
    const size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? std::string(".") : (slash == 0 ? std::string("/") : path.substr(0, slash));
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

} // namespace

quint32 LogFile::crc32(const char *data, size_t size)
{
    static const std::array<quint32, 256> table = [] {
        std::array<quint32, 256> t{};
        for (quint32 i = 0; i < 256; ++i) {
            quint32 c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    quint32 crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < size; ++i)
        crc = table[(crc ^ quint8(data[i])) & 0xff] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

std::string LogFile::encode(const StoredRecord &r)
{
    std::string payload;
    payload.reserve(48 + r.stream.size() + r.type.size() + r.data.size() + r.metadata.size());
    payload.push_back(char(kEventRecord));
    putU64(payload, r.revision);
    putU64(payload, r.position);
    putU64(payload, quint64(r.createdTicks));
    payload += r.id.toRfc4122().toStdString();
    payload.push_back(char(r.isJson ? 1 : 0));
    for (const std::string *field : {&r.stream, &r.type, &r.data, &r.metadata})
        putBytes(payload, *field);
    std::string out;
    out.reserve(kFrameSize + payload.size());
    putU32(out, quint32(payload.size()));
    putU32(out, ~quint32(payload.size()));
    putU32(out, crc32(payload.data(), payload.size()));
    out += payload;
    return out;
}

std::unique_ptr<LogFile> LogFile::open(const std::string &path, const Replay &replay, std::string *error,
                                       std::string *notice)
{
    auto fail = [&](const std::string &message) {
        *error = message;
        return nullptr;
    };
    // O_APPEND: every write lands at the end, also after the torn tail is cut off.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail(sysError("cannot open", path));
    std::unique_ptr<LogFile> file(new LogFile(fd, path, 0)); // closes fd on every failure below
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
        return fail(path + " is in use by another chronoscope-sandbox");
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return fail(sysError("cannot stat", path));
    const size_t size = size_t(st.st_size);

    const std::string head = header();
    if (size < kHeaderSize) {
        // Empty, or a crash while the header itself was written: start the file afresh.
        std::string existing(size, '\0');
        if (size && ::pread(fd, existing.data(), size, 0) != ssize_t(size))
            return fail(sysError("cannot read", path));
        if (existing != head.substr(0, size))
            return fail(path + " is not a chronoscope-sandbox log (bad magic at offset 0)");
        if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, head.data(), head.size(), 0) != ssize_t(head.size())
            || ::fsync(fd) != 0 || !syncDirectoryOf(path))
            return fail(sysError("cannot initialise", path));
        if (size)
            *notice = path + ": completed a header torn by a crash (" + std::to_string(size) + " bytes)";
        file->m_enqueued = file->m_durable = kHeaderSize;
        return file;
    }

    void *map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED)
        return fail(sysError("cannot map", path));
    const auto *bytes = static_cast<const unsigned char *>(map);
    auto unmapAndFail = [&](const std::string &message) {
        ::munmap(map, size);
        return fail(message);
    };
    if (std::memcmp(bytes, kMagic, sizeof kMagic) != 0)
        return unmapAndFail(path + " is not a chronoscope-sandbox log (bad magic at offset 0)");
    const quint64 version = getLE(bytes + 8, 4);
    if (version != kVersion)
        return unmapAndFail(path + ": log format version " + std::to_string(version) + " is not supported (this build reads "
                            + std::to_string(kVersion) + ")");

    size_t at = kHeaderSize;
    std::string torn; // why the tail is cut off, empty when the file ends cleanly
    while (at < size) {
        const size_t left = size - at;
        const std::string where = " at offset " + std::to_string(at);
        if (left < kFrameSize) {
            torn = "a record frame of " + std::to_string(left) + " bytes" + where;
            break;
        }
        const quint64 length = getLE(bytes + at, 4);
        const quint32 complement = quint32(getLE(bytes + at + 4, 4));
        const quint32 crc = quint32(getLE(bytes + at + 8, 4));
        if (length == 0 || length > kMaxPayload || complement != ~quint32(length)) {
            // A file extended before its data landed reads as zeros; anything else is damage.
            if (allZero(bytes + at, left)) {
                torn = std::to_string(left) + " zero bytes" + where;
                break;
            }
            return unmapAndFail(path + ": corrupt record" + where + " (damaged length " + std::to_string(length)
                                + "); the log after it cannot be read");
        }
        if (length > left - kFrameSize) {
            torn = "a record of " + std::to_string(length + kFrameSize) + " bytes cut to " + std::to_string(left) + where;
            break;
        }
        const char *payload = reinterpret_cast<const char *>(bytes + at + kFrameSize);
        if (crc32(payload, size_t(length)) != crc) {
            if (at + kFrameSize + length == size) {
                torn = "a last record with a bad checksum" + where;
                break;
            }
            return unmapAndFail(path + ": corrupt record" + where + " (checksum mismatch) with "
                                + std::to_string(size - at - kFrameSize - length)
                                + " bytes of log after it; refusing to drop them");
        }
        StoredRecord r;
        if (!decode(bytes + at + kFrameSize, size_t(length), &r))
            return unmapAndFail(path + ": unreadable record" + where + " (unknown layout)");
        std::string why;
        if (!replay(std::move(r), at, &why))
            return unmapAndFail(path + ": inconsistent record" + where + ": " + why);
        at += kFrameSize + size_t(length);
    }
    ::munmap(map, size);
    if (!torn.empty()) {
        if (::ftruncate(fd, off_t(at)) != 0 || ::fsync(fd) != 0)
            return fail(sysError("cannot truncate the torn tail of", path));
        *notice = path + ": truncated a torn last record (" + torn + ", " + std::to_string(size - at)
            + " bytes dropped); it was never acknowledged";
    }
    file->m_enqueued = file->m_durable = at;
    return file;
}

LogFile::LogFile(int fd, std::string path, quint64 end)
    : m_fd(fd), m_path(std::move(path)), m_enqueued(end), m_durable(end)
{
}

LogFile::~LogFile()
{
    std::string ignored;
    waitDurable(m_enqueued, &ignored);
    ::close(m_fd);
}

quint64 LogFile::enqueue(const StoredRecord &r)
{
    const std::string bytes = encode(r);
    std::lock_guard lock(m_mutex);
    m_pending += bytes;
    m_enqueued += bytes.size();
    // Bulk writes (seeding) queue without waiting: hand large batches to the kernel now, the
    // next waitDurable syncs them. Nobody else is writing while no round is flushing.
    if (m_pending.size() >= kBulkWrite && !m_flushing && m_failure.empty()) {
        const size_t done = writeFully(m_fd, m_pending);
        if (done < m_pending.size())
            m_failure = sysError("cannot write", m_path);
        m_pending.erase(0, done);
    }
    return m_enqueued;
}

bool LogFile::writeAndSync(const std::string &bytes, std::string *error)
{
    if (writeFully(m_fd, bytes) < bytes.size()) {
        *error = sysError("cannot write", m_path);
        return false;
    }
    if (::fdatasync(m_fd) != 0) {
        *error = sysError("cannot sync", m_path);
        return false;
    }
    return true;
}

std::string LogFile::failure()
{
    std::lock_guard lock(m_mutex);
    return m_failure;
}

bool LogFile::waitDurable(quint64 end, std::string *error)
{
    std::unique_lock lock(m_mutex);
    while (m_durable < end && m_failure.empty()) {
        if (m_flushing) {
            m_synced.wait(lock);
            continue;
        }
        // Lead this round: take everything queued so far, write and sync it without the lock.
        m_flushing = true;
        std::string bytes;
        bytes.swap(m_pending);
        const quint64 target = m_enqueued;
        lock.unlock();
        std::string failure;
        const bool ok = bytes.empty() || writeAndSync(bytes, &failure);
        lock.lock();
        m_flushing = false;
        if (ok)
            m_durable = target;
        else
            m_failure = failure; // part of a record may be on disk: no later record may follow it
        m_synced.notify_all();
    }
    if (!m_failure.empty()) {
        *error = m_failure;
        return false;
    }
    return true;
}

} // namespace chronoscope::sandbox
