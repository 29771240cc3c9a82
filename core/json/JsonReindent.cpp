#include "json/JsonReindent.h"

#include <QCoreApplication>

namespace chronoscope {

namespace {
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}

QString JsonReindent::pretty(const QByteArray &json, int indent, qsizetype maxBytes)
{
    QByteArray out;
    out.reserve(std::min<qsizetype>(json.size() * 2, maxBytes + 64));
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    auto newline = [&]() {
        out.append('\n');
        out.append(QByteArray(qsizetype(std::max(depth, 0)) * indent, ' '));
    };
    const qsizetype n = json.size();
    qsizetype i = 0;
    for (; i < n && out.size() < maxBytes; ++i) {
        const char c = json[i];
        if (inString) {
            out.append(c);
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (isSpace(c))
            continue;
        switch (c) {
        case '"':
            inString = true;
            out.append(c);
            break;
        case '{':
        case '[': {
            out.append(c);
            qsizetype j = i + 1;
            while (j < n && isSpace(json[j]))
                ++j;
            if (j < n && (json[j] == '}' || json[j] == ']')) { // empty: {} or []
                out.append(json[j]);
                i = j;
            } else {
                ++depth;
                newline();
            }
            break;
        }
        case '}':
        case ']':
            --depth;
            newline();
            out.append(c);
            break;
        case ',':
            out.append(c);
            newline();
            break;
        case ':':
            out.append(": ");
            break;
        default:
            out.append(c);
        }
    }
    if (i < n) {
        while (!out.isEmpty() && (uchar(out.back()) & 0xC0) == 0x80) // do not cut a character
            out.chop(1);
        if (!out.isEmpty() && uchar(out.back()) >= 0xC0)
            out.chop(1);
        return QString::fromUtf8(out)
            + QCoreApplication::translate("JsonReindent", "\n… (%1 more bytes of the payload not shown)").arg(n - i);
    }
    return QString::fromUtf8(out);
}

} // namespace chronoscope
