#include "json/JsonSchemaEvaluator.h"

#include "json/JsonSchemaFormats.h"
#include "json/JsonSchemaWording.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

namespace chronoscope::engine {

namespace {

using Words = JsonSchemaWording;

// Deeper than any parsed document (QJsonDocument stops at 1024 levels): only a $ref loop gets here.
constexpr int kMaxDepth = 1200;

bool isWhole(double d)
{
    return std::isfinite(d) && std::floor(d) == d;
}

bool matchesType(quint8 types, const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return types & NullType;
    case QJsonValue::Bool: return types & BooleanType;
    case QJsonValue::Object: return types & ObjectType;
    case QJsonValue::Array: return types & ArrayType;
    case QJsonValue::String: return types & StringType;
    case QJsonValue::Double: return (types & NumberType) || ((types & IntegerType) && isWhole(v.toDouble()));
    default: return false;
    }
}

// JSON Schema counts characters as Unicode code points, not UTF-16 units.
qsizetype codePoints(const QString &s)
{
    qsizetype n = s.size();
    for (qsizetype i = 1; i < s.size(); ++i) {
        if (s.at(i).isLowSurrogate() && s.at(i - 1).isHighSurrogate())
            --n;
    }
    return n;
}

bool isMultiple(double d, double of)
{
    if (isWhole(d) && isWhole(of))
        return std::fmod(d, of) == 0;
    const double q = d / of;
    if (!std::isfinite(q))
        return false;
    // Decimal steps are not exact in binary (0.0075 / 0.0001 = 74.99999999999999): allow rounding error.
    const double slack = std::max(1e-9, 8 * (std::nextafter(std::abs(q), INFINITY) - std::abs(q)));
    return std::abs(q - std::round(q)) <= slack;
}

bool hasErrorSince(const QList<JsonSchemaIssue> &issues, qsizetype mark)
{
    return std::any_of(issues.cbegin() + mark, issues.cend(), [](const JsonSchemaIssue &i) { return i.isError(); });
}

} // namespace

JsonSchemaEvaluator::JsonSchemaEvaluator(const JsonSchemaTree &tree, JsonSchemaOrigin origin)
    : m_tree(tree), m_origin(origin)
{}

JsonSchemaResult JsonSchemaEvaluator::run(const QJsonValue &document)
{
    JsonSchemaResult result;
    if (m_tree.root >= 0)
        evaluate(m_tree.root, document, &result.issues);
    return result;
}

bool JsonSchemaEvaluator::equal(const QJsonValue &a, const QJsonValue &b)
{
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case QJsonValue::Double: {
        const double x = a.toDouble(), y = b.toDouble();
        // Beyond 2^53 doubles merge neighbours; integers stored exactly still compare exactly.
        if (isWhole(x) && isWhole(y) && std::abs(x) < 9e18 && std::abs(y) < 9e18)
            return a.toInteger(qint64(x)) == b.toInteger(qint64(y));
        return x == y;
    }
    case QJsonValue::String: return a.toString() == b.toString();
    case QJsonValue::Bool: return a.toBool() == b.toBool();
    case QJsonValue::Array: {
        const QJsonArray x = a.toArray(), y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!equal(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    case QJsonValue::Object: {
        const QJsonObject x = a.toObject(), y = b.toObject();
        if (x.size() != y.size())
            return false;
        for (auto it = x.begin(); it != x.end(); ++it) {
            const auto other = y.constFind(it.key());
            if (other == y.constEnd() || !equal(it.value(), other.value()))
                return false;
        }
        return true;
    }
    default: return true; // null, undefined
    }
}

void JsonSchemaEvaluator::add(Issues *out, const JsonSchemaNode &n, const QString &keyword, const QString &message,
                              JsonSchemaSeverity severity)
{
    const QString schemaPointer = keyword == QLatin1String("false") ? n.location
                                                                    : n.location + QLatin1Char('/') + keyword;
    out->append(JsonSchemaIssue{m_path.toPointer(), keyword, message,
                                m_strict > 0 ? JsonSchemaSeverity::Error : severity, schemaPointer});
}

void JsonSchemaEvaluator::addAt(Issues *out, const PathSegment &step, const JsonSchemaNode &n, const QString &keyword,
                                const QString &message)
{
    m_path.push(step);
    add(out, n, keyword, message);
    m_path.pop();
}

bool JsonSchemaEvaluator::evaluateAt(int index, const QJsonValue &v, const PathSegment &step, Issues *out)
{
    m_path.push(step);
    const bool ok = evaluate(index, v, out);
    m_path.pop();
    return ok;
}

bool JsonSchemaEvaluator::strictly(int index, const QJsonValue &v, Issues *out)
{
    ++m_strict;
    const bool ok = evaluate(index, v, out);
    --m_strict;
    return ok;
}

bool JsonSchemaEvaluator::evaluate(int index, const QJsonValue &v, Issues *out)
{
    const JsonSchemaNode &n = m_tree.nodes[size_t(index)];
    if (n.kind == JsonSchemaNode::Kind::True)
        return true;
    if (n.kind == JsonSchemaNode::Kind::False) {
        add(out, n, QStringLiteral("false"), QStringLiteral("is not allowed here"));
        return false;
    }
    if (m_depth >= kMaxDepth) {
        add(out, n, QStringLiteral("$ref"), QStringLiteral("the schema refers to itself without end here"));
        return false;
    }
    ++m_depth;
    const qsizetype mark = out->size();
    if (n.ref >= 0) {
        evaluate(n.ref, v, out); // draft-07: $ref replaces every keyword beside it
    } else {
        checkType(n, v, out);
        checkValue(n, v, out);
        if (v.isDouble())
            checkNumber(n, v.toDouble(), out);
        else if (v.isString())
            checkString(n, v.toString(), out);
        else if (v.isArray())
            checkArray(n, v.toArray(), out);
        else if (v.isObject())
            checkObject(n, v.toObject(), out);
        checkAlternatives(n, v, false, out);
        checkAlternatives(n, v, true, out);
        checkLogic(n, v, out);
    }
    --m_depth;
    return !hasErrorSince(*out, mark);
}

void JsonSchemaEvaluator::checkType(const JsonSchemaNode &n, const QJsonValue &v, Issues *out)
{
    if (n.types == 0 || matchesType(n.types, v))
        return;
    const QString type = QStringLiteral("type");
    if (inferring())
        add(out, n, type,
            QStringLiteral("is %1; existing events have %2 here").arg(Words::describe(v), Words::types(n.types)),
            JsonSchemaSeverity::Warning);
    else
        add(out, n, type, QStringLiteral("must be %1, not %2").arg(Words::types(n.types), Words::describe(v)));
}

void JsonSchemaEvaluator::checkValue(const JsonSchemaNode &n, const QJsonValue &v, Issues *out)
{
    if (n.constValue && !equal(*n.constValue, v))
        add(out, n, QStringLiteral("const"), QStringLiteral("must be exactly ") + Words::json(*n.constValue));
    if (n.enumValues) {
        const QJsonArray &allowed = *n.enumValues;
        if (std::none_of(allowed.begin(), allowed.end(), [&](const QJsonValue &a) { return equal(a, v); })) {
            QStringList shown;
            for (qsizetype i = 0; i < allowed.size() && i < 8; ++i)
                shown.append(Words::json(allowed.at(i)));
            if (allowed.size() > 8)
                shown.append(QStringLiteral("… (%1 values)").arg(allowed.size()));
            add(out, n, QStringLiteral("enum"), QStringLiteral("must be one of ") + shown.join(QStringLiteral(", ")));
        }
    }
}

void JsonSchemaEvaluator::checkNumber(const JsonSchemaNode &n, double d, Issues *out)
{
    const QString is = QStringLiteral(" (it is ") + Words::number(d) + QLatin1Char(')');
    if (n.minimum && d < *n.minimum)
        add(out, n, QStringLiteral("minimum"), QStringLiteral("must be at least ") + Words::number(*n.minimum) + is);
    if (n.exclusiveMinimum && d <= *n.exclusiveMinimum)
        add(out, n, QStringLiteral("exclusiveMinimum"),
            QStringLiteral("must be greater than ") + Words::number(*n.exclusiveMinimum) + is);
    if (n.maximum && d > *n.maximum)
        add(out, n, QStringLiteral("maximum"), QStringLiteral("must be at most ") + Words::number(*n.maximum) + is);
    if (n.exclusiveMaximum && d >= *n.exclusiveMaximum)
        add(out, n, QStringLiteral("exclusiveMaximum"),
            QStringLiteral("must be less than ") + Words::number(*n.exclusiveMaximum) + is);
    if (n.multipleOf && !isMultiple(d, *n.multipleOf))
        add(out, n, QStringLiteral("multipleOf"),
            QStringLiteral("must be a multiple of ") + Words::number(*n.multipleOf) + is);
}

void JsonSchemaEvaluator::checkString(const JsonSchemaNode &n, const QString &s, Issues *out)
{
    if (n.minLength >= 0 || n.maxLength >= 0) {
        const qsizetype length = codePoints(s);
        const QString has = QStringLiteral(" (it has %1)").arg(length);
        if (n.minLength >= 0 && length < n.minLength)
            add(out, n, QStringLiteral("minLength"),
                QStringLiteral("must be at least ") + Words::count(n.minLength, "character", "characters")
                    + QStringLiteral(" long") + has);
        if (n.maxLength >= 0 && length > n.maxLength)
            add(out, n, QStringLiteral("maxLength"),
                QStringLiteral("must be at most ") + Words::count(n.maxLength, "character", "characters")
                    + QStringLiteral(" long") + has);
    }
    if (n.pattern && !n.pattern->match(s).hasMatch())
        add(out, n, QStringLiteral("pattern"), QStringLiteral("must match pattern ") + n.patternSource);
    if (!n.format.isEmpty() && !JsonSchemaFormats::matches(n.format, s))
        add(out, n, QStringLiteral("format"), QStringLiteral("must be ") + JsonSchemaFormats::describe(n.format));
}

void JsonSchemaEvaluator::checkArray(const JsonSchemaNode &n, const QJsonArray &a, Issues *out)
{
    const QString has = QStringLiteral(" (it has %1)").arg(a.size());
    if (n.minItems >= 0 && a.size() < n.minItems)
        add(out, n, QStringLiteral("minItems"),
            QStringLiteral("must have at least ") + Words::count(n.minItems, "item", "items") + has);
    if (n.maxItems >= 0 && a.size() > n.maxItems)
        add(out, n, QStringLiteral("maxItems"),
            QStringLiteral("must have at most ") + Words::count(n.maxItems, "item", "items") + has);
    if (n.uniqueItems) {
        bool found = false;
        for (qsizetype i = 0; i < a.size() && !found; ++i) {
            for (qsizetype j = i + 1; j < a.size() && !found; ++j) {
                if (equal(a.at(i), a.at(j))) {
                    add(out, n, QStringLiteral("uniqueItems"),
                        QStringLiteral("must not contain duplicates (items %1 and %2 are equal)").arg(i).arg(j));
                    found = true;
                }
            }
        }
    }
    for (qsizetype i = 0; i < a.size(); ++i) {
        const PathSegment step = PathSegment::ofIndex(i);
        if (!n.hasTupleItems) {
            if (n.items >= 0)
                evaluateAt(n.items, a.at(i), step, out);
        } else if (i < n.tupleItems.size()) {
            if (n.tupleItems.at(i) >= 0)
                evaluateAt(n.tupleItems.at(i), a.at(i), step, out);
        } else if (n.additionalItems >= 0) {
            if (m_tree.nodes[size_t(n.additionalItems)].kind == JsonSchemaNode::Kind::False)
                addAt(out, step, n, QStringLiteral("additionalItems"),
                      QStringLiteral("is not allowed: the array takes at most ")
                          + Words::count(n.tupleItems.size(), "item", "items"));
            else
                evaluateAt(n.additionalItems, a.at(i), step, out);
        }
    }
    if (n.contains >= 0) {
        Issues first;
        bool found = false;
        for (qsizetype i = 0; i < a.size() && !found; ++i) {
            Issues tried;
            m_path.push(PathSegment::ofIndex(i));
            found = strictly(n.contains, a.at(i), &tried);
            m_path.pop();
            if (i == 0)
                first = tried;
        }
        if (!found) {
            QString why = a.isEmpty()
                ? QStringLiteral("it is empty")
                : QStringLiteral("none of its %1 does").arg(Words::count(a.size(), "item", "items"));
            if (!first.isEmpty())
                why += QStringLiteral("; ") + first.constFirst().toString();
            add(out, n, QStringLiteral("contains"),
                QStringLiteral("must contain at least one matching item (") + why + QLatin1Char(')'));
        }
    }
}

void JsonSchemaEvaluator::checkMembers(const JsonSchemaNode &n, const QJsonObject &o, Issues *out)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        const PathSegment step = PathSegment::ofKey(it.key());
        bool listed = false;
        const auto property = n.properties.constFind(it.key());
        if (property != n.properties.constEnd()) {
            listed = true;
            if (property.value() >= 0)
                evaluateAt(property.value(), it.value(), step, out);
        }
        for (const auto &[re, index] : n.patternProperties) {
            if (re.match(it.key()).hasMatch()) {
                listed = true;
                if (index >= 0)
                    evaluateAt(index, it.value(), step, out);
            }
        }
        if (listed)
            continue;
        if (n.additionalProperties >= 0) {
            if (m_tree.nodes[size_t(n.additionalProperties)].kind != JsonSchemaNode::Kind::False) {
                evaluateAt(n.additionalProperties, it.value(), step, out);
                continue;
            }
            QStringList known = n.properties.keys();
            known.sort();
            addAt(out, step, n, QStringLiteral("additionalProperties"),
                  known.isEmpty() ? QStringLiteral("is not an allowed field")
                                  : QStringLiteral("is not an allowed field (the fields are: ")
                          + known.join(QStringLiteral(", ")) + QLatin1Char(')'));
        } else if (inferring() && n.describesObjects()) {
            m_path.push(step);
            add(out, n, QStringLiteral("properties"), QStringLiteral("is a new field: no existing event has it"),
                JsonSchemaSeverity::Warning);
            m_path.pop();
        }
    }
}

void JsonSchemaEvaluator::checkObject(const JsonSchemaNode &n, const QJsonObject &o, Issues *out)
{
    const QString has = QStringLiteral(" (it has %1)").arg(o.size());
    if (n.minProperties >= 0 && o.size() < n.minProperties)
        add(out, n, QStringLiteral("minProperties"),
            QStringLiteral("must have at least ") + Words::count(n.minProperties, "field", "fields") + has);
    if (n.maxProperties >= 0 && o.size() > n.maxProperties)
        add(out, n, QStringLiteral("maxProperties"),
            QStringLiteral("must have at most ") + Words::count(n.maxProperties, "field", "fields") + has);
    for (const QString &name : n.required) {
        if (!o.contains(name))
            addAt(out, PathSegment::ofKey(name), n, QStringLiteral("required"), QStringLiteral("is required"));
    }
    for (const auto &[present, needed] : n.dependencyLists) {
        if (!o.contains(present))
            continue;
        for (const QString &name : needed) {
            if (!o.contains(name))
                addAt(out, PathSegment::ofKey(name), n, QStringLiteral("dependencies"),
                      QStringLiteral("is required when \"%1\" is present").arg(present));
        }
    }
    for (const auto &[present, index] : n.dependencySchemas) {
        if (o.contains(present) && index >= 0)
            evaluate(index, o, out);
    }
    checkMembers(n, o, out);
    if (n.propertyNames >= 0) {
        for (auto it = o.begin(); it != o.end(); ++it) {
            Issues name;
            if (strictly(n.propertyNames, QJsonValue(it.key()), &name))
                continue;
            QStringList said;
            for (const JsonSchemaIssue &issue : std::as_const(name))
                said.append(issue.message);
            addAt(out, PathSegment::ofKey(it.key()), n, QStringLiteral("propertyNames"),
                  QStringLiteral("field name ") + said.join(QStringLiteral(", ")));
        }
    }
}

void JsonSchemaEvaluator::checkAlternatives(const JsonSchemaNode &n, const QJsonValue &v, bool exactlyOne, Issues *out)
{
    const QList<int> &options = exactlyOne ? n.oneOf : n.anyOf;
    if (options.isEmpty())
        return;
    QList<QList<JsonSchemaIssue>> failures;
    QList<int> matched;
    for (qsizetype i = 0; i < options.size(); ++i) {
        Issues tried;
        if (options.at(i) < 0 || strictly(options.at(i), v, &tried)) {
            matched.append(int(i));
            if (!exactlyOne)
                break;
        } else {
            failures.append(tried);
        }
    }
    const QString keyword = exactlyOne ? QStringLiteral("oneOf") : QStringLiteral("anyOf");
    const QString count = QString::number(options.size());
    if (matched.isEmpty()) {
        add(out, n, keyword,
            QStringLiteral("must match %1 of the %2 alternatives (%3), but matches none: %4")
                .arg(exactlyOne ? QStringLiteral("exactly one") : QStringLiteral("at least one"), count, keyword,
                     Words::alternatives(failures, m_path.toPointer())));
    } else if (matched.size() > 1) {
        QStringList which;
        for (const int i : std::as_const(matched))
            which.append(QString::number(i + 1));
        add(out, n, keyword,
            QStringLiteral("must match exactly one of the %1 alternatives (oneOf), but matches %2")
                .arg(count, which.join(QStringLiteral(" and "))));
    } else if (inferring() && options.at(matched.constFirst()) >= 0) {
        evaluate(options.at(matched.constFirst()), v, out); // again, for its warnings
    }
}

void JsonSchemaEvaluator::checkLogic(const JsonSchemaNode &n, const QJsonValue &v, Issues *out)
{
    for (const int index : n.allOf) {
        if (index >= 0)
            evaluate(index, v, out);
    }
    if (n.notSchema >= 0) {
        Issues ignored;
        if (strictly(n.notSchema, v, &ignored))
            add(out, n, QStringLiteral("not"), QStringLiteral("must not match the schema under \"not\""));
    }
    if (n.ifSchema >= 0 && (n.thenSchema >= 0 || n.elseSchema >= 0)) {
        Issues ignored;
        const int branch = strictly(n.ifSchema, v, &ignored) ? n.thenSchema : n.elseSchema;
        if (branch >= 0)
            evaluate(branch, v, out);
    }
}

} // namespace chronoscope::engine
