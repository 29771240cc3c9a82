#include "json/JsonFormat.h"

#include "json/JsonPath.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QVariant>

#include <algorithm>
#include <cmath>

namespace chronoscope::engine::JsonFormat {

namespace {

// QJsonValue reports every number as Double; toVariant() tells integers (qlonglong) from doubles.
bool holdsInteger(const QJsonValue &v)
{
    return v.toVariant().typeId() == QMetaType::LongLong;
}

void appendQuoted(QString &out, const QString &text)
{
    out += QLatin1Char('"');
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text.at(i);
        const char16_t u = c.unicode();
        switch (u) {
        case u'"': out += QLatin1String("\\\""); continue;
        case u'\\': out += QLatin1String("\\\\"); continue;
        case u'\b': out += QLatin1String("\\b"); continue;
        case u'\f': out += QLatin1String("\\f"); continue;
        case u'\n': out += QLatin1String("\\n"); continue;
        case u'\r': out += QLatin1String("\\r"); continue;
        case u'\t': out += QLatin1String("\\t"); continue;
        default: break;
        }
        bool escape = u < 0x20 || u == 0x7f;
        if (c.isHighSurrogate()) {
            if (i + 1 < n && text.at(i + 1).isLowSurrogate()) {
                out += c;
                out += text.at(++i);
                continue;
            }
            escape = true; // a lone surrogate is not valid UTF-8 text: keep it visible, escaped
        } else if (c.isLowSurrogate()) {
            escape = true;
        }
        if (escape)
            out += QStringLiteral("\\u%1").arg(uint(u), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    out += QLatin1Char('"');
}

// Writes compact JSON and gives up once `limit` characters are out (limit < 0: no limit).
// Returns false when it stopped early.
bool writeCompact(QString &out, const QJsonValue &v, qsizetype limit)
{
    if (limit >= 0 && out.size() > limit)
        return false;
    switch (v.type()) {
    case QJsonValue::Null: out += QLatin1String("null"); break;
    case QJsonValue::Bool: out += v.toBool() ? QLatin1String("true") : QLatin1String("false"); break;
    case QJsonValue::Double: out += numberText(v); break;
    case QJsonValue::String: appendQuoted(out, v.toString()); break;
    case QJsonValue::Undefined: out += QLatin1String("undefined"); break;
    case QJsonValue::Array: {
        out += QLatin1Char('[');
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (i > 0)
                out += QLatin1Char(',');
            if (!writeCompact(out, a.at(i), limit))
                return false;
        }
        out += QLatin1Char(']');
        break;
    }
    case QJsonValue::Object: {
        out += QLatin1Char('{');
        const QJsonObject o = v.toObject();
        bool first = true;
        for (const Member &m : members(o)) {
            if (!first)
                out += QLatin1Char(',');
            first = false;
            appendQuoted(out, m.first);
            out += QLatin1Char(':');
            if (!writeCompact(out, m.second, limit))
                return false;
        }
        out += QLatin1Char('}');
        break;
    }
    }
    return limit < 0 || out.size() <= limit;
}

void writePretty(QStringList &lines, const QString &prefix, const QJsonValue &v, int indent, const QString &suffix)
{
    const QString pad(indent * 2, QLatin1Char(' '));
    if (v.isObject() && !v.toObject().isEmpty()) {
        lines.append(pad % prefix % QLatin1Char('{'));
        const QJsonObject o = v.toObject();
        qsizetype left = o.size();
        for (const Member &m : members(o))
            writePretty(lines, quoted(m.first) % QLatin1String(": "), m.second, indent + 1,
                        --left > 0 ? QStringLiteral(",") : QString());
        lines.append(pad % QLatin1Char('}') % suffix);
    } else if (v.isArray() && !v.toArray().isEmpty()) {
        lines.append(pad % prefix % QLatin1Char('['));
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            writePretty(lines, QString(), a.at(i), indent + 1, i + 1 < a.size() ? QStringLiteral(",") : QString());
        lines.append(pad % QLatin1Char(']') % suffix);
    } else {
        lines.append(pad % prefix % compact(v) % suffix);
    }
}

} // namespace

QList<Member> members(const QJsonObject &object)
{
    QList<Member> out;
    out.reserve(object.size());
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        out.append(Member(it.key(), it.value()));
    std::sort(out.begin(), out.end(), [](const Member &a, const Member &b) { return JsonPath::keyLess(a.first, b.first); });
    return out;
}

QJsonValue member(const QJsonObject &object, const QString &key)
{
    const QJsonValue v = object.value(key);
    if (!v.isUndefined())
        return v;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        if (it.key() == key)
            return it.value();
    return v;
}

QString quoted(const QString &text)
{
    QString out;
    appendQuoted(out, text);
    return out;
}

QString numberText(const QJsonValue &value)
{
    const QVariant var = value.toVariant();
    if (var.typeId() == QMetaType::LongLong)
        return QString::number(var.toLongLong());
    const double d = value.toDouble();
    if (!std::isfinite(d))
        return QStringLiteral("null");
    return QString::number(d, 'g', QLocale::FloatingPointShortest);
}

QString compact(const QJsonValue &value, qsizetype maxChars)
{
    QString out;
    if (writeCompact(out, value, maxChars))
        return out;
    out.truncate(maxChars);
    // Never cut a surrogate pair in half.
    if (!out.isEmpty() && out.back().isHighSurrogate())
        out.chop(1);
    out += QChar(0x2026);
    return out;
}

QStringList prettyLines(const QJsonValue &value)
{
    QStringList lines;
    writePretty(lines, QString(), value, 0, QString());
    return lines;
}

bool numbersEqual(const QJsonValue &a, const QJsonValue &b)
{
    if (!a.isDouble() || !b.isDouble())
        return false;
    const bool ai = holdsInteger(a);
    const bool bi = holdsInteger(b);
    if (ai && bi)
        return a.toInteger() == b.toInteger();
    if (!ai && !bi)
        return a.toDouble() == b.toDouble();
    // One exact integer, one double: equal only if the double is exactly that integer.
    const qint64 i = ai ? a.toInteger() : b.toInteger();
    const double d = ai ? b.toDouble() : a.toDouble();
    if (!std::isfinite(d) || std::trunc(d) != d)
        return false;
    if (d < -9223372036854775808.0 || d >= 9223372036854775808.0)
        return false;
    return qint64(d) == i;
}

bool valuesEqual(const QJsonValue &a, const QJsonValue &b)
{
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case QJsonValue::Double: return numbersEqual(a, b);
    case QJsonValue::Array: {
        const QJsonArray x = a.toArray(), y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i)
            if (!valuesEqual(x.at(i), y.at(i)))
                return false;
        return true;
    }
    case QJsonValue::Object: {
        const QJsonObject x = a.toObject(), y = b.toObject();
        if (x.size() != y.size())
            return false;
        // Sorted members, not iteration order: two equal objects may iterate in different orders.
        const QList<Member> mx = members(x), my = members(y);
        for (qsizetype i = 0; i < mx.size(); ++i)
            if (mx.at(i).first != my.at(i).first || !valuesEqual(mx.at(i).second, my.at(i).second))
                return false;
        return true;
    }
    default: return a == b;
    }
}

} // namespace chronoscope::engine::JsonFormat
