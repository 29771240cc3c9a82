#include "json/JsonSchemaValidator.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace chronoscope::engine {

namespace {

QString typeOf(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("boolean");
    case QJsonValue::Double: {
        const double d = v.toDouble();
        return std::floor(d) == d && std::isfinite(d) ? QStringLiteral("integer") : QStringLiteral("number");
    }
    case QJsonValue::String: return QStringLiteral("string");
    case QJsonValue::Array: return QStringLiteral("array");
    case QJsonValue::Object: return QStringLiteral("object");
    default: return QStringLiteral("undefined");
    }
}

bool typeMatches(const QString &actual, const QString &wanted)
{
    return actual == wanted || (wanted == QLatin1String("number") && actual == QLatin1String("integer"));
}

} // namespace

QString JsonSchemaValidator::checkSchema(const QJsonObject &s, const QString &path)
{
    static const QStringList types{QStringLiteral("object"), QStringLiteral("array"), QStringLiteral("string"),
                                   QStringLiteral("number"), QStringLiteral("integer"), QStringLiteral("boolean"),
                                   QStringLiteral("null")};
    const QJsonValue type = s.value(QLatin1String("type"));
    if (!type.isUndefined()) {
        const QJsonArray list = type.isArray() ? type.toArray() : QJsonArray{type};
        for (const QJsonValue &t : list) {
            if (!types.contains(t.toString()))
                return path + QStringLiteral(".type: unknown type ") + QString::fromUtf8(QJsonDocument(QJsonArray{t}).toJson(QJsonDocument::Compact));
        }
    }
    for (const char *k : {"minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"}) {
        const QJsonValue v = s.value(QLatin1String(k));
        if (!v.isUndefined() && !v.isDouble())
            return path + QLatin1Char('.') + QLatin1String(k) + QStringLiteral(": must be a number");
    }
    if (s.contains(QLatin1String("required")) && !s.value(QLatin1String("required")).isArray())
        return path + QStringLiteral(".required: must be an array of names");
    if (s.contains(QLatin1String("enum")) && !s.value(QLatin1String("enum")).isArray())
        return path + QStringLiteral(".enum: must be an array");
    const QJsonValue props = s.value(QLatin1String("properties"));
    if (!props.isUndefined()) {
        if (!props.isObject())
            return path + QStringLiteral(".properties: must be an object");
        const QJsonObject p = props.toObject();
        for (auto it = p.begin(); it != p.end(); ++it) {
            if (!it.value().isObject())
                return path + QStringLiteral(".properties.") + it.key() + QStringLiteral(": must be a schema object");
            const QString inner = checkSchema(it.value().toObject(), path + QStringLiteral(".properties.") + it.key());
            if (!inner.isEmpty())
                return inner;
        }
    }
    const QJsonValue items = s.value(QLatin1String("items"));
    if (!items.isUndefined()) {
        if (!items.isObject())
            return path + QStringLiteral(".items: must be a schema object (tuple forms are not supported)");
        return checkSchema(items.toObject(), path + QStringLiteral(".items"));
    }
    return {};
}

QStringList JsonSchemaValidator::validate(const QJsonValue &value, const QJsonObject &schema)
{
    QStringList out;
    validate(value, schema, QStringLiteral("$"), &out);
    return out;
}

void JsonSchemaValidator::validate(const QJsonValue &v, const QJsonObject &s, const QString &path, QStringList *out)
{
    const QString actual = typeOf(v);
    const QJsonValue type = s.value(QLatin1String("type"));
    if (!type.isUndefined()) {
        const QJsonArray list = type.isArray() ? type.toArray() : QJsonArray{type};
        bool ok = false;
        QStringList wanted;
        for (const QJsonValue &t : list) {
            wanted.append(t.toString());
            ok = ok || typeMatches(actual, t.toString());
        }
        if (!ok) {
            out->append(path + QStringLiteral(": expected ") + wanted.join(QStringLiteral(" or ")) + QStringLiteral(", got ") + actual);
            return;
        }
    }
    if (s.contains(QLatin1String("enum")) && !s.value(QLatin1String("enum")).toArray().contains(v))
        out->append(path + QStringLiteral(": not one of the allowed values"));
    if (s.contains(QLatin1String("const")) && s.value(QLatin1String("const")) != v)
        out->append(path + QStringLiteral(": not the required constant"));
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (s.contains(QLatin1String("minimum")) && d < s.value(QLatin1String("minimum")).toDouble())
            out->append(path + QStringLiteral(": %1 is below the minimum %2").arg(d).arg(s.value(QLatin1String("minimum")).toDouble()));
        if (s.contains(QLatin1String("maximum")) && d > s.value(QLatin1String("maximum")).toDouble())
            out->append(path + QStringLiteral(": %1 is above the maximum %2").arg(d).arg(s.value(QLatin1String("maximum")).toDouble()));
    }
    if (v.isString()) {
        const qsizetype n = v.toString().size();
        if (s.contains(QLatin1String("minLength")) && n < s.value(QLatin1String("minLength")).toInt())
            out->append(path + QStringLiteral(": shorter than %1").arg(s.value(QLatin1String("minLength")).toInt()));
        if (s.contains(QLatin1String("maxLength")) && n > s.value(QLatin1String("maxLength")).toInt())
            out->append(path + QStringLiteral(": longer than %1").arg(s.value(QLatin1String("maxLength")).toInt()));
    }
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (const QJsonValue &r : s.value(QLatin1String("required")).toArray()) {
            if (!o.contains(r.toString()))
                out->append(path + QStringLiteral(": missing required property \"") + r.toString() + QLatin1Char('"'));
        }
        const QJsonObject props = s.value(QLatin1String("properties")).toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (props.contains(it.key()))
                validate(it.value(), props.value(it.key()).toObject(), path + QLatin1Char('.') + it.key(), out);
            else if (s.value(QLatin1String("additionalProperties")) == QJsonValue(false))
                out->append(path + QStringLiteral(": unexpected property \"") + it.key() + QLatin1Char('"'));
        }
    }
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        if (s.contains(QLatin1String("minItems")) && a.size() < s.value(QLatin1String("minItems")).toInt())
            out->append(path + QStringLiteral(": fewer than %1 items").arg(s.value(QLatin1String("minItems")).toInt()));
        if (s.contains(QLatin1String("maxItems")) && a.size() > s.value(QLatin1String("maxItems")).toInt())
            out->append(path + QStringLiteral(": more than %1 items").arg(s.value(QLatin1String("maxItems")).toInt()));
        if (s.value(QLatin1String("items")).isObject()) {
            const QJsonObject items = s.value(QLatin1String("items")).toObject();
            for (qsizetype i = 0; i < a.size(); ++i)
                validate(a.at(i), items, path + QLatin1Char('[') + QString::number(i) + QLatin1Char(']'), out);
        }
    }
}

} // namespace chronoscope::engine
