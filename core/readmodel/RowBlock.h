#pragma once

#include "model/ScalarView.h"

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace chronoscope::readmodel {

struct ReadModelRow;

/// A batch of read-model rows as the backend gave them, their values built only when asked for: a drift scan
/// reads a few mapped fields of most rows and the whole row of only the few that differ, so a source that
/// keeps its rows in their wire form (PostgreSQL's text) spares building a JSON object per row. Read-only once
/// handed over, and read from several threads at once.
class RowBlock
{
public:
    virtual ~RowBlock() = default;

    virtual qsizetype size() const = 0;
    /// The row's aggregate id (ReadModelRow::aggregateId), never empty.
    virtual QString aggregateId(qsizetype row) const = 0;
    /// Why this one row cannot be read (ReadModelRow::problem); empty when it can.
    virtual QString problem(qsizetype row) const = 0;
    /// The whole row, exactly as ReadModelRow::raw has it.
    virtual QJsonValue raw(qsizetype row) const = 0;
    /// The value at a path of object keys into raw(row) (jsonpath::at with the path split at its dots); a
    /// source overrides it to build that one value only.
    virtual QJsonValue at(qsizetype row, const QStringList &steps) const;
    /// The scalar at(row, steps) would build from, as the block holds it; false where the block cannot say
    /// that way (the caller then asks at()). A source overrides it to spare the drift scan a JSON value per field.
    virtual bool scalarAt(qsizetype row, const QStringList &steps, ScalarView *out) const
    {
        Q_UNUSED(row);
        Q_UNUSED(steps);
        Q_UNUSED(out);
        return false;
    }

    /// The rows in the form ReadModelSource::scan() hands over.
    QList<ReadModelRow> rows() const;
};

using RowBlockPtr = std::shared_ptr<const RowBlock>;

/// Rows already built (what ReadModelSource::scan() gave) as a block.
class BuiltRowBlock : public RowBlock
{
public:
    explicit BuiltRowBlock(QList<ReadModelRow> rows);
    ~BuiltRowBlock() override;

    qsizetype size() const override;
    QString aggregateId(qsizetype row) const override;
    QString problem(qsizetype row) const override;
    QJsonValue raw(qsizetype row) const override;

private:
    QList<ReadModelRow> m_rows;
};

/// The value at `steps` below `v` (object keys; Undefined where a step is missing or not an object).
QJsonValue valueAt(QJsonValue v, const QStringList &steps, qsizetype from = 0);

} // namespace chronoscope::readmodel
