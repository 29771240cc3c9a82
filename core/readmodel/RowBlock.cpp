#include "readmodel/RowBlock.h"

#include "readmodel/ReadModelSource.h"

#include <QJsonObject>

namespace chronoscope::readmodel {

QJsonValue valueAt(QJsonValue v, const QStringList &steps, qsizetype from)
{
    for (qsizetype i = from; i < steps.size(); ++i) {
        if (!v.isObject())
            return QJsonValue(QJsonValue::Undefined);
        v = v.toObject().value(steps.at(i));
    }
    return v;
}

QJsonValue RowBlock::at(qsizetype row, const QStringList &steps) const
{
    return valueAt(raw(row), steps);
}

QList<ReadModelRow> RowBlock::rows() const
{
    QList<ReadModelRow> out;
    out.reserve(size());
    for (qsizetype i = 0; i < size(); ++i)
        out.append(ReadModelRow{aggregateId(i), raw(i), problem(i)});
    return out;
}

BuiltRowBlock::BuiltRowBlock(QList<ReadModelRow> rows) : m_rows(std::move(rows)) {}

BuiltRowBlock::~BuiltRowBlock() = default;

qsizetype BuiltRowBlock::size() const
{
    return m_rows.size();
}

QString BuiltRowBlock::aggregateId(qsizetype row) const
{
    return m_rows.at(row).aggregateId;
}

QString BuiltRowBlock::problem(qsizetype row) const
{
    return m_rows.at(row).problem;
}

QJsonValue BuiltRowBlock::raw(qsizetype row) const
{
    return m_rows.at(row).raw;
}

ReadModelError ReadModelSource::scanBlocks(int batchSize, const CancellationPtr &cancel, const BlockSink &sink)
{
    return scan(batchSize, cancel,
                [&sink](const QList<ReadModelRow> &batch) { return sink(std::make_shared<BuiltRowBlock>(batch)); });
}

} // namespace chronoscope::readmodel
