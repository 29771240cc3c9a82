#include "readmodel/postgres/PostgresRows.h"

#include "readmodel/postgres/PostgresValues.h"

#include <QJsonObject>

#include <algorithm>

namespace chronoscope::readmodel::postgres {

namespace {

QString idText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toInteger());
    return {};
}

QJsonValue fieldValue(pqxx::oid type, const pqxx::field &f)
{
    return f.is_null() ? QJsonValue(QJsonValue::Null) : valueFromText(type, f.c_str(), int(f.size()));
}

} // namespace

Columns::Columns(const pqxx::result &r)
{
    const auto n = r.columns();
    wholeJson = n == 1 && isJsonType(r.column_type(0));
    for (pqxx::row::size_type i = 0; i < n; ++i) {
        names.append(QString::fromUtf8(r.column_name(i)));
        types.push_back(r.column_type(i));
        order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(), [this](auto a, auto b) { return names.at(a) < names.at(b); });
}

int Columns::indexOf(const QString &name) const
{
    return int(names.lastIndexOf(name));
}

QJsonValue rowValue(const Columns &c, const pqxx::row &row)
{
    if (c.wholeJson && !row[0].is_null()) {
        const QJsonValue whole = valueFromText(c.types[0], row[0].c_str(), int(row[0].size()));
        if (whole.isObject())
            return whole;
    }
    QJsonObject o;
    for (const pqxx::row::size_type i : c.order)
        o.insert(c.names.at(i), fieldValue(c.types[i], row[i]));
    return o;
}

PostgresRowBlock::PostgresRowBlock(pqxx::result result) : m_result(std::move(result)), m_columns(m_result) {}

bool PostgresRowBlock::readIds(const QStringList &idColumn)
{
    const auto n = qsizetype(m_result.size());
    m_ids.reserve(n);
    for (qsizetype i = 0; i < n; ++i) {
        // The id's text in place when it is text or an integer (the usual), else as at() builds it.
        ScalarView v;
        QString id;
        if (scalarAt(i, idColumn, &v) && v.kind == ScalarView::Kind::Text)
            id = QString::fromUtf8(v.text.data(), qsizetype(v.text.size()));
        else if (v.kind == ScalarView::Kind::Integer)
            id = QString::number(v.integer);
        else
            id = idText(at(i, idColumn));
        if (id.isEmpty())
            return false;
        m_ids.append(std::move(id));
    }
    return true;
}

QJsonValue PostgresRowBlock::raw(qsizetype row) const
{
    return rowValue(m_columns, m_result[pqxx::result::size_type(row)]);
}

QJsonValue PostgresRowBlock::at(qsizetype row, const QStringList &steps) const
{
    // A row of one json column may be that column's object: only the whole row says which.
    if (m_columns.wholeJson || steps.isEmpty())
        return valueAt(raw(row), steps);
    const int column = m_columns.indexOf(steps.first());
    if (column < 0)
        return QJsonValue(QJsonValue::Undefined);
    const auto c = pqxx::row::size_type(column);
    return valueAt(fieldValue(m_columns.types[c], m_result[pqxx::result::size_type(row)][c]), steps, 1);
}

bool PostgresRowBlock::scalarAt(qsizetype row, const QStringList &steps, ScalarView *out) const
{
    if (m_columns.wholeJson || steps.size() != 1)
        return false;
    const int column = m_columns.indexOf(steps.first());
    if (column < 0) {
        *out = ScalarView{}; // Missing, as at() says
        return true;
    }
    const auto c = pqxx::row::size_type(column);
    const pqxx::field f = m_result[pqxx::result::size_type(row)][c];
    if (f.is_null()) {
        *out = ScalarView{ScalarView::Kind::Null, false, 0, {}};
        return true;
    }
    return scalarFromText(m_columns.types[c], std::string_view(f.c_str(), f.size()), out);
}

} // namespace chronoscope::readmodel::postgres
