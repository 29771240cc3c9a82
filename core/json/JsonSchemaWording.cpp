#include "json/JsonSchemaWording.h"

#include "json/JsonSchemaNode.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace chronoscope::engine {

QString JsonSchemaWording::types(quint8 types)
{
    static const std::pair<quint8, const char *> names[] = {
        {ObjectType, "an object"}, {ArrayType, "an array"},         {StringType, "a string"},
        {NumberType, "a number"},  {IntegerType, "a whole number"}, {BooleanType, "true or false"},
        {NullType, "null"},
    };
    QStringList out;
    for (const auto &[bit, name] : names) {
        if (types & bit)
            out.append(QLatin1String(name));
    }
    return out.join(QStringLiteral(" or "));
}

QString JsonSchemaWording::describe(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: return QStringLiteral("the number ") + number(v.toDouble());
    case QJsonValue::String: return QStringLiteral("the string ") + json(v);
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    default: return QStringLiteral("nothing");
    }
}

QString JsonSchemaWording::json(const QJsonValue &v)
{
    const QByteArray text = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    const QString s = QString::fromUtf8(text.mid(1, text.size() - 2));
    constexpr qsizetype kMax = 60;
    return s.size() <= kMax ? s : s.left(kMax - 1) + QChar(0x2026);
}

QString JsonSchemaWording::number(double d)
{
    const bool whole = std::isfinite(d) && std::floor(d) == d;
    return whole && std::abs(d) < 1e15 ? QString::number(qint64(d)) : QString::number(d, 'g', 15);
}

QString JsonSchemaWording::count(qint64 n, const char *one, const char *many)
{
    return QString::number(n) + QLatin1Char(' ') + QLatin1String(n == 1 ? one : many);
}

QString JsonSchemaWording::alternatives(const QList<QList<JsonSchemaIssue>> &failures, const QString &here)
{
    QStringList parts;
    for (qsizetype i = 0; i < failures.size(); ++i) {
        QStringList said;
        for (const JsonSchemaIssue &issue : failures.at(i)) {
            if (!issue.isError())
                continue;
            if (said.size() == 3) {
                said.append(QStringLiteral("…"));
                break;
            }
            said.append(issue.pointer == here ? issue.message : issue.toString());
        }
        parts.append(QStringLiteral("alternative %1: ").arg(i + 1) + said.join(QStringLiteral(", ")));
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace chronoscope::engine
