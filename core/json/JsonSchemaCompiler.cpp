#include "json/JsonSchemaCompiler.h"

#include "json/JsonPath.h"
#include "json/JsonSchemaFormats.h"
#include "json/JsonSchemaKeywords.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace chronoscope::engine {

namespace {

QString child(const QString &pointer, const QString &key)
{
    return pointer + QLatin1Char('/') + JsonPath::escapeKey(key);
}

QString child(const QString &pointer, qsizetype index)
{
    return pointer + QLatin1Char('/') + QString::number(index);
}

QString quoted(const QString &s)
{
    return QLatin1Char('"') + s + QLatin1Char('"');
}

bool isNonNegativeInteger(const QJsonValue &v)
{
    const double d = v.toDouble(-1);
    return v.isDouble() && d >= 0 && std::isfinite(d) && std::floor(d) == d;
}

quint8 typeBit(const QString &name)
{
    static const QHash<QString, quint8> bits{
        {QStringLiteral("null"), NullType},       {QStringLiteral("boolean"), BooleanType},
        {QStringLiteral("object"), ObjectType},   {QStringLiteral("array"), ArrayType},
        {QStringLiteral("number"), NumberType},   {QStringLiteral("string"), StringType},
        {QStringLiteral("integer"), IntegerType},
    };
    return bits.value(name, 0);
}

const QString kRefHidesSiblings = QStringLiteral(
    "is ignored: in draft-07 \"$ref\" replaces every keyword beside it (put both in an \"allOf\")");

} // namespace

JsonSchemaTree JsonSchemaCompiler::compile(const QJsonValue &schema, QList<JsonSchemaIssue> *problems)
{
    JsonSchemaCompiler c(schema);
    if (schema.isObject() || schema.isBool())
        c.m_tree.root = c.node(schema, QString(), c.m_resolver.rootBase());
    else
        c.problem(QString(), QString(), QStringLiteral("a schema must be an object, true or false"));
    c.resolveRefs();
    c.findRefLoops();
    for (const JsonSchemaIssue &u : std::as_const(c.m_unknown)) {
        const bool referenced = std::any_of(c.m_refTargets.cbegin(), c.m_refTargets.cend(), [&](const QString &t) {
            return t == u.pointer || t.startsWith(u.pointer + QLatin1Char('/'));
        });
        if (!referenced)
            c.m_problems.append(u);
    }
    // In the schema's order, not in the order the passes found them.
    std::stable_sort(c.m_problems.begin(), c.m_problems.end(),
                     [](const JsonSchemaIssue &a, const JsonSchemaIssue &b) { return a.pointer < b.pointer; });
    if (problems)
        problems->append(c.m_problems);
    return std::move(c.m_tree);
}

JsonSchemaCompiler::JsonSchemaCompiler(const QJsonValue &document) : m_resolver(document) {}

void JsonSchemaCompiler::problem(const QString &pointer, const QString &keyword, const QString &message,
                                 JsonSchemaSeverity severity)
{
    m_problems.append(JsonSchemaIssue{pointer, keyword, message, severity, QString()});
}

int JsonSchemaCompiler::node(const QJsonValue &schema, const QString &pointer, const QUrl &base)
{
    const auto known = m_byPointer.constFind(pointer);
    if (known != m_byPointer.constEnd())
        return known.value();
    // Reserve the index first: the subschemas compiled below may refer back to this one.
    const int index = int(m_tree.nodes.size());
    m_tree.nodes.emplace_back();
    m_byPointer.insert(pointer, index);
    JsonSchemaNode n;
    n.location = pointer;
    if (schema.isBool()) {
        n.kind = schema.toBool() ? JsonSchemaNode::Kind::True : JsonSchemaNode::Kind::False;
    } else {
        n.kind = JsonSchemaNode::Kind::Object;
        compileObject(schema.toObject(), pointer, base, &n);
    }
    m_tree.nodes[size_t(index)] = std::move(n);
    return index;
}

int JsonSchemaCompiler::subschema(const QJsonValue &value, const QString &pointer, const QString &keyword,
                                  const QUrl &base)
{
    if (value.isObject() || value.isBool())
        return node(value, pointer, base);
    problem(pointer, keyword, QStringLiteral("must be a schema (an object, true or false)"));
    return -1;
}

QList<int> JsonSchemaCompiler::schemaList(const QJsonValue &value, const QString &at, const QString &keyword,
                                          const QUrl &base)
{
    QList<int> out;
    if (!value.isArray() || value.toArray().isEmpty()) {
        problem(at, keyword, QStringLiteral("must be a non-empty array of schemas"));
        return out;
    }
    const QJsonArray a = value.toArray();
    for (qsizetype i = 0; i < a.size(); ++i)
        out.append(subschema(a.at(i), child(at, i), keyword, base));
    return out;
}

void JsonSchemaCompiler::compileObject(const QJsonObject &o, const QString &pointer, const QUrl &base,
                                       JsonSchemaNode *n)
{
    const bool hasRef = o.contains(QLatin1String("$ref"));
    QUrl here = base;
    const QJsonValue id = o.value(QLatin1String("$id"));
    bool ok = true;
    if (id.isString() && !hasRef) // draft-07 ignores $id beside $ref, too
        here = m_resolver.declare(id.toString(), pointer, base, &ok);
    if (!ok || !(id.isUndefined() || id.isString()))
        problem(child(pointer, QStringLiteral("$id")), QStringLiteral("$id"), QStringLiteral("must be a URI"));
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString &key = it.key();
        const QString at = child(pointer, key);
        if (key == QLatin1String("$ref")) {
            if (it.value().isString())
                m_refs.append(PendingRef{pointer, it.value().toString(), base});
            else
                problem(at, key, QStringLiteral("must be a string (a reference such as \"#/definitions/money\")"));
        } else if (JsonSchemaKeywords::annotations().contains(key)) {
            annotation(key, it.value(), at, here);
        } else if (!JsonSchemaKeywords::assertions().contains(key)) {
            m_unknown.append(
                JsonSchemaIssue{at, key, JsonSchemaKeywords::whyUnknown(key), JsonSchemaSeverity::Error, QString()});
        } else if (hasRef) {
            problem(at, key, kRefHidesSiblings, JsonSchemaSeverity::Warning);
        } else {
            assertion(o, key, at, here, n);
        }
    }
}

void JsonSchemaCompiler::annotation(const QString &key, const QJsonValue &value, const QString &at, const QUrl &base)
{
    if (key != QLatin1String("definitions")) {
        const QString wrong = JsonSchemaKeywords::checkAnnotation(key, value);
        if (!wrong.isEmpty())
            problem(at, key, wrong);
    } else if (!value.isObject()) {
        problem(at, key, QStringLiteral("must be an object of named schemas"));
    } else {
        const QJsonObject defs = value.toObject();
        for (auto it = defs.begin(); it != defs.end(); ++it)
            subschema(it.value(), child(at, it.key()), key, base);
    }
}

void JsonSchemaCompiler::types(const QJsonValue &value, const QString &at, JsonSchemaNode *n)
{
    const QString key = QStringLiteral("type");
    const QJsonArray list = value.isArray() ? value.toArray() : QJsonArray{value};
    if (list.isEmpty())
        problem(at, key, QStringLiteral("must name at least one type"));
    for (const QJsonValue &t : list) {
        const quint8 bit = typeBit(t.toString());
        if (!t.isString() || bit == 0) {
            const QString shown = t.isString() ? quoted(t.toString()) : QStringLiteral("(not a string)");
            problem(at, key,
                    QStringLiteral("unknown type ") + shown
                        + QStringLiteral(" (the types are object, array, string, number, integer, boolean and null)"));
        } else if (n->types & bit) {
            problem(at, key, QStringLiteral("names ") + quoted(t.toString()) + QStringLiteral(" twice"));
        }
        n->types |= bit;
    }
}

std::optional<QRegularExpression> JsonSchemaCompiler::regex(const QJsonValue &value, const QString &at,
                                                            const QString &keyword)
{
    if (!value.isString()) {
        problem(at, keyword, QStringLiteral("must be a string (a regular expression)"));
        return std::nullopt;
    }
    const QRegularExpression re = JsonSchemaFormats::regularExpression(value.toString());
    if (!re.isValid()) {
        problem(at, keyword,
                QStringLiteral("%1 is not a valid regular expression: %2 at offset %3")
                    .arg(quoted(value.toString()), re.errorString())
                    .arg(re.patternErrorOffset()));
        return std::nullopt;
    }
    return re;
}

bool JsonSchemaCompiler::names(const QJsonValue &value, const QString &at, const QString &keyword, QStringList *out)
{
    if (!value.isArray()) {
        problem(at, keyword, QStringLiteral("must be an array of property names"));
        return false;
    }
    const QJsonArray a = value.toArray();
    for (const QJsonValue &v : a) {
        if (!v.isString() || out->contains(v.toString())) {
            problem(at, keyword, QStringLiteral("must be an array of distinct property names"));
            return false;
        }
        out->append(v.toString());
    }
    return true;
}

void JsonSchemaCompiler::assertion(const QJsonObject &o, const QString &key, const QString &at, const QUrl &base,
                                   JsonSchemaNode *n)
{
    const QJsonValue v = o.value(key);
    const auto number = [&](std::optional<double> *out) {
        if (v.isDouble())
            *out = v.toDouble();
        else
            problem(at, key, QStringLiteral("must be a number"));
    };
    const auto count = [&](qint64 *out) {
        if (isNonNegativeInteger(v))
            *out = qint64(v.toDouble());
        else
            problem(at, key, QStringLiteral("must be a whole number, 0 or more"));
    };
    const auto one = [&](int *out) { *out = subschema(v, at, key, base); };

    if (key == QLatin1String("type")) {
        types(v, at, n);
    } else if (key == QLatin1String("enum")) {
        if (v.isArray() && !v.toArray().isEmpty())
            n->enumValues = v.toArray();
        else
            problem(at, key, QStringLiteral("must be a non-empty array of the allowed values"));
    } else if (key == QLatin1String("const")) {
        n->constValue = v;
    } else if (key == QLatin1String("multipleOf")) {
        number(&n->multipleOf);
        if (n->multipleOf && *n->multipleOf <= 0) {
            problem(at, key, QStringLiteral("must be greater than 0"));
            n->multipleOf.reset();
        }
    } else if (key == QLatin1String("minimum")) {
        number(&n->minimum);
    } else if (key == QLatin1String("maximum")) {
        number(&n->maximum);
    } else if (key == QLatin1String("exclusiveMinimum") || key == QLatin1String("exclusiveMaximum")) {
        if (v.isBool())
            problem(at, key,
                    QStringLiteral("must be a number: in draft-07 it is the limit itself, not a flag beside \"%1\"")
                        .arg(key == QLatin1String("exclusiveMinimum") ? QStringLiteral("minimum")
                                                                      : QStringLiteral("maximum")));
        else
            number(key == QLatin1String("exclusiveMinimum") ? &n->exclusiveMinimum : &n->exclusiveMaximum);
    } else if (key == QLatin1String("minLength")) {
        count(&n->minLength);
    } else if (key == QLatin1String("maxLength")) {
        count(&n->maxLength);
    } else if (key == QLatin1String("pattern")) {
        n->pattern = regex(v, at, key);
        n->patternSource = v.toString();
    } else if (key == QLatin1String("format")) {
        if (!v.isString())
            problem(at, key, QStringLiteral("must be a string"));
        else if (!JsonSchemaFormats::isSupported(v.toString()))
            problem(at, key,
                    QStringLiteral("format %1 is not supported (supported: %2)")
                        .arg(quoted(v.toString()), JsonSchemaFormats::supported().join(QStringLiteral(", "))));
        else
            n->format = v.toString();
    } else if (key == QLatin1String("items")) {
        n->hasTupleItems = v.isArray();
        if (v.isArray()) {
            const QJsonArray a = v.toArray();
            for (qsizetype i = 0; i < a.size(); ++i)
                n->tupleItems.append(subschema(a.at(i), child(at, i), key, base));
        } else {
            one(&n->items);
        }
    } else if (key == QLatin1String("additionalItems")) {
        one(&n->additionalItems);
        if (!o.value(QLatin1String("items")).isArray())
            problem(at, key, QStringLiteral("is ignored: \"additionalItems\" only applies beside an \"items\" array"),
                    JsonSchemaSeverity::Warning);
    } else if (key == QLatin1String("minItems")) {
        count(&n->minItems);
    } else if (key == QLatin1String("maxItems")) {
        count(&n->maxItems);
    } else if (key == QLatin1String("uniqueItems")) {
        if (v.isBool())
            n->uniqueItems = v.toBool();
        else
            problem(at, key, QStringLiteral("must be true or false"));
    } else if (key == QLatin1String("contains")) {
        one(&n->contains);
    } else if (key == QLatin1String("minProperties")) {
        count(&n->minProperties);
    } else if (key == QLatin1String("maxProperties")) {
        count(&n->maxProperties);
    } else if (key == QLatin1String("required")) {
        names(v, at, key, &n->required);
    } else if (key == QLatin1String("properties") || key == QLatin1String("patternProperties")) {
        if (!v.isObject()) {
            problem(at, key, QStringLiteral("must be an object of schemas"));
            return;
        }
        const QJsonObject props = v.toObject();
        for (auto it = props.begin(); it != props.end(); ++it) {
            const int index = subschema(it.value(), child(at, it.key()), key, base);
            if (key == QLatin1String("properties")) {
                n->properties.insert(it.key(), index);
            } else if (const auto re = regex(QJsonValue(it.key()), child(at, it.key()), key)) {
                n->patternProperties.append({*re, index});
            }
        }
        n->hasProperties = n->hasProperties || key == QLatin1String("properties");
    } else if (key == QLatin1String("additionalProperties")) {
        one(&n->additionalProperties);
    } else if (key == QLatin1String("dependencies")) {
        if (!v.isObject()) {
            problem(at, key, QStringLiteral("must be an object"));
            return;
        }
        const QJsonObject deps = v.toObject();
        for (auto it = deps.begin(); it != deps.end(); ++it) {
            QStringList needed;
            if (it.value().isArray()) {
                if (names(it.value(), child(at, it.key()), key, &needed))
                    n->dependencyLists.append({it.key(), needed});
            } else {
                n->dependencySchemas.append({it.key(), subschema(it.value(), child(at, it.key()), key, base)});
            }
        }
    } else if (key == QLatin1String("propertyNames")) {
        one(&n->propertyNames);
    } else if (key == QLatin1String("if")) {
        one(&n->ifSchema);
        if (!o.contains(QLatin1String("then")) && !o.contains(QLatin1String("else")))
            problem(at, key, QStringLiteral("has no effect without \"then\" or \"else\""), JsonSchemaSeverity::Warning);
    } else if (key == QLatin1String("then") || key == QLatin1String("else")) {
        one(key == QLatin1String("then") ? &n->thenSchema : &n->elseSchema);
        if (!o.contains(QLatin1String("if")))
            problem(at, key, QStringLiteral("is ignored without \"if\""), JsonSchemaSeverity::Warning);
    } else if (key == QLatin1String("allOf")) {
        n->allOf = schemaList(v, at, key, base);
    } else if (key == QLatin1String("anyOf")) {
        n->anyOf = schemaList(v, at, key, base);
    } else if (key == QLatin1String("oneOf")) {
        n->oneOf = schemaList(v, at, key, base);
    } else if (key == QLatin1String("not")) {
        one(&n->notSchema);
    }
}

void JsonSchemaCompiler::resolveRefs()
{
    // Compiling a target can find more references: walk m_refs by index, it grows meanwhile.
    for (qsizetype i = 0; i < m_refs.size(); ++i) {
        const PendingRef r = m_refs.at(i);
        const QString at = child(r.pointer, QStringLiteral("$ref"));
        const QString keyword = QStringLiteral("$ref");
        const JsonSchemaRefResolver::Target target = m_resolver.resolve(r.ref, r.base);
        switch (target.outcome) {
        case JsonSchemaRefResolver::Target::Outcome::Invalid:
            problem(at, keyword, quoted(r.ref) + QStringLiteral(" is not a valid reference"));
            break;
        case JsonSchemaRefResolver::Target::Outcome::Remote:
            problem(at, keyword,
                    QStringLiteral("remote $ref is not supported: %1 is outside this schema "
                                   "(only references within it, such as \"#/definitions/money\")")
                        .arg(quoted(r.ref)));
            break;
        case JsonSchemaRefResolver::Target::Outcome::Missing:
            problem(at, keyword, quoted(r.ref) + QStringLiteral(" does not point to a schema within this document"));
            break;
        case JsonSchemaRefResolver::Target::Outcome::Found:
            m_refTargets.append(target.pointer);
            const int index = node(target.schema, target.pointer, target.base);
            m_tree.nodes[size_t(m_byPointer.value(r.pointer))].ref = index;
            break;
        }
    }
}

void JsonSchemaCompiler::findRefLoops()
{
    // A chain of $refs that comes back to where it started never reaches a keyword to check.
    for (size_t start = 0; start < m_tree.nodes.size(); ++start) {
        QSet<int> seen;
        int at = int(start);
        while (at >= 0 && m_tree.nodes[size_t(at)].ref >= 0 && !seen.contains(at)) {
            seen.insert(at);
            at = m_tree.nodes[size_t(at)].ref;
        }
        if (at == int(start) && !seen.isEmpty()) {
            const JsonSchemaNode &n = m_tree.nodes[start];
            problem(child(n.location, QStringLiteral("$ref")), QStringLiteral("$ref"),
                    QStringLiteral("is a loop: the references lead back here without reaching a schema"));
        }
    }
}

} // namespace chronoscope::engine
