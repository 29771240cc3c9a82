#pragma once

#include "readmodel/DriftScan.h"
#include "readmodel/ReadModelTransform.h"

#include <functional>
#include <optional>

namespace chronoscope::readmodel {

/// The drift scan's comparison of one aggregate's fold with its row, made once per fold thread (the
/// transform's engine belongs to its thread). Most aggregates of a scan are equal: the mapped fields are
/// coerced and compared one by one, reading only those places of the reducer's state; only when a field
/// differs or does not coerce are the whole shapes built and diffed for the report.
class DriftComparer
{
public:
    DriftComparer(const ReadModelMapping &mapping, int maxPaths);

    /// nullopt when the row says what the events say; else the drift (Different, or Unreadable with a problem).
    std::optional<AggregateDrift> compare(const QString &aggregateId, const engine::Reducer &reducer,
                                          const QJsonValue &rawRow) const;
    /// The same for row `row` of a block, reading only the mapped columns unless they differ.
    std::optional<AggregateDrift> compare(const QString &aggregateId, const engine::Reducer &reducer,
                                          const RowBlock &rows, qsizetype row) const;

private:
    /// `column(i)`: the row's value for field i (its column path), before coercion. `rows`/`row`, when given,
    /// are asked first for the scalar in place (RowBlock::scalarAt), as the reducer is (Reducer::scalarAt).
    bool fieldsEqual(const QString &aggregateId, const engine::Reducer &reducer,
                     const std::function<QJsonValue(qsizetype)> &column, const RowBlock *rows = nullptr,
                     qsizetype row = 0) const;

    const ReadModelMapping &m_mapping;
    const ReadModelTransform m_transform;
    QList<QStringList> m_foldPaths;   ///< each field's fold path, split at the dots
    QList<QStringList> m_columnPaths; ///< each field's column (a dotted path into a JSON row), split
    QList<QList<QByteArray>> m_foldKeys; ///< m_foldPaths as UTF-8 (empty for a path with placeholders)
    int m_maxPaths;
};

} // namespace chronoscope::readmodel
