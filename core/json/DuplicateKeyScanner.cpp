#include "json/DuplicateKeyScanner.h"

#include "json/JsonPath.h"

#include <QSet>

namespace chronoscope::engine {

namespace {

struct Frame
{
    bool object = false;
    qsizetype index = 0; ///< arrays: current element
    QString key;         ///< objects: current member
    QSet<QString> keys;
};

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

QString pointerOf(const QList<Frame> &stack)
{
    JsonPath path;
    for (const Frame &f : stack)
        path.push(f.object ? PathSegment::ofKey(f.key) : PathSegment::ofIndex(f.index));
    return path.toPointer();
}

// QString::fromUtf8 (Qt 6.4) drops a leading U+FEFF; a key may well start with one.
QString fromUtf8Exact(const char *p, qsizetype len)
{
    QString out;
    for (; len >= 3 && p[0] == '\xEF' && p[1] == '\xBB' && p[2] == '\xBF'; p += 3, len -= 3)
        out += QChar(0xFEFF);
    out += QString::fromUtf8(p, len);
    return out;
}

} // namespace

QString DuplicateKeyScanner::unescape(const char *begin, const char *end)
{
    QString out;
    const char *run = begin; // start of the pending unescaped run
    for (const char *p = begin; p < end; ++p) {
        if (*p != '\\')
            continue;
        out += fromUtf8Exact(run, p - run);
        if (p + 1 >= end) {
            run = p;
            break;
        }
        const char e = p[1];
        run = p + 2;
        switch (e) {
        case '"': out += QLatin1Char('"'); break;
        case '\\': out += QLatin1Char('\\'); break;
        case '/': out += QLatin1Char('/'); break;
        case 'b': out += QLatin1Char('\b'); break;
        case 'f': out += QLatin1Char('\f'); break;
        case 'n': out += QLatin1Char('\n'); break;
        case 'r': out += QLatin1Char('\r'); break;
        case 't': out += QLatin1Char('\t'); break;
        case 'u': {
            int code = 0;
            bool ok = p + 6 <= end;
            for (int k = 2; ok && k < 6; ++k) {
                const int d = hexDigit(p[k]);
                ok = d >= 0;
                code = code * 16 + d;
            }
            if (!ok) {
                run = p; // keep the malformed escape as text
                break;
            }
            out += QChar(char16_t(code)); // surrogate halves pair up again in the QString
            run = p + 6;
            p += 4;
            break;
        }
        default: run = p; break;
        }
        ++p;
    }
    out += fromUtf8Exact(run, end - run);
    return out;
}

QList<DuplicateKeyScanner::Duplicate> DuplicateKeyScanner::scan(const QByteArray &json, qsizetype limit,
                                                                qsizetype *total)
{
    QList<Duplicate> found;
    qsizetype count = 0;
    QList<Frame> stack;
    bool expectKey = false;
    const char *data = json.constData();
    const qsizetype n = json.size();
    qsizetype pos = 0;
    while (pos < n) {
        const char c = data[pos];
        switch (c) {
        case '{':
            stack.append(Frame{true, 0, QString(), {}});
            expectKey = true;
            ++pos;
            break;
        case '[':
            stack.append(Frame{false, 0, QString(), {}});
            expectKey = false;
            ++pos;
            break;
        case '}':
        case ']':
            if (!stack.isEmpty())
                stack.removeLast();
            expectKey = false;
            ++pos;
            break;
        case ',':
            if (!stack.isEmpty()) {
                if (stack.last().object)
                    expectKey = true;
                else
                    ++stack.last().index;
            }
            ++pos;
            break;
        case '"': {
            const qsizetype start = pos++;
            while (pos < n && data[pos] != '"')
                pos += data[pos] == '\\' ? 2 : 1;
            if (pos >= n) {
                pos = n; // unterminated: the parser reports it
                break;
            }
            if (expectKey && !stack.isEmpty() && stack.last().object) {
                Frame &top = stack.last();
                top.key = unescape(data + start + 1, data + pos);
                if (top.keys.contains(top.key)) {
                    if (count < limit)
                        found.append(Duplicate{pointerOf(stack), top.key, start});
                    ++count;
                } else {
                    top.keys.insert(top.key);
                }
                expectKey = false;
            }
            ++pos;
            break;
        }
        default: ++pos; break; // whitespace, ':', scalars
        }
    }
    if (total)
        *total = count;
    return found;
}

} // namespace chronoscope::engine
