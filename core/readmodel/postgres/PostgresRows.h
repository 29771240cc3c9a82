#pragma once

#include "readmodel/ReadModelSource.h"

#include <pqxx/pqxx>

#include <vector>

namespace chronoscope::readmodel::postgres {

/// A result's columns, read once for all its rows: their names as QStrings, and the order that inserts them
/// into a QJsonObject by name (each insert then lands at the end: no search, no move), which a scan of a
/// hundred thousand rows would otherwise redo per row.
struct Columns
{
    explicit Columns(const pqxx::result &r);
    /// The column a row's key names: the last of that name, as the row's object keeps it; -1 for none.
    int indexOf(const QString &name) const;

    bool wholeJson = false; ///< one json/jsonb column: an object there is the whole row
    QStringList names;
    std::vector<pqxx::oid> types;
    std::vector<pqxx::row::size_type> order;
};

/// A row as JSON: an object of its columns by name, each value by its type (valueFromText), or — one json
/// column holding an object — that object.
QJsonValue rowValue(const Columns &c, const pqxx::row &row);

/// One FETCH's rows kept as libpq holds them (text), for the drift scan: only the ids are read out when the
/// block is made; a value is built when asked for, the whole row only by raw().
class PostgresRowBlock : public RowBlock
{
public:
    explicit PostgresRowBlock(pqxx::result result);

    /// Reads every row's id from `idColumn` (a dotted path); false when a row has none (or it is NULL).
    bool readIds(const QStringList &idColumn);

    qsizetype size() const override { return m_ids.size(); }
    QString aggregateId(qsizetype row) const override { return m_ids.at(row); }
    QString problem(qsizetype) const override { return {}; }
    QJsonValue raw(qsizetype row) const override;
    QJsonValue at(qsizetype row, const QStringList &steps) const override;
    bool scalarAt(qsizetype row, const QStringList &steps, ScalarView *out) const override;

private:
    pqxx::result m_result;
    Columns m_columns;
    QStringList m_ids;
};

} // namespace chronoscope::readmodel::postgres
