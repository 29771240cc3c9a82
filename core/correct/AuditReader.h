#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace chronoscope {

/// One record of the audit log as read back.
struct AuditRecord
{
    qint64 line = 0; ///< 1-based line in the file
    qint64 seq = 0;
    QString kind;       ///< "attempt", "outcome", "repair", …
    QDateTime time;     ///< UTC
    QJsonObject fields; ///< the whole record
    QByteArray raw;     ///< the line's bytes, as written

    QString text(const char *key) const { return fields.value(QLatin1String(key)).toString(); }
};

/// Which records an audit view shows. Empty members do not filter.
struct AuditFilter
{
    QString stream; ///< exact stream name
    QString user;   ///< the OS user or the connection's user
    QDateTime from; ///< inclusive
    QDateTime to;   ///< inclusive
    /// Outcome results ("appended", "already-appended", "conflict", "error", "unknown", and
    /// "pending" for an attempt without an outcome). An outcome record matches by its result, an
    /// attempt by the result of its outcome; other records never match a result filter.
    QStringList results;
};

/// Reads the audit log for the audit view (F9): records with filters, the outcome of each attempt,
/// the attempts that never got one, and exports. Reading does not check the chain
/// (AuditLog::verify() does): lines that are not whole records are skipped and counted.
class AuditReader
{
public:
    explicit AuditReader(const QString &path);

    /// Reads the file (under a shared lock). Returns an error message, empty on success.
    QString load();
    const QList<AuditRecord> &records() const { return m_records; }
    /// Lines that were not whole records (torn, garbled, edited).
    qint64 skippedLines() const { return m_skipped; }

    QList<AuditRecord> select(const AuditFilter &filter) const;
    /// The outcome written for an attempt record; nullptr when there is none (yet).
    const AuditRecord *outcomeOf(const AuditRecord &attempt) const;
    /// Attempts without an outcome: appends whose answer never came back.
    QList<AuditRecord> pendingAttempts() const;

    /// The records' lines exactly as in the log (an unfiltered export verifies like the log).
    static QString exportJsonLines(const QList<AuditRecord> &records, const QString &path);
    /// RFC 4180 CSV for spreadsheets, one row per record; text a spreadsheet would run as a
    /// formula gets a leading apostrophe.
    static QString exportCsv(const QList<AuditRecord> &records, const QString &path);
    static QByteArray csv(const QList<AuditRecord> &records);

private:
    QString resultOf(const AuditRecord &record) const;

    QString m_path;
    QList<AuditRecord> m_records;
    QHash<qint64, qsizetype> m_outcomeByAttempt; ///< attempt seq → index of its (last) outcome
    qint64 m_skipped = 0;
};

} // namespace chronoscope
