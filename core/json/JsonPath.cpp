#include "json/JsonPath.h"

namespace chronoscope::engine {

JsonPath JsonPath::child(const QString &key) const
{
    JsonPath p = *this;
    p.push(PathSegment::ofKey(key));
    return p;
}

JsonPath JsonPath::child(qsizetype index) const
{
    JsonPath p = *this;
    p.push(PathSegment::ofIndex(index));
    return p;
}

QString JsonPath::escapeKey(const QString &key)
{
    if (!key.contains(QLatin1Char('~')) && !key.contains(QLatin1Char('/')))
        return key;
    QString out;
    out.reserve(key.size() + 4);
    for (const QChar c : key) {
        if (c == QLatin1Char('~'))
            out += QLatin1String("~0");
        else if (c == QLatin1Char('/'))
            out += QLatin1String("~1");
        else
            out += c;
    }
    return out;
}

QString JsonPath::toPointer() const
{
    QString out;
    for (const PathSegment &s : m_segments) {
        out += QLatin1Char('/');
        out += s.isIndex() ? QString::number(s.index) : escapeKey(s.key);
    }
    return out;
}

QString JsonPath::display() const
{
    return isRoot() ? QStringLiteral("(root)") : toPointer();
}

QString JsonPath::pattern() const
{
    QString out;
    for (const PathSegment &s : m_segments) {
        out += QLatin1Char('/');
        out += s.isIndex() ? QStringLiteral("*") : escapeKey(s.key);
    }
    return out;
}

bool JsonPath::fromPointer(const QString &pointer, JsonPath *out)
{
    JsonPath result;
    if (pointer.isEmpty()) {
        *out = result;
        return true;
    }
    if (!pointer.startsWith(QLatin1Char('/')))
        return false;
    const QStringList parts = pointer.mid(1).split(QLatin1Char('/'));
    for (const QString &raw : parts) {
        QString key;
        for (qsizetype i = 0; i < raw.size(); ++i) {
            if (raw.at(i) != QLatin1Char('~')) {
                key += raw.at(i);
                continue;
            }
            if (i + 1 >= raw.size() || (raw.at(i + 1) != QLatin1Char('0') && raw.at(i + 1) != QLatin1Char('1')))
                return false;
            key += raw.at(i + 1) == QLatin1Char('0') ? QLatin1Char('~') : QLatin1Char('/');
            ++i;
        }
        bool isNumber = false;
        const qlonglong n = key.toLongLong(&isNumber);
        // "01" or "-1" stay keys: RFC 6901 array indices have no sign and no leading zero.
        if (isNumber && n >= 0 && key == QString::number(n))
            result.push(PathSegment::ofIndex(qsizetype(n)));
        else
            result.push(PathSegment::ofKey(key));
    }
    *out = result;
    return true;
}

int JsonPath::compareKeys(const QString &a, const QString &b)
{
    // UTF-16 order differs from code point order only where a surrogate (U+D800..DFFF, part of a
    // code point above U+FFFF) meets a unit in U+E000..FFFF: shift the surrogates above them.
    auto rank = [](char16_t u) -> uint {
        if (u >= 0xD800 && u <= 0xDFFF)
            return uint(u) + 0x2000;
        if (u >= 0xE000)
            return uint(u) - 0x800;
        return u;
    };
    const qsizetype n = qMin(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t x = a.at(i).unicode(), y = b.at(i).unicode();
        if (x != y)
            return rank(x) < rank(y) ? -1 : 1;
    }
    if (a.size() == b.size())
        return 0;
    return a.size() < b.size() ? -1 : 1;
}

int JsonPath::compare(const JsonPath &a, const JsonPath &b)
{
    const qsizetype n = qMin(a.m_segments.size(), b.m_segments.size());
    for (qsizetype i = 0; i < n; ++i) {
        const PathSegment &x = a.m_segments.at(i);
        const PathSegment &y = b.m_segments.at(i);
        if (x.isIndex() != y.isIndex())
            return x.isIndex() ? -1 : 1;
        if (x.isIndex()) {
            if (x.index != y.index)
                return x.index < y.index ? -1 : 1;
        } else {
            const int c = compareKeys(x.key, y.key);
            if (c != 0)
                return c < 0 ? -1 : 1;
        }
    }
    if (a.m_segments.size() == b.m_segments.size())
        return 0;
    return a.m_segments.size() < b.m_segments.size() ? -1 : 1;
}

} // namespace chronoscope::engine
