#include "readmodel/DriftCompare.h"

#include "json/JsonDiff.h"
#include "json/JsonFormat.h"
#include "readmodel/ReadModelValue.h"

namespace chronoscope::readmodel {

namespace {

/// The whole comparison: both shapes built and diffed, every differing path with both sides' values.
AggregateDrift diffShapes(const ReadModelMapping &mapping, const QString &id, const QJsonValue &state,
                          const QJsonValue &row, int maxPaths)
{
    AggregateDrift d;
    d.aggregateId = id;
    QStringList problems;
    const QJsonObject fold = mapping.foldShape(state, &problems, id);
    const QJsonObject read = mapping.rowShape(row, &problems, id);
    engine::DiffOptions options;
    options.buildTree = false;
    const engine::DiffResult diff = engine::JsonDiff::diff(fold, read, options);
    d.pathCount = int(diff.entries.size());
    for (const engine::DiffEntry &e : diff.entries) {
        if (d.paths.size() >= maxPaths)
            break;
        const QString path = e.path.display();
        if (!d.paths.contains(path)) {
            d.paths.append(path);
            d.values.append(DriftValue{path, e.before, e.after}); // the diff's before is the fold, after the row
        }
    }
    d.problem = problems.join(QStringLiteral("; "));
    return d;
}

/// jsonpath::at() with the path split beforehand.
QJsonValue at(const QJsonValue &root, const QStringList &steps)
{
    QJsonValue v = root;
    for (const QString &step : steps) {
        if (!v.isObject())
            return QJsonValue(QJsonValue::Undefined);
        v = v.toObject().value(step);
    }
    return v;
}

/// Whether the slow way (both values built, coerced and compared by JsonFormat::valuesEqual) would certainly
/// find these two equal, told from the scalars in place. Only "certainly equal" is answered here; anything
/// else (a difference, a value not read here) goes the slow way, which also names the problem.
bool certainlyEqual(const ScalarView &fold, const ScalarView &row, const FieldCoercion &how)
{
    using K = ScalarView::Kind;
    const auto absent = [&](const ScalarView &v) {
        return v.kind == K::Missing || (v.kind == K::Null && how.nullIsMissing);
    };
    if (absent(fold) || absent(row))
        return absent(fold) && absent(row); // both coerce to Undefined
    if (fold.kind == K::Null || row.kind == K::Null)
        return fold.kind == K::Null && row.kind == K::Null; // both stay null
    switch (how.type) {
    case FieldType::Auto:
    case FieldType::String:
        // The same UTF-8 bytes are the same string; a string is itself under both. (Integers under String
        // become decimal text on both sides: left to the slow way.)
        if (fold.kind == K::Text && row.kind == K::Text)
            return fold.text == row.text;
        if (how.type == FieldType::Auto && fold.kind == K::Integer && row.kind == K::Integer)
            return fold.integer == row.integer;
        return false;
    case FieldType::Integer: return fold.kind == K::Integer && row.kind == K::Integer && fold.integer == row.integer;
    case FieldType::Timestamp: {
        // Each side as canonicalTimestamp() has it. A PostgreSQL timestamp column was canonicalised once
        // already when its value was built (zone-less as it is), and then again by the coercion.
        if (fold.kind != K::Text || (row.kind != K::Text && row.kind != K::Timestamp))
            return false;
        value::TimestampText f, r, once;
        if (!value::quickCanonicalTimestamp(fold.text, how.naiveIsUtc, &f))
            return false;
        std::string_view rowText = row.text;
        if (row.kind == K::Timestamp) {
            if (!value::quickCanonicalTimestamp(rowText, false, &once))
                return false;
            rowText = std::string_view(once.data(), size_t(once.size()));
        }
        if (!value::quickCanonicalTimestamp(rowText, how.naiveIsUtc, &r))
            return false;
        return std::string_view(f.data(), size_t(f.size())) == std::string_view(r.data(), size_t(r.size()));
    }
    default: return false;
    }
}

/// A value the diff compares leaf by leaf: objects and arrays (and anything nested) go the whole way.
bool isLeaf(const QJsonValue &v)
{
    return !v.isObject() && !v.isArray();
}

} // namespace

DriftComparer::DriftComparer(const ReadModelMapping &mapping, int maxPaths)
    : m_mapping(mapping), m_transform(mapping), m_maxPaths(maxPaths)
{
    for (const FieldMap &f : mapping.fields()) {
        m_foldPaths.append(f.foldPath.split(QLatin1Char('.')));
        m_columnPaths.append(f.column.split(QLatin1Char('.')));
        QList<QByteArray> keys;
        if (!f.foldPath.contains(QLatin1Char('{'))) {
            for (const QString &step : m_foldPaths.constLast())
                keys.append(step.toUtf8());
        }
        m_foldKeys.append(keys);
    }
}

bool DriftComparer::fieldsEqual(const QString &aggregateId, const engine::Reducer &reducer,
                                const std::function<QJsonValue(qsizetype)> &column, const RowBlock *rows,
                                qsizetype row) const
{
    const QList<FieldMap> &fields = m_mapping.fields();
    if (fields.isEmpty())
        return false; // the whole state against the whole row: the diff decides
    // Equal field by field, as the diff of the two shapes would find them: every value coerces on both sides
    // and the leaves are equal by the diff's own rule (numbers by value, exact integers exactly). A reducer with a
    // cheap stateAt() (the merge reducer) answers a place without building its whole state; any other builds it once.
    const bool byPlace = reducer.hasCheapStateAt();
    QJsonValue state;
    bool built = false;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        // First the scalars in place, where both sides can give them: most fields of a scan are equal.
        ScalarView foldScalar, rowScalar;
        if (rows && !m_foldKeys.at(i).isEmpty() && reducer.scalarAt(m_foldKeys.at(i), &foldScalar)
            && rows->scalarAt(row, m_columnPaths.at(i), &rowScalar)
            && certainlyEqual(foldScalar, rowScalar, fields.at(i).coercion))
            continue;
        // A path with `{id}`/`{stream}` placeholders is filled for this aggregate (the others were split once).
        const QStringList foldPath = fields.at(i).foldPath.contains(QLatin1Char('{'))
            ? m_mapping.foldPathOf(fields.at(i), aggregateId).split(QLatin1Char('.'))
            : m_foldPaths.at(i);
        if (!byPlace && !built) {
            state = reducer.state(); // once, and only when a field needs it
            built = true;
        }
        const QJsonValue folded = byPlace ? reducer.stateAt(foldPath) : at(state, foldPath);
        const Coerced fold = value::coerce(folded, fields.at(i).coercion);
        const Coerced read = value::coerce(column(i), fields.at(i).coercion);
        if (!fold.ok() || !read.ok() || !isLeaf(fold.value) || !isLeaf(read.value)
            || !engine::JsonFormat::valuesEqual(fold.value, read.value))
            return false;
    }
    return true;
}

std::optional<AggregateDrift> DriftComparer::compare(const QString &aggregateId, const engine::Reducer &reducer,
                                                     const QJsonValue &rawRow) const
{
    const Coerced row = m_transform.apply(rawRow);
    if (!row.ok()) {
        AggregateDrift d;
        d.aggregateId = aggregateId;
        d.status = AggregateDrift::Status::Unreadable;
        d.problem = row.error;
        return d;
    }
    if (fieldsEqual(aggregateId, reducer, [&](qsizetype i) { return at(row.value, m_columnPaths.at(i)); }))
        return std::nullopt;
    AggregateDrift d = diffShapes(m_mapping, aggregateId, reducer.state(), row.value, m_maxPaths);
    if (d.pathCount == 0 && d.problem.isEmpty())
        return std::nullopt;
    return d;
}

std::optional<AggregateDrift> DriftComparer::compare(const QString &aggregateId, const engine::Reducer &reducer,
                                                     const RowBlock &rows, qsizetype row) const
{
    // A transform reads the whole row; without one the mapped columns are read from the block one by one (the
    // whole row is built only when a field differs), which is what most rows of a scan need.
    if (!m_mapping.transformSource().isEmpty())
        return compare(aggregateId, reducer, rows.raw(row));
    if (fieldsEqual(
            aggregateId, reducer, [&](qsizetype i) { return rows.at(row, m_columnPaths.at(i)); }, &rows, row))
        return std::nullopt;
    AggregateDrift d = diffShapes(m_mapping, aggregateId, reducer.state(), rows.raw(row), m_maxPaths);
    if (d.pathCount == 0 && d.problem.isEmpty())
        return std::nullopt;
    return d;
}

} // namespace chronoscope::readmodel
