#include "correct/AuditLog.h"

#include "correct/AuditChain.h"
#include "correct/DurableFile.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace chronoscope {

namespace {

using auditchain::ParsedLine;

/// The log file, open and locked (flock: held per open file, so two threads of one process
/// exclude each other too, and released by the kernel when a process dies).
class LockedFile
{
public:
    LockedFile(const QString &path, bool forWriting)
    {
        const QByteArray name = QFile::encodeName(path);
        m_fd = forWriting ? ::open(name.constData(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600)
                          : ::open(name.constData(), O_RDONLY | O_CLOEXEC);
        if (m_fd < 0) {
            m_error = QStringLiteral("cannot open the audit log %1: %2")
                          .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
        int rc;
        do
            rc = ::flock(m_fd, forWriting ? LOCK_EX : LOCK_SH);
        while (rc != 0 && errno == EINTR);
        if (rc != 0)
            m_error = QStringLiteral("cannot lock the audit log %1: %2")
                          .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
    }
    ~LockedFile()
    {
        if (m_fd >= 0) {
            ::flock(m_fd, LOCK_UN);
            ::close(m_fd);
        }
    }
    LockedFile(const LockedFile &) = delete;
    LockedFile &operator=(const LockedFile &) = delete;

    int fd() const { return m_fd; }
    const QString &error() const { return m_error; }

    qint64 size() const
    {
        struct stat st
        {};
        return ::fstat(m_fd, &st) == 0 ? qint64(st.st_size) : -1;
    }

    /// `size` bytes from `offset`; fewer when the file is shorter.
    QByteArray readAt(qint64 offset, qint64 size) const
    {
        QByteArray bytes(size, Qt::Uninitialized);
        qint64 done = 0;
        while (done < size) {
            const ssize_t n = ::pread(m_fd, bytes.data() + done, size_t(size - done), off_t(offset + done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            done += n;
        }
        bytes.truncate(done);
        return bytes;
    }

    bool writeAll(const QByteArray &bytes) const
    {
        qint64 done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(m_fd, bytes.constData() + done, size_t(bytes.size() - done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            done += n;
        }
        return true;
    }

private:
    int m_fd = -1;
    QString m_error;
};

/// Where the next record goes, worked out from the end of the file under the lock.
struct Tail
{
    qint64 nextSeq = 1;
    QByteArray prev = auditchain::kGenesis;
    QByteArray before; ///< bytes to write ahead of the new record (a line end, a repair record)
    QString error;     ///< the end of the file is damaged: nothing may be appended
};

/// The last line(s) of the file: enough to hold the last whole line and a fragment after it.
Tail readTail(const LockedFile &file)
{
    Tail tail;
    const qint64 size = file.size();
    if (size <= 0)
        return tail;
    QByteArray bytes;
    qint64 from = size;
    bool endsWithNewline = false;
    int lastNl = -1;
    int prevNl = -1;
    for (qint64 chunk = 64 * 1024;; chunk *= 4) {
        from = qMax<qint64>(0, size - chunk);
        bytes = file.readAt(from, size - from);
        if (bytes.size() != size - from) {
            tail.error = QStringLiteral("cannot read the end of the audit log");
            return tail;
        }
        endsWithNewline = bytes.endsWith('\n');
        const QByteArray body = endsWithNewline ? bytes.chopped(1) : bytes;
        lastNl = body.lastIndexOf('\n');
        prevNl = lastNl > 0 ? body.lastIndexOf('\n', lastNl - 1) : -1;
        const bool enough = endsWithNewline ? lastNl >= 0 : prevNl >= 0;
        if (enough || from == 0)
            break;
    }
    if (endsWithNewline)
        bytes.chop(1);
    // `bytes` is now [… \n] L [\n F], where F is only there when the file does not end in '\n'.
    QByteArray last;     // the last whole line
    QByteArray fragment; // after it, without a line end
    bool hasLast = true;
    if (endsWithNewline) {
        last = bytes.mid(lastNl + 1);
    } else {
        fragment = bytes.mid(lastNl + 1);
        hasLast = lastNl >= 0;
        if (hasLast)
            last = bytes.mid(prevNl + 1, lastNl - prevNl - 1);
    }
    qint64 lastSeq = 0;
    QByteArray lastHash = auditchain::kGenesis;
    if (hasLast) {
        const ParsedLine parsed = auditchain::parseLine(last);
        if (parsed.state != ParsedLine::State::Record) {
            tail.error = QStringLiteral("the audit log's last line is damaged (%1); nothing is appended after it: "
                                        "verify the log, and move it aside to start a new one")
                             .arg(parsed.why);
            return tail;
        }
        lastSeq = parsed.seq;
        lastHash = auditchain::sha256Hex(last);
    }
    tail.nextSeq = lastSeq + 1;
    tail.prev = lastHash;
    if (endsWithNewline)
        return tail;
    // The file ends in a fragment: a record whose line end is missing, or a write cut short.
    const ParsedLine parsed = auditchain::parseLine(fragment);
    if (parsed.state == ParsedLine::State::Record && parsed.seq == lastSeq + 1 && parsed.prev == lastHash) {
        tail.before = "\n";
        tail.nextSeq = parsed.seq + 1;
        tail.prev = auditchain::sha256Hex(fragment);
        return tail;
    }
    if (!auditchain::isTornRecord(fragment, lastSeq + 1, lastHash)) {
        tail.error = QStringLiteral("the audit log ends in %1 bytes that are not a record cut short; nothing is "
                                    "appended after them: verify the log, and move it aside to start a new one")
                         .arg(fragment.size());
        return tail;
    }
    QJsonObject repair;
    repair.insert(QLatin1String("tornBytes"), qint64(fragment.size()));
    repair.insert(QLatin1String("tornSha256"), QString::fromLatin1(auditchain::sha256Hex(fragment)));
    repair.insert(QLatin1String("note"),
                  QStringLiteral("the line before this one was cut short (a writer died while "
                                 "writing it); it is kept as it is and holds no record"));
    const QByteArray repairLine = auditchain::makeLine(lastSeq + 1, auditchain::sha256Hex(fragment),
                                                       QStringLiteral("repair"), QDateTime::currentDateTimeUtc(),
                                                       repair);
    tail.before = "\n" + repairLine + "\n";
    tail.nextSeq = lastSeq + 2;
    tail.prev = auditchain::sha256Hex(repairLine);
    return tail;
}

/// The seq of a line, if it is JSON with one (for telling removed records from reordered ones).
qint64 seqOf(const QByteArray &line)
{
    const ParsedLine parsed = auditchain::parseLine(line);
    return parsed.state == ParsedLine::State::NotJson ? 0 : parsed.object.value(QLatin1String("seq")).toInteger(0);
}

} // namespace

bool AuditVerification::suggestsTampering() const
{
    return problem != Problem::None && problem != Problem::TruncatedLastLine && problem != Problem::Unreadable;
}

QString AuditVerification::problemName(Problem problem)
{
    switch (problem) {
    case Problem::None: return QStringLiteral("none");
    case Problem::Edited: return QStringLiteral("edited");
    case Problem::Removed: return QStringLiteral("removed");
    case Problem::Reordered: return QStringLiteral("reordered");
    case Problem::TruncatedLastLine: return QStringLiteral("truncated-last-line");
    case Problem::NotJson: return QStringLiteral("not-json");
    case Problem::NotARecord: return QStringLiteral("not-a-record");
    case Problem::Unreadable: return QStringLiteral("unreadable");
    }
    return {};
}

QString AuditVerification::toString() const
{
    if (ok()) {
        QString s = QStringLiteral("OK: %1 records").arg(records);
        if (!repairedLines.isEmpty())
            s += QStringLiteral(" (%1 line(s) cut short by a crash, closed by a repair record)")
                     .arg(repairedLines.size());
        return s;
    }
    return QStringLiteral("line %1: %2 — %3").arg(line).arg(problemName(problem), detail);
}

AuditLog::AuditLog(const QString &path) : m_path(path.isEmpty() ? defaultPath() : path) {}

QString AuditLog::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/audit.jsonl");
}

AuditLog::Written AuditLog::recordAttempt(const AuditAttempt &attempt) const
{
    return append(QStringLiteral("attempt"), attempt.toJson());
}

AuditLog::Written AuditLog::recordOutcome(qint64 attemptSeq, const AuditAttempt &attempt,
                                          const AuditOutcome &outcome) const
{
    return append(QStringLiteral("outcome"), outcome.toJson(attemptSeq, attempt));
}

AuditLog::Written AuditLog::append(const QString &kind, const QJsonObject &fields) const
{
    Written written;
    const QString folder = QFileInfo(m_path).absolutePath();
    if (const QString error = durable::makeDirectory(folder); !error.isEmpty()) {
        written.error = error;
        return written;
    }
    const bool existed = QFileInfo::exists(m_path);
    LockedFile file(m_path, true);
    if (!file.error().isEmpty()) {
        written.error = file.error();
        return written;
    }
    const Tail tail = readTail(file);
    if (!tail.error.isEmpty()) {
        written.error = tail.error;
        return written;
    }
    const QByteArray line = auditchain::makeLine(tail.nextSeq, tail.prev, kind, QDateTime::currentDateTimeUtc(),
                                                 fields);
    const qint64 sizeBefore = file.size();
    // One write(2) for the whole record (and a repair ahead of it): lines of two writers never mix,
    // and the lock makes sure the hash read above is still the last one.
    if (!file.writeAll(tail.before + line + '\n')) {
        const QString why = QString::fromLocal8Bit(std::strerror(errno));
        // Take back the part that went in, so the next record does not follow a fragment of ours.
        if (::ftruncate(file.fd(), off_t(sizeBefore)) == 0)
            ::fsync(file.fd());
        written.error = QStringLiteral("cannot write to the audit log %1: %2").arg(m_path, why);
        return written;
    }
    if (::fsync(file.fd()) != 0) {
        written.error = QStringLiteral("cannot sync the audit log %1 to disk: %2")
                            .arg(m_path, QString::fromLocal8Bit(std::strerror(errno)));
        return written;
    }
    if (!existed && !durable::syncDirectory(folder)) {
        written.error = QStringLiteral("cannot sync the folder of the new audit log %1").arg(m_path);
        return written;
    }
    written.seq = tail.nextSeq;
    written.sha256 = auditchain::sha256Hex(line);
    return written;
}

QString AuditLog::readContent(QByteArray *content) const
{
    content->clear();
    if (!QFileInfo::exists(m_path))
        return {};
    LockedFile file(m_path, false);
    if (!file.error().isEmpty())
        return file.error();
    const qint64 size = file.size();
    *content = size >= 0 ? file.readAt(0, size) : QByteArray();
    if (size < 0 || content->size() != size)
        return QStringLiteral("cannot read the audit log %1").arg(m_path);
    return {};
}

QByteArray AuditLog::headSha256(QString *error) const
{
    if (!QFileInfo::exists(m_path))
        return auditchain::kGenesis;
    LockedFile file(m_path, false);
    if (!file.error().isEmpty()) {
        if (error)
            *error = file.error();
        return {};
    }
    const Tail tail = readTail(file);
    if (!tail.error.isEmpty()) {
        if (error)
            *error = tail.error;
        return {};
    }
    return tail.prev;
}

AuditVerification AuditLog::verify() const
{
    QByteArray content;
    if (const QString error = readContent(&content); !error.isEmpty()) {
        AuditVerification v;
        v.problem = AuditVerification::Problem::Unreadable;
        v.detail = error;
        return v;
    }
    return verifyContent(content); // a log not written yet is empty, and whole
}

AuditVerification AuditLog::verifyContent(const QByteArray &content)
{
    using Problem = AuditVerification::Problem;
    AuditVerification v;
    v.headSha256 = auditchain::kGenesis;
    const bool torn = !content.isEmpty() && !content.endsWith('\n');
    QList<QByteArray> lines = content.split('\n');
    if (!torn)
        lines.removeLast(); // the empty piece after the final line end
    auto fail = [&v](Problem problem, qint64 line, const QString &detail) {
        v.problem = problem;
        v.line = line;
        v.detail = detail;
        return v;
    };
    for (qint64 i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qint64 lineNo = i + 1;
        const qint64 expectedSeq = v.lastSeq + 1;
        const bool isLast = i == lines.size() - 1;
        const ParsedLine parsed = auditchain::parseLine(line);
        if (isLast && torn && parsed.state != ParsedLine::State::Record) {
            if (auditchain::isTornRecord(line, expectedSeq, v.headSha256)) {
                return fail(Problem::TruncatedLastLine, lineNo,
                            QStringLiteral(
                                "the last line stops after %1 bytes without a line end: a write that did not "
                                "finish (the writer died, or the file was cut here); the %2 records before it "
                                "are whole")
                                .arg(line.size())
                                .arg(v.records));
            }
            if (parsed.state == ParsedLine::State::NotJson)
                return fail(Problem::NotJson, lineNo,
                            QStringLiteral("the last line is %1, and not the beginning of record %2 either")
                                .arg(parsed.why)
                                .arg(expectedSeq));
        }
        if (parsed.state == ParsedLine::State::NotJson) {
            // A line a crash cut short, which the next writer closed with a repair record naming it.
            if (i + 1 < lines.size() && auditchain::isTornRecord(line, expectedSeq, v.headSha256)) {
                const ParsedLine next = auditchain::parseLine(lines.at(i + 1));
                if (next.state == ParsedLine::State::Record && next.kind == QLatin1String("repair")
                    && next.prev == auditchain::sha256Hex(line)) {
                    v.repairedLines.append(lineNo);
                    v.headSha256 = next.prev;
                    continue;
                }
            }
            return fail(Problem::NotJson, lineNo, QStringLiteral("the line is %1").arg(parsed.why));
        }
        if (parsed.state == ParsedLine::State::NotARecord)
            return fail(Problem::NotARecord, lineNo, parsed.why);
        if (parsed.state == ParsedLine::State::BadHash)
            return fail(Problem::Edited, lineNo,
                        QStringLiteral("record %1 was changed: %2").arg(parsed.seq).arg(parsed.why));
        if (parsed.seq != expectedSeq) {
            for (qint64 j = i + 1; j < lines.size(); ++j) {
                if (seqOf(lines.at(j)) == expectedSeq)
                    return fail(Problem::Reordered, lineNo,
                                QStringLiteral("record %1 stands here, but record %2 is further down, at line %3")
                                    .arg(parsed.seq)
                                    .arg(expectedSeq)
                                    .arg(j + 1));
            }
            if (parsed.seq > expectedSeq)
                return fail(Problem::Removed, lineNo,
                            parsed.seq == expectedSeq + 1
                                ? QStringLiteral("record %1 is missing before this line (record %2)")
                                      .arg(expectedSeq)
                                      .arg(parsed.seq)
                                : QStringLiteral("records %1 to %2 are missing before this line (record %3)")
                                      .arg(expectedSeq)
                                      .arg(parsed.seq - 1)
                                      .arg(parsed.seq));
            return fail(Problem::Reordered, lineNo,
                        QStringLiteral("record %1 comes again, or out of order, after record %2")
                            .arg(parsed.seq)
                            .arg(v.lastSeq));
        }
        if (parsed.prev != v.headSha256) {
            // The seq fits, so nothing is missing: the line before was changed after this one was
            // written (and its own hash recomputed, or its edit would have shown there).
            v.records = qMax<qint64>(0, v.records - 1);
            return fail(Problem::Edited, lineNo > 1 ? lineNo - 1 : lineNo,
                        lineNo > 1 ? QStringLiteral("line %1 was changed after line %2 was written: its hash is not "
                                                    "the one line %2 recorded")
                                         .arg(lineNo - 1)
                                         .arg(lineNo)
                                   : QStringLiteral("the first record does not start the chain (its prev is not the "
                                                    "genesis value)"));
        }
        if (isLast && torn)
            return fail(Problem::TruncatedLastLine, lineNo,
                        QStringLiteral("record %1 is whole but its line end is missing: a write that did not finish; "
                                       "the %2 records before it are whole")
                            .arg(parsed.seq)
                            .arg(v.records));
        v.records += 1;
        v.lastSeq = parsed.seq;
        v.headSha256 = auditchain::sha256Hex(line);
    }
    return v;
}

} // namespace chronoscope
