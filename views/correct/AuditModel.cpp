#include "correct/AuditModel.h"

#include <QColor>

#include <algorithm>

namespace chronoscope::views {

AuditModel::AuditModel(QObject *parent) : QAbstractTableModel(parent) {}

void AuditModel::setRecords(const AuditReader &reader, const QList<AuditRecord> &selected)
{
    beginResetModel();
    m_rows.clear();
    for (const AuditRecord &record : selected) {
        // Appends, and the other writes the guard covers ("subscription-attempt", …).
        if (record.kind != QLatin1String("attempt") && !record.kind.endsWith(QLatin1String("-attempt")))
            continue;
        Row row;
        row.attempt = record;
        if (const AuditRecord *outcome = reader.outcomeOf(record))
            row.outcome = *outcome;
        row.result = row.outcome ? row.outcome->text("result") : QStringLiteral("pending");
        m_rows.append(row);
    }
    endResetModel();
}

int AuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AuditModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == Qt::ForegroundRole && index.column() == Result) {
        if (row.result == QLatin1String("appended") || row.result == QLatin1String("already-appended")
            || row.result == QLatin1String("done"))
            return QColor(0x2e, 0x7d, 0x32);
        if (row.result == QLatin1String("pending") || row.result == QLatin1String("unknown"))
            return QColor(0xb4, 0x53, 0x09);
        return QColor(0xc6, 0x28, 0x28);
    }
    if (role == Qt::ToolTipRole && index.column() == Result && row.outcome)
        return row.outcome->text("message");
    if (role != Qt::DisplayRole)
        return {};
    const AuditRecord &a = row.attempt;
    switch (index.column()) {
    case Time: return a.time.toString(Qt::ISODateWithMs);
    case Stream: return a.text("stream");
    case EventType:
        if (a.kind != QLatin1String("attempt")) // another write: what it did, to which group
            return QString(a.text("operation") + QLatin1Char(' ') + a.text("group"));
        return a.text("eventType");
    case Result: return row.result;
    case Revision: {
        if (!row.outcome)
            return {};
        const QJsonValue revision = row.outcome->fields.value(QLatin1String("revision"));
        return revision.isUndefined() ? QVariant() : QVariant(revision.toInteger());
    }
    case Operator: {
        const QString os = a.text("osUser");
        const QString conn = a.text("connectionUser");
        return conn.isEmpty() ? os : tr("%1 (as %2)").arg(os, conn);
    }
    case Reason: return a.text("reason");
    case EventId: return a.text("eventId");
    default: return {};
    }
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time (UTC)");
    case Stream: return tr("Stream");
    case EventType: return tr("Event type");
    case Result: return tr("Result");
    case Revision: return tr("Revision");
    case Operator: return tr("Operator");
    case Reason: return tr("Reason");
    case EventId: return tr("Event id");
    default: return {};
    }
}

QList<AuditRecord> AuditModel::shownRecords() const
{
    QList<AuditRecord> records;
    for (const Row &row : m_rows) {
        records.append(row.attempt);
        if (row.outcome)
            records.append(*row.outcome);
    }
    std::sort(records.begin(), records.end(),
              [](const AuditRecord &a, const AuditRecord &b) { return a.line < b.line; });
    return records;
}

} // namespace chronoscope::views
