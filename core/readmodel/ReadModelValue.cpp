#include "readmodel/ReadModelValue.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QTimeZone>
#include <QVariant>

#include <cmath>

namespace chronoscope::readmodel::value {

namespace {

constexpr double kMaxExact = 9007199254740992.0; // 2^53: every integer up to here is exact in a double

struct TypeName
{
    FieldType type;
    const char *name;
};
constexpr TypeName kTypes[] = {
    {FieldType::Auto, "auto"},       {FieldType::String, "string"},       {FieldType::Integer, "integer"},
    {FieldType::Decimal, "decimal"}, {FieldType::Cents, "cents"},         {FieldType::Number, "number"},
    {FieldType::Boolean, "boolean"}, {FieldType::Timestamp, "timestamp"}, {FieldType::Date, "date"},
    {FieldType::Json, "json"},
};

QString shown(const QJsonValue &v)
{
    QString text;
    if (v.isString())
        text = QLatin1Char('"') + v.toString() + QLatin1Char('"');
    else
        text = QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    return text.size() > 60 ? text.left(57) + QStringLiteral("...") : text;
}

Coerced refuse(const QJsonValue &v, const QString &expected)
{
    return Coerced{QJsonValue::Undefined, QStringLiteral("expected %1, got %2").arg(expected, shown(v))};
}

/// Whether `v` holds an exact 64-bit integer (a bigint column, an integral JSON number): its digits are
/// read as they are, never through a double (above 2^53 a double holds a neighbour, not the number).
bool isExactInteger(const QJsonValue &v)
{
    return v.isDouble() && v.toVariant().typeId() == QMetaType::LongLong;
}

std::optional<QString> decimalOf(const QJsonValue &v)
{
    if (isExactInteger(v))
        return QString::number(v.toInteger());
    if (v.isDouble())
        return decimalFromDouble(v.toDouble());
    if (v.isString())
        return canonicalDecimal(v.toString());
    return std::nullopt;
}

Coerced toInteger(const QJsonValue &v)
{
    // An integral double below 2^53 is that integer exactly: no need for its decimal text. Not 2^53 itself: an
    // exact integer 2^53 + 1 reads as that double too, and its decimal text below keeps it exact.
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d == std::trunc(d) && std::fabs(d) < kMaxExact)
            return Coerced{QJsonValue(qint64(d)), {}};
    }
    const std::optional<QString> d = decimalOf(v);
    if (!d || d->contains(QLatin1Char('.')))
        return refuse(v, QStringLiteral("an integer"));
    bool ok = false;
    const qint64 n = d->toLongLong(&ok);
    if (!ok)
        return refuse(v, QStringLiteral("an integer within 64 bits"));
    return Coerced{QJsonValue(n), {}};
}

Coerced toBoolean(const QJsonValue &v)
{
    if (v.isBool())
        return Coerced{v, {}};
    const QString s = v.isDouble() ? decimalFromDouble(v.toDouble()) : v.toString().trimmed().toLower();
    if (s == QLatin1String("t") || s == QLatin1String("true") || s == QLatin1String("1") || s == QLatin1String("yes"))
        return Coerced{QJsonValue(true), {}};
    if (s == QLatin1String("f") || s == QLatin1String("false") || s == QLatin1String("0") || s == QLatin1String("no"))
        return Coerced{QJsonValue(false), {}};
    return refuse(v, QStringLiteral("a boolean"));
}

Coerced toTimestamp(const QJsonValue &v, bool naiveIsUtc)
{
    if (v.isDouble()) { // epoch milliseconds
        const double ms = v.toDouble();
        if (ms != std::floor(ms) || std::fabs(ms) > kMaxExact)
            return refuse(v, QStringLiteral("a timestamp (epoch milliseconds as an integer)"));
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(qint64(ms), QTimeZone::utc());
        // Years outside 1..9999 have no ISO 8601 text here: refused, as a text timestamp of theirs is.
        if (const std::optional<QString> text = canonicalTimestamp(t.toString(Qt::ISODateWithMs), true))
            return Coerced{QJsonValue(*text), {}};
        return refuse(v, QStringLiteral("a timestamp within the years 1 to 9999"));
    }
    if (const std::optional<QString> t = canonicalTimestamp(v.toString(), naiveIsUtc); v.isString() && t)
        return Coerced{QJsonValue(*t), {}};
    return refuse(v, QStringLiteral("an ISO 8601 timestamp"));
}

Coerced toJson(const QJsonValue &v)
{
    if (!v.isString())
        return Coerced{v, {}};
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + v.toString().toUtf8() + "]", &pe);
    if (pe.error != QJsonParseError::NoError || doc.array().size() != 1)
        return refuse(v, QStringLiteral("JSON text"));
    return Coerced{doc.array().first(), {}};
}

Coerced toString(const QJsonValue &v)
{
    if (v.isString())
        return Coerced{v, {}};
    if (v.isDouble())
        return Coerced{QJsonValue(decimalFromDouble(v.toDouble())), {}};
    if (v.isBool())
        return Coerced{QJsonValue(v.toBool() ? QStringLiteral("true") : QStringLiteral("false")), {}};
    return Coerced{QJsonValue(shown(v)), {}};
}

} // namespace

std::optional<FieldType> typeFromName(const QString &name)
{
    for (const TypeName &t : kTypes) {
        if (name == QLatin1String(t.name))
            return t.type;
    }
    return std::nullopt;
}

QString typeName(FieldType type)
{
    for (const TypeName &t : kTypes) {
        if (t.type == type)
            return QLatin1String(t.name);
    }
    return {};
}

QString typeNames()
{
    QStringList names;
    for (const TypeName &t : kTypes)
        names.append(QLatin1String(t.name));
    return names.join(QStringLiteral(", "));
}

std::optional<QString> canonicalDecimal(QString text)
{
    static const QRegularExpression re(QStringLiteral("^([+-]?)(\\d*)(?:\\.(\\d*))?(?:[eE]([+-]?\\d{1,4}))?$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch() || (m.captured(2).isEmpty() && m.captured(3).isEmpty()))
        return std::nullopt;
    QString digits = m.captured(2) + m.captured(3);
    qsizetype point = m.captured(2).size() + m.captured(4).toInt();
    if (point < 0) {
        digits.prepend(QString(-point, QLatin1Char('0')));
        point = 0;
    }
    if (point > digits.size())
        digits.append(QString(point - digits.size(), QLatin1Char('0')));
    QString whole = digits.left(point);
    QString fraction = digits.mid(point);
    while (whole.size() > 1 && whole.startsWith(QLatin1Char('0')))
        whole.remove(0, 1);
    if (whole.isEmpty())
        whole = QStringLiteral("0");
    while (fraction.endsWith(QLatin1Char('0')))
        fraction.chop(1);
    QString out = fraction.isEmpty() ? whole : whole + QLatin1Char('.') + fraction;
    if (out != QLatin1String("0") && m.captured(1) == QLatin1String("-"))
        out.prepend(QLatin1Char('-'));
    return out;
}

QString decimalFromDouble(double d)
{
    if (!std::isfinite(d))
        return QString::number(d);
    return canonicalDecimal(QString::number(d, 'g', QLocale::FloatingPointShortest)).value_or(QString());
}

std::optional<qint64> centsFromDecimal(const QString &canonical)
{
    const qsizetype dot = canonical.indexOf(QLatin1Char('.'));
    QString whole = dot < 0 ? canonical : canonical.left(dot);
    QString fraction = dot < 0 ? QString() : canonical.mid(dot + 1);
    if (fraction.size() > 2 || whole.size() > 16)
        return std::nullopt;
    fraction = fraction.leftJustified(2, QLatin1Char('0'));
    const bool negative = whole.startsWith(QLatin1Char('-'));
    bool ok1 = false, ok2 = false;
    const qint64 units = (negative ? whole.mid(1) : whole).toLongLong(&ok1);
    const qint64 cents = fraction.toLongLong(&ok2);
    const qint64 total = units * 100 + cents;
    if (!ok1 || !ok2 || double(total) > kMaxExact)
        return std::nullopt;
    return negative ? -total : total;
}

namespace {

/// The common shapes ("2026-01-02T03:04:05.5Z", PostgreSQL's "2026-01-02 03:04:05.123456+05:30") read by hand,
/// with canonicalTimestamp()'s exact result; false for anything else (whitespace, a year the zone moves out of
/// 1..9999), which the general reading handles. `at(i)` gives the i-th code unit of the text (UTF-16 or UTF-8:
/// every character read here is ASCII). The scan canonicalises a timestamp per row and per fold, so this is on
/// its hot path.
template<typename At>
bool quickTimestamp(const At &at, qsizetype n, bool naiveIsUtc, TimestampText *text)
{
    auto digit = [&](qsizetype i) { return i < n && at(i) >= '0' && at(i) <= '9'; };
    auto number = [&](qsizetype i, int width) {
        int v = 0;
        for (int k = 0; k < width; ++k) {
            if (!digit(i + k))
                return -1;
            v = v * 10 + int(at(i + k) - '0');
        }
        return v;
    };
    if (n < 16 || at(4) != '-' || at(7) != '-' || at(13) != ':')
        return false;
    const auto sep = at(10);
    if (sep != 'T' && sep != 't' && sep != ' ')
        return false;
    const int year = number(0, 4), month = number(5, 2), day = number(8, 2), hour = number(11, 2),
              minute = number(14, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0)
        return false;
    qsizetype i = 16;
    int second = 0;
    qsizetype fractionFrom = 0, fractionTo = 0;
    if (i < n && at(i) == ':') {
        if ((second = number(i + 1, 2)) < 0)
            return false;
        i += 3;
        if (i < n && (at(i) == '.' || at(i) == ',')) {
            fractionFrom = fractionTo = ++i;
            while (digit(fractionTo))
                ++fractionTo;
            if (fractionTo == fractionFrom)
                return false;
            i = fractionTo;
        }
    }
    bool zone = false;
    int offset = 0; // seconds east of UTC
    if (i < n && (at(i) == 'Z' || at(i) == 'z')) {
        zone = true;
        ++i;
    } else if (i < n && (at(i) == '+' || at(i) == '-')) {
        const int sign = at(i) == '-' ? -1 : 1;
        const int hours = number(i + 1, 2);
        if (hours < 0)
            return false;
        i += 3;
        int minutes = 0;
        if (i < n && at(i) == ':')
            ++i;
        if (i < n) {
            if ((minutes = number(i, 2)) < 0)
                return false;
            i += 2;
        } else if (at(i - 1) == ':') {
            return false;
        }
        zone = true;
        offset = sign * (hours * 60 + minutes) * 60;
    }
    if (i != n || hour > 23 || minute > 59 || second > 59)
        return false;
    const QDate date(year, month, day);
    if (!date.isValid() || year < 1)
        return false;
    qint64 seconds = qint64(hour) * 3600 + minute * 60 + second - offset;
    const qint64 days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
    seconds -= days * 86400;
    int y = year, m = month, d = day;
    if (days != 0)
        date.addDays(days).getDate(&y, &m, &d);
    if (y < 1000 || y > 9999)
        return false;
    // "yyyy-MM-ddTHH:mm:ss", every part in range (checked above), written by hand: printf was a fifth of a
    // drift scan's comparison.
    text->resize(19);
    char *out = text->data();
    auto put = [&](qsizetype from, int value, int width) {
        for (qsizetype k = from + width - 1; k >= from; --k, value /= 10)
            out[k] = char('0' + value % 10);
    };
    put(0, y, 4);
    out[4] = out[7] = '-';
    put(5, m, 2);
    put(8, d, 2);
    out[10] = 'T';
    put(11, int(seconds / 3600), 2);
    out[13] = out[16] = ':';
    put(14, int(seconds / 60 % 60), 2);
    put(17, int(seconds % 60), 2);
    while (fractionTo > fractionFrom && at(fractionTo - 1) == '0')
        --fractionTo;
    if (fractionTo > fractionFrom) {
        text->append('.');
        for (qsizetype k = fractionFrom; k < fractionTo; ++k)
            text->append(char(at(k)));
    }
    if (zone || naiveIsUtc)
        text->append('Z');
    return true;
}

} // namespace

bool quickCanonicalTimestamp(std::string_view utf8, bool naiveIsUtc, TimestampText *out)
{
    return quickTimestamp([&](qsizetype i) { return char16_t(uchar(utf8[size_t(i)])); }, qsizetype(utf8.size()),
                          naiveIsUtc, out);
}

std::optional<QString> canonicalTimestamp(const QString &text, bool naiveIsUtc)
{
    TimestampText quick;
    if (quickTimestamp([&](qsizetype i) { return text[i].unicode(); }, text.size(), naiveIsUtc, &quick))
        return QString::fromLatin1(quick.data(), quick.size());
    static const QRegularExpression re(
        QStringLiteral("^(\\d{4}-\\d{2}-\\d{2})[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?\\s*"
                       "([Zz]|[+-]\\d{2}(?::?\\d{2})?)?$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    const QDate date = QDate::fromString(m.captured(1), Qt::ISODate);
    const QTime time(m.captured(2).toInt(), m.captured(3).toInt(), m.captured(4).toInt());
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    QString fraction = m.captured(5);
    while (fraction.endsWith(QLatin1Char('0')))
        fraction.chop(1);
    const QString zone = m.captured(6);
    QDateTime t(date, time, QTimeZone::utc());
    if (!zone.isEmpty() && zone.compare(QLatin1String("Z"), Qt::CaseInsensitive) != 0) {
        const QString digits = QString(zone).remove(QLatin1Char(':'));
        const int offset = (digits.mid(1, 2).toInt() * 60 + digits.mid(3, 2).toInt()) * 60;
        t = t.addSecs(digits.startsWith(QLatin1Char('-')) ? offset : -offset);
    }
    if (t.date().year() < 1 || t.date().year() > 9999) // moved out of range by its zone: no 4-digit year
        return std::nullopt;
    QString out = t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    if (!fraction.isEmpty())
        out += QLatin1Char('.') + fraction;
    if (!zone.isEmpty() || naiveIsUtc)
        out += QLatin1Char('Z');
    return out;
}

Coerced coerce(const QJsonValue &in, const FieldCoercion &how)
{
    if (in.isUndefined())
        return {};
    if (in.isNull())
        return Coerced{how.nullIsMissing ? QJsonValue(QJsonValue::Undefined) : QJsonValue(QJsonValue::Null), {}};
    switch (how.type) {
    case FieldType::Auto: return Coerced{in, {}};
    case FieldType::String: return toString(in);
    case FieldType::Integer: return toInteger(in);
    case FieldType::Decimal: {
        const std::optional<QString> d = decimalOf(in);
        return d ? Coerced{QJsonValue(*d), {}} : refuse(in, QStringLiteral("a decimal number"));
    }
    case FieldType::Cents: {
        const std::optional<QString> d = decimalOf(in);
        const std::optional<qint64> c = d ? centsFromDecimal(*d) : std::nullopt;
        return c ? Coerced{QJsonValue(*c), {}} : refuse(in, QStringLiteral("an amount with at most 2 decimals"));
    }
    case FieldType::Number: {
        if (in.isDouble())
            return Coerced{in, {}};
        bool ok = false;
        const double d = in.toString().trimmed().toDouble(&ok); // Qt takes "nan" and "inf" too: JSON has neither
        return ok && std::isfinite(d) ? Coerced{QJsonValue(d), {}} : refuse(in, QStringLiteral("a finite number"));
    }
    case FieldType::Boolean: return toBoolean(in);
    case FieldType::Timestamp: return toTimestamp(in, how.naiveIsUtc);
    case FieldType::Date: {
        const QString s = in.toString().trimmed();
        if (s.size() == 10 && QDate::fromString(s, Qt::ISODate).isValid())
            return Coerced{QJsonValue(s), {}};
        return refuse(in, QStringLiteral("a date (yyyy-mm-dd)"));
    }
    case FieldType::Json: return toJson(in);
    }
    return Coerced{in, {}};
}

} // namespace chronoscope::readmodel::value
