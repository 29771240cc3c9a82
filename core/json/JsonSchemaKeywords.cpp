#include "json/JsonSchemaKeywords.h"

#include <QHash>

#include <algorithm>

namespace chronoscope::engine {

namespace {

// Levenshtein distance, enough to suggest the keyword someone meant.
int distance(const QString &a, const QString &b)
{
    QList<int> row(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        row[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

// Keywords people bring from elsewhere, with what to write instead.
const QHash<QString, QString> &foreignKeywords()
{
    static const QHash<QString, QString> table{
        {QStringLiteral("$defs"),
         QStringLiteral("belongs to a later draft (2019-09); in draft-07 use \"definitions\"")},
        {QStringLiteral("$anchor"),
         QStringLiteral("belongs to a later draft (2019-09); in draft-07 use \"$id\": \"#name\"")},
        {QStringLiteral("dependentRequired"),
         QStringLiteral("belongs to a later draft (2019-09); in draft-07 use \"dependencies\"")},
        {QStringLiteral("dependentSchemas"),
         QStringLiteral("belongs to a later draft (2019-09); in draft-07 use \"dependencies\"")},
        {QStringLiteral("prefixItems"),
         QStringLiteral("belongs to a later draft (2020-12); in draft-07 use \"items\" with an array")},
        {QStringLiteral("unevaluatedProperties"),
         QStringLiteral("belongs to a later draft (2019-09) and is not supported")},
        {QStringLiteral("unevaluatedItems"), QStringLiteral("belongs to a later draft (2019-09) and is not supported")},
        {QStringLiteral("minContains"), QStringLiteral("belongs to a later draft (2019-09) and is not supported")},
        {QStringLiteral("maxContains"), QStringLiteral("belongs to a later draft (2019-09) and is not supported")},
        {QStringLiteral("$recursiveRef"), QStringLiteral("belongs to a later draft (2019-09) and is not supported")},
        {QStringLiteral("$recursiveAnchor"), QStringLiteral("belongs to a later draft (2019-09) and is not supported")},
        {QStringLiteral("$dynamicRef"), QStringLiteral("belongs to a later draft (2020-12) and is not supported")},
        {QStringLiteral("$dynamicAnchor"), QStringLiteral("belongs to a later draft (2020-12) and is not supported")},
        {QStringLiteral("$vocabulary"), QStringLiteral("belongs to a later draft (2019-09) and is not supported")},
        {QStringLiteral("contentSchema"), QStringLiteral("belongs to a later draft (2019-09) and is not supported")},
        {QStringLiteral("deprecated"), QStringLiteral("belongs to a later draft (2019-09) and is not supported")},
        {QStringLiteral("divisibleBy"), QStringLiteral("belongs to draft-03; in draft-07 use \"multipleOf\"")},
        {QStringLiteral("extends"), QStringLiteral("belongs to draft-03; in draft-07 use \"allOf\"")},
        {QStringLiteral("disallow"), QStringLiteral("belongs to draft-03; in draft-07 use \"not\"")},
        {QStringLiteral("nullable"), QStringLiteral("is OpenAPI, not JSON Schema; use \"type\": [\"…\", \"null\"]")},
        {QStringLiteral("example"), QStringLiteral("is OpenAPI, not JSON Schema; use \"examples\" (an array)")},
        {QStringLiteral("discriminator"), QStringLiteral("is OpenAPI, not JSON Schema; use \"oneOf\" with \"const\"")},
    };
    return table;
}

} // namespace

const QStringList &JsonSchemaKeywords::assertions()
{
    static const QStringList list{
        QStringLiteral("$ref"),
        QStringLiteral("type"),
        QStringLiteral("enum"),
        QStringLiteral("const"),
        QStringLiteral("multipleOf"),
        QStringLiteral("maximum"),
        QStringLiteral("exclusiveMaximum"),
        QStringLiteral("minimum"),
        QStringLiteral("exclusiveMinimum"),
        QStringLiteral("maxLength"),
        QStringLiteral("minLength"),
        QStringLiteral("pattern"),
        QStringLiteral("format"),
        QStringLiteral("items"),
        QStringLiteral("additionalItems"),
        QStringLiteral("maxItems"),
        QStringLiteral("minItems"),
        QStringLiteral("uniqueItems"),
        QStringLiteral("contains"),
        QStringLiteral("maxProperties"),
        QStringLiteral("minProperties"),
        QStringLiteral("required"),
        QStringLiteral("properties"),
        QStringLiteral("patternProperties"),
        QStringLiteral("additionalProperties"),
        QStringLiteral("dependencies"),
        QStringLiteral("propertyNames"),
        QStringLiteral("if"),
        QStringLiteral("then"),
        QStringLiteral("else"),
        QStringLiteral("allOf"),
        QStringLiteral("anyOf"),
        QStringLiteral("oneOf"),
        QStringLiteral("not"),
    };
    return list;
}

const QStringList &JsonSchemaKeywords::annotations()
{
    static const QStringList list{
        QStringLiteral("title"),       QStringLiteral("description"),      QStringLiteral("default"),
        QStringLiteral("examples"),    QStringLiteral("$comment"),         QStringLiteral("readOnly"),
        QStringLiteral("writeOnly"),   QStringLiteral("contentMediaType"), QStringLiteral("contentEncoding"),
        QStringLiteral("definitions"), QStringLiteral("$schema"),          QStringLiteral("$id"),
    };
    return list;
}

bool JsonSchemaKeywords::isKnown(const QString &keyword)
{
    return assertions().contains(keyword) || annotations().contains(keyword);
}

QString JsonSchemaKeywords::checkAnnotation(const QString &keyword, const QJsonValue &value)
{
    if (keyword == QLatin1String("$schema")) {
        QString uri = value.toString();
        if (uri.endsWith(QLatin1Char('#')))
            uri.chop(1);
        if (uri == QLatin1String("http://json-schema.org/draft-07/schema")
            || uri == QLatin1String("https://json-schema.org/draft-07/schema"))
            return {};
        return QStringLiteral("only JSON Schema draft-07 is supported (\"http://json-schema.org/draft-07/schema#\")");
    }
    if (keyword == QLatin1String("readOnly") || keyword == QLatin1String("writeOnly"))
        return value.isBool() ? QString() : QStringLiteral("must be true or false");
    if (keyword == QLatin1String("examples"))
        return value.isArray() ? QString() : QStringLiteral("must be an array");
    if (keyword == QLatin1String("default") || keyword == QLatin1String("$id")
        || keyword == QLatin1String("definitions"))
        return {};
    return value.isString() ? QString() : QStringLiteral("must be a string");
}

QString JsonSchemaKeywords::whyUnknown(const QString &keyword)
{
    const auto foreign = foreignKeywords().constFind(keyword);
    if (foreign != foreignKeywords().constEnd())
        return QLatin1String("\"") + keyword + QLatin1String("\" ") + foreign.value();
    QString best;
    int bestDistance = 3; // suggest only near misses
    for (const QStringList *list : {&assertions(), &annotations()}) {
        for (const QString &known : *list) {
            const int d = known.compare(keyword, Qt::CaseInsensitive) == 0 ? 0 : distance(known, keyword);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
    }
    QString out = QStringLiteral("unknown keyword \"") + keyword + QLatin1Char('"');
    if (!best.isEmpty())
        out += QStringLiteral(" (did you mean \"") + best + QStringLiteral("\"?)");
    return out;
}

} // namespace chronoscope::engine
