#pragma once

#include "correct/AuditEntry.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace chronoscope {

/// What AuditLog::verify() found: the log is whole, or the first line where it is not and why.
struct AuditVerification
{
    enum class Problem {
        None,
        Edited,            ///< a record was changed after it was written
        Removed,           ///< records are missing (their seq numbers are absent)
        Reordered,         ///< records are out of order, or one appears twice
        TruncatedLastLine, ///< the last line was cut short: a write that did not finish (a crash)
        NotJson,           ///< a line that is not JSON (and not a torn write)
        NotARecord,        ///< JSON that is not an audit record
        Unreadable,        ///< the file could not be read
    };
    Problem problem = Problem::None;
    qint64 records = 0;    ///< records checked and whole, before the problem
    qint64 line = 0;       ///< the first broken line, from 1; 0 when none
    QString detail;        ///< why, in words
    qint64 lastSeq = 0;    ///< seq of the last whole record
    QByteArray headSha256; ///< hash of the last whole line (the genesis value for an empty log)
    /// Lines a crash cut short that a later append closed with a `repair` record (not problems).
    QList<qint64> repairedLines;

    bool ok() const { return problem == Problem::None; }
    /// True for the problems a crash cannot explain: some one or some thing changed the file.
    bool suggestsTampering() const;
    /// "edited", "removed", "reordered", "truncated-last-line", "not-json", "not-a-record", "unreadable".
    static QString problemName(Problem problem);
    /// "OK: 12 records" or "line 5: edited — …".
    QString toString() const;
};

/// The local, append-only audit log of corrections (F9): JSON Lines, one record per line, each
/// chained to the one before by its SHA-256 (auditchain::makeLine has the format).
///
/// Every append attempt is two records: `attempt`, written and fsync'd *before* the call is made,
/// and `outcome`, written and fsync'd after the answer. An attempt without an outcome is therefore
/// an append whose answer never came back (the app died or lost the connection). A caller must not
/// make the call when recordAttempt() failed: an append the log cannot tell about is not made.
///
/// Several writers (two windows, the CLI) may share one file: each append holds an exclusive lock
/// on it (flock), reads the last line's hash under the lock, writes its line with one write(2) and
/// syncs, so lines never interleave and the chain stays one chain. A last line cut short by a crash
/// is closed by the next append with a `repair` record that names it, so the chain goes on and the
/// damage stays visible.
///
/// The chain tells a removed, reordered, edited or garbled line apart, and a torn last line from
/// tampering. It cannot show that records were cut off the *end* at a line boundary, nor that the
/// whole file was rewritten with fresh hashes: for that, recordAttempt() returns the record's hash,
/// which the caller can put somewhere the user cannot rewrite (the appended event's metadata).
///
/// Unix only (flock, fsync), like the rest of core's file handling.
class AuditLog
{
public:
    /// `path` empty: defaultPath(). The file and its folder are created (owner-only) on first use.
    explicit AuditLog(const QString &path = {});

    /// `<AppDataLocation>/audit.jsonl`.
    static QString defaultPath();
    QString path() const { return m_path; }

    struct Written
    {
        qint64 seq = 0;
        QByteArray sha256; ///< hex SHA-256 of the line written
        QString error;     ///< empty when the record is written and on disk
        bool ok() const { return error.isEmpty(); }
    };

    /// Writes the `attempt` record and syncs it. Make the append only when this succeeded.
    Written recordAttempt(const AuditAttempt &attempt) const;
    /// Writes the `outcome` record of the attempt written as `attemptSeq`, and syncs it.
    Written recordOutcome(qint64 attemptSeq, const AuditAttempt &attempt, const AuditOutcome &outcome) const;
    /// Writes any record: `kind` and `fields` (other writes the guard covers, e.g. persistent
    /// subscription changes, use their own kinds).
    Written append(const QString &kind, const QJsonObject &fields) const;

    /// The whole file, read under a shared lock (no half-written line of another writer). A log
    /// that does not exist yet is empty. Returns an error message, empty on success.
    QString readContent(QByteArray *content) const;

    /// The hash the next record will chain to: the SHA-256 of the last whole record (the genesis
    /// value for a log not written yet), read from the end of the file under a shared lock. The
    /// Corrector puts it into the appended event's metadata (`auditAnchor`). Empty, with `error`
    /// set, when the file cannot be read or its end is damaged.
    QByteArray headSha256(QString *error = nullptr) const;

    /// Walks the whole file (under a shared lock, so no half-written line of another writer is
    /// seen) and checks every line and link.
    AuditVerification verify() const;
    /// The same check of a log's bytes (an exported copy, a test).
    static AuditVerification verifyContent(const QByteArray &content);

private:
    QString m_path;
};

} // namespace chronoscope
