#pragma once

#include <QAbstractItemModel>
#include <QStringList>

#include <functional>

namespace chronoscope::test {

/// How printTree() writes one row, given the row's index in column 0.
using RowText = std::function<QString(const QModelIndex &)>;

/// A row's columns (DisplayRole) joined by " | ": "path | before | after".
inline QString columnsText(const QModelIndex &row)
{
    QStringList columns;
    for (int c = 0; c < row.model()->columnCount(row.parent()); ++c)
        columns << row.siblingAtColumn(c).data().toString();
    return columns.join(QStringLiteral(" | "));
}

/// A tree as indented text, one line per row, every row expanded (children two spaces further in), for
/// expected trees written as readable text and compared with QCOMPARE. Any model will do: a view's
/// model(), a proxy, a QTreeWidget's model().
inline QString printTree(const QAbstractItemModel &model, const RowText &rowText = columnsText,
                         const QModelIndex &parent = {}, int depth = 0)
{
    QString out;
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        out += QString(depth * 2, QLatin1Char(' ')) + rowText(i) + QLatin1Char('\n')
            + printTree(model, rowText, i, depth + 1);
    }
    return out;
}

} // namespace chronoscope::test
