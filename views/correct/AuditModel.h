#pragma once

#include "correct/AuditReader.h"

#include <QAbstractTableModel>

namespace chronoscope::views {

/// The audit log as an auditor reads it (F9): one row per append attempt with what came of it.
/// Attempts whose answer never came back show as "pending".
class AuditModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Stream, EventType, Result, Revision, Operator, Reason, EventId, ColumnCount };

    explicit AuditModel(QObject *parent = nullptr);

    /// Shows the attempts among `selected` (the outcome of each looked up in `reader`).
    void setRecords(const AuditReader &reader, const QList<AuditRecord> &selected);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    struct Row
    {
        AuditRecord attempt;
        std::optional<AuditRecord> outcome;
        QString result; ///< the outcome's result, or "pending"
    };
    const Row &row(int r) const { return m_rows.at(r); }
    /// The rows' records (attempts and their outcomes, in log order): what an export writes.
    QList<AuditRecord> shownRecords() const;

private:
    QList<Row> m_rows;
};

} // namespace chronoscope::views
