#include "correct/AuditReader.h"

#include "archive/EventExport.h"
#include "correct/AuditChain.h"
#include "correct/AuditLog.h"
#include "correct/DurableFile.h"

#include <QJsonValue>

namespace chronoscope {

namespace {

const char *const kCsvColumns[] = {
    "seq",
    "time",
    "kind",
    "result",
    "stream",
    "eventId",
    "eventType",
    "expectedRevision",
    "revision",
    "actualRevision",
    "commitPosition",
    "preparePosition",
    "errorKind",
    "message",
    "reason",
    "osUser",
    "connectionUser",
    "connection",
    "host",
    "tool",
    "toolVersion",
    "attemptSeq",
    "draftId",
    "correctsEventId",
    "correlationId",
    "dataSha256",
    "metadataSha256",
    "data",
    "metadata",
};

/// A record's field as a CSV cell (quoted and formula-guarded as every CSV of the tool is).
QByteArray csvCell(const QJsonValue &value, bool isConflict, const char *column)
{
    if (value.isDouble())
        return QByteArray::number(value.toInteger());
    if (value.isNull() && isConflict && qstrcmp(column, "actualRevision") == 0)
        return "no_stream";
    return EventExport::csvCell(value.toString());
}

} // namespace

AuditReader::AuditReader(const QString &path) : m_path(path) {}

QString AuditReader::load()
{
    m_records.clear();
    m_outcomeByAttempt.clear();
    m_skipped = 0;
    QByteArray content;
    if (const QString error = AuditLog(m_path).readContent(&content); !error.isEmpty())
        return error;
    const QList<QByteArray> lines = content.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (line.isEmpty() && i == lines.size() - 1)
            break; // after the last line end
        const auditchain::ParsedLine parsed = auditchain::parseLine(line);
        if (parsed.state != auditchain::ParsedLine::State::Record) {
            ++m_skipped;
            continue;
        }
        AuditRecord r;
        r.line = i + 1;
        r.seq = parsed.seq;
        r.kind = parsed.kind;
        r.time = QDateTime::fromString(parsed.object.value(QLatin1String("time")).toString(), Qt::ISODateWithMs);
        r.fields = parsed.object;
        r.raw = line;
        // Appends' outcomes, and those of the other writes the guard covers ("subscription-outcome", …).
        if (r.kind == QLatin1String("outcome") || r.kind.endsWith(QLatin1String("-outcome")))
            m_outcomeByAttempt.insert(r.fields.value(QLatin1String("attemptSeq")).toInteger(), m_records.size());
        m_records.append(r);
    }
    return {};
}

const AuditRecord *AuditReader::outcomeOf(const AuditRecord &attempt) const
{
    const auto it = m_outcomeByAttempt.constFind(attempt.seq);
    return it == m_outcomeByAttempt.cend() ? nullptr : &m_records.at(*it);
}

QString AuditReader::resultOf(const AuditRecord &record) const
{
    if (record.kind == QLatin1String("outcome"))
        return record.text("result");
    if (record.kind == QLatin1String("attempt")) {
        const AuditRecord *outcome = outcomeOf(record);
        return outcome ? outcome->text("result") : QStringLiteral("pending");
    }
    return {};
}

QList<AuditRecord> AuditReader::pendingAttempts() const
{
    QList<AuditRecord> pending;
    for (const AuditRecord &r : m_records) {
        if (r.kind == QLatin1String("attempt") && !outcomeOf(r))
            pending.append(r);
    }
    return pending;
}

QList<AuditRecord> AuditReader::select(const AuditFilter &filter) const
{
    QList<AuditRecord> selected;
    for (const AuditRecord &r : m_records) {
        if (!filter.stream.isEmpty() && r.text("stream") != filter.stream)
            continue;
        if (!filter.user.isEmpty() && r.text("osUser") != filter.user && r.text("connectionUser") != filter.user)
            continue;
        if (filter.from.isValid() && !(r.time.isValid() && r.time >= filter.from))
            continue;
        if (filter.to.isValid() && !(r.time.isValid() && r.time <= filter.to))
            continue;
        if (!filter.results.isEmpty()) {
            const QString result = resultOf(r);
            if (result.isEmpty() || !filter.results.contains(result))
                continue;
        }
        selected.append(r);
    }
    return selected;
}

QString AuditReader::exportJsonLines(const QList<AuditRecord> &records, const QString &path)
{
    QByteArray bytes;
    for (const AuditRecord &r : records)
        bytes += r.raw + '\n';
    return durable::replaceFile(path, bytes);
}

QByteArray AuditReader::csv(const QList<AuditRecord> &records)
{
    QByteArray out;
    for (const char *column : kCsvColumns)
        out += (out.isEmpty() ? "" : ",") + QByteArray(column);
    out += "\r\n";
    for (const AuditRecord &r : records) {
        const bool isConflict = r.text("result") == QLatin1String("conflict");
        QByteArray row;
        bool first = true;
        for (const char *column : kCsvColumns) {
            if (!first)
                row += ',';
            first = false;
            row += csvCell(r.fields.value(QLatin1String(column)), isConflict, column);
        }
        out += row + "\r\n";
    }
    return out;
}

QString AuditReader::exportCsv(const QList<AuditRecord> &records, const QString &path)
{
    return durable::replaceFile(path, csv(records));
}

} // namespace chronoscope
