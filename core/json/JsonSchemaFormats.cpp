#include "json/JsonSchemaFormats.h"

#include <QRegularExpression>

#include <algorithm>

namespace chronoscope::engine {

namespace {

bool isLeapYear(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool validDate(int year, int month, int day)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1)
        return false;
    return day <= days[month - 1] + (month == 2 && isLeapYear(year) ? 1 : 0);
}

// RFC 3339 full-time: hh:mm:ss[.frac](Z|±hh:mm), from `from` in the match's captures.
bool validTime(const QRegularExpressionMatch &m, int from)
{
    const int hour = m.capturedView(from).toInt(), minute = m.capturedView(from + 1).toInt();
    const int second = m.capturedView(from + 2).toInt();
    if (hour > 23 || minute > 59 || second > 60) // 60: a leap second
        return false;
    if (m.capturedView(from + 3).isEmpty()) // Z
        return true;
    return m.capturedView(from + 4).toInt() <= 23 && m.capturedView(from + 5).toInt() <= 59;
}

bool isDateTime(const QString &s)
{
    static const QRegularExpression re(QStringLiteral(
        "^(\\d{4})-(\\d{2})-(\\d{2})[Tt](\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d+)?(?:[Zz]|([+-])(\\d{2}):(\\d{2}))$"));
    const QRegularExpressionMatch m = re.match(s);
    return m.hasMatch() && validDate(m.capturedView(1).toInt(), m.capturedView(2).toInt(), m.capturedView(3).toInt())
        && validTime(m, 4);
}

bool isDate(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{4})-(\\d{2})-(\\d{2})$"));
    const QRegularExpressionMatch m = re.match(s);
    return m.hasMatch() && validDate(m.capturedView(1).toInt(), m.capturedView(2).toInt(), m.capturedView(3).toInt());
}

bool isTime(const QString &s)
{
    static const QRegularExpression re(
        QStringLiteral("^(\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d+)?(?:[Zz]|([+-])(\\d{2}):(\\d{2}))$"));
    const QRegularExpressionMatch m = re.match(s);
    return m.hasMatch() && validTime(m, 1);
}

bool isHostname(const QString &s)
{
    static const QRegularExpression label(QStringLiteral("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"));
    if (s.isEmpty() || s.size() > 253)
        return false;
    const QStringList labels = s.split(QLatin1Char('.'));
    return std::all_of(labels.cbegin(), labels.cend(), [](const QString &l) { return label.match(l).hasMatch(); });
}

bool isEmail(const QString &s)
{
    // Deliberately plain: something@host, no spaces; the mailbox part is not parsed further.
    const qsizetype at = s.lastIndexOf(QLatin1Char('@'));
    if (at <= 0 || at == s.size() - 1)
        return false;
    for (const QChar c : s) {
        if (c.isSpace())
            return false;
    }
    return isHostname(s.mid(at + 1));
}

bool isIpv4(QStringView s)
{
    const QList<QStringView> parts = s.split(QLatin1Char('.'));
    if (parts.size() != 4)
        return false;
    for (const QStringView p : parts) {
        if (p.isEmpty() || p.size() > 3 || (p.size() > 1 && p.front() == QLatin1Char('0')))
            return false;
        for (const QChar c : p) {
            if (c < QLatin1Char('0') || c > QLatin1Char('9'))
                return false;
        }
        if (p.toInt() > 255)
            return false;
    }
    return true;
}

bool isHexGroup(QStringView g)
{
    if (g.isEmpty() || g.size() > 4)
        return false;
    for (const QChar c : g) {
        if (!c.isDigit() && !(c >= QLatin1Char('a') && c <= QLatin1Char('f'))
            && !(c >= QLatin1Char('A') && c <= QLatin1Char('F')))
            return false;
        if (c.unicode() > 127)
            return false;
    }
    return true;
}

// Counts the 16-bit groups of one side of "::" (an embedded IPv4 address counts two); -1 if malformed.
int ipv6Groups(QStringView side, bool mayEndInIpv4)
{
    if (side.isEmpty())
        return 0;
    const QList<QStringView> groups = side.split(QLatin1Char(':'));
    int n = 0;
    for (qsizetype i = 0; i < groups.size(); ++i) {
        if (mayEndInIpv4 && i == groups.size() - 1 && groups.at(i).contains(QLatin1Char('.'))) {
            if (!isIpv4(groups.at(i)))
                return -1;
            n += 2;
        } else if (isHexGroup(groups.at(i))) {
            ++n;
        } else {
            return -1;
        }
    }
    return n;
}

bool isIpv6(const QString &s)
{
    const qsizetype gap = s.indexOf(QLatin1String("::"));
    if (gap < 0)
        return ipv6Groups(s, true) == 8;
    if (s.indexOf(QLatin1String("::"), gap + 1) >= 0)
        return false;
    const int left = ipv6Groups(QStringView(s).left(gap), false);
    const int right = ipv6Groups(QStringView(s).mid(gap + 2), true);
    return left >= 0 && right >= 0 && left + right <= 7;
}

bool isJsonPointer(const QString &s)
{
    if (!s.isEmpty() && !s.startsWith(QLatin1Char('/')))
        return false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s.at(i) == QLatin1Char('~')
            && (i + 1 == s.size() || (s.at(i + 1) != QLatin1Char('0') && s.at(i + 1) != QLatin1Char('1'))))
            return false;
    }
    return true;
}

// ECMA-262's "$" is the very end of the string; PCRE's also matches before a final newline, which would
// let "EUR\n" pass "^[A-Z]{3}$". Such "$" become "\z".
QString endAnchored(const QString &pattern)
{
    QString out;
    out.reserve(pattern.size() + 4);
    bool inClass = false;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == QLatin1Char('\\') && i + 1 < pattern.size()) {
            out += c;
            out += pattern.at(++i);
            continue;
        }
        if (inClass && c == QLatin1Char(']'))
            inClass = false;
        else if (!inClass && c == QLatin1Char('['))
            inClass = true;
        else if (!inClass && c == QLatin1Char('$')) {
            out += QLatin1String("\\z");
            continue;
        }
        out += c;
    }
    return out;
}

} // namespace

QRegularExpression JsonSchemaFormats::regularExpression(const QString &pattern)
{
    QRegularExpression re(endAnchored(pattern));
    re.optimize(); // compile now, not lazily on the first match (possibly in several threads at once)
    return re;
}

const QStringList &JsonSchemaFormats::supported()
{
    static const QStringList list{QStringLiteral("date-time"), QStringLiteral("date"),         QStringLiteral("time"),
                                  QStringLiteral("email"),     QStringLiteral("hostname"),     QStringLiteral("ipv4"),
                                  QStringLiteral("ipv6"),      QStringLiteral("json-pointer"), QStringLiteral("regex")};
    return list;
}

bool JsonSchemaFormats::matches(const QString &format, const QString &value)
{
    if (format == QLatin1String("date-time"))
        return isDateTime(value);
    if (format == QLatin1String("date"))
        return isDate(value);
    if (format == QLatin1String("time"))
        return isTime(value);
    if (format == QLatin1String("email"))
        return isEmail(value);
    if (format == QLatin1String("hostname"))
        return isHostname(value);
    if (format == QLatin1String("ipv4"))
        return isIpv4(value);
    if (format == QLatin1String("ipv6"))
        return isIpv6(value);
    if (format == QLatin1String("json-pointer"))
        return isJsonPointer(value);
    if (format == QLatin1String("regex"))
        return regularExpression(value).isValid();
    return true;
}

QString JsonSchemaFormats::describe(const QString &format)
{
    if (format == QLatin1String("date-time"))
        return QStringLiteral("an RFC 3339 date-time such as 2024-05-01T12:30:00Z");
    if (format == QLatin1String("date"))
        return QStringLiteral("a date such as 2024-05-01");
    if (format == QLatin1String("time"))
        return QStringLiteral("a time with its offset such as 12:30:00Z");
    if (format == QLatin1String("email"))
        return QStringLiteral("an e-mail address");
    if (format == QLatin1String("hostname"))
        return QStringLiteral("a host name");
    if (format == QLatin1String("ipv4"))
        return QStringLiteral("an IPv4 address");
    if (format == QLatin1String("ipv6"))
        return QStringLiteral("an IPv6 address");
    if (format == QLatin1String("json-pointer"))
        return QStringLiteral("a JSON Pointer");
    if (format == QLatin1String("regex"))
        return QStringLiteral("a regular expression");
    return QStringLiteral("a valid ") + format;
}

} // namespace chronoscope::engine
