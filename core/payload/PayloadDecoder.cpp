#include "payload/PayloadDecoder.h"

#include "json/DuplicateKeyScanner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace chronoscope::engine {

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

DecodedPayload invalid(const QByteArray &data, DecodedPayload::Problem problem, qsizetype offset, const QString &message)
{
    DecodedPayload r;
    r.kind = DecodedPayload::Kind::Invalid;
    r.problem = problem;
    r.byteCount = data.size();
    r.offset = offset;
    r.message = message;
    return r;
}

// A few bytes around `offset`, printable, so the message shows what the parser tripped on.
QString around(const QByteArray &data, qsizetype offset)
{
    const qsizetype from = qMax<qsizetype>(0, offset - 12);
    const qsizetype to = qMin(data.size(), offset + 12);
    QString out;
    for (qsizetype i = from; i < to; ++i) {
        const uchar b = uchar(data.at(i));
        out += b >= 0x20 && b < 0x7f ? QString(QLatin1Char(char(b))) : QStringLiteral("\\x%1").arg(b, 2, 16, QLatin1Char('0'));
    }
    return out;
}

QString hexBytes(const QByteArray &data, qsizetype offset, qsizetype count)
{
    QStringList parts;
    for (qsizetype i = offset; i < qMin(data.size(), offset + count); ++i)
        parts.append(QStringLiteral("%1").arg(uchar(data.at(i)), 2, 16, QLatin1Char('0')).toUpper());
    return parts.join(QLatin1Char(' '));
}

// Where a top-level scalar's text ends: after the closing quote of a string, else at the first
// byte that cannot continue a literal or number.
qsizetype scalarEnd(const QByteArray &data, qsizetype from)
{
    const qsizetype n = data.size();
    qsizetype p = from;
    if (data.at(p) == '"') {
        for (++p; p < n && data.at(p) != '"'; p += data.at(p) == '\\' ? 2 : 1) {}
        return qMin(n, p + 1);
    }
    while (p < n && !isJsonSpace(data.at(p)) && !QByteArrayView("{}[],:\"").contains(data.at(p)))
        ++p;
    return p;
}

// Qt 6.4's parser drops a U+FEFF at the start of any string it reads as raw UTF-8 ("\uFEFFx" comes
// back as "x", and such a key can then not be looked up). The same character written as the escape
// \ufeff survives, so raw EF BB BF sequences are rewritten as escapes before parsing. Outside strings
// both forms are syntax errors. `escapedAt` records where each escape starts, to map offsets back.
QByteArray escapeByteOrderMarks(const QByteArray &text, QList<qsizetype> *escapedAt)
{
    const QByteArray bom("\xEF\xBB\xBF");
    if (!text.contains(bom))
        return text;
    QByteArray out;
    out.reserve(text.size() + 64);
    qsizetype from = 0;
    for (qsizetype at = text.indexOf(bom); at >= 0; at = text.indexOf(bom, from)) {
        out += QByteArrayView(text).sliced(from, at - from);
        escapedAt->append(out.size());
        out += "\\ufeff";
        from = at + 3;
    }
    out += QByteArrayView(text).sliced(from);
    return out;
}

// An offset in the escaped text back to the text before escaping (each escape is 3 bytes longer).
qsizetype unescapedOffset(qsizetype offset, const QList<qsizetype> &escapedAt)
{
    qsizetype shift = 0;
    for (const qsizetype at : escapedAt) {
        if (at >= offset)
            break;
        shift += qMin<qsizetype>(3, offset - at);
    }
    return offset - shift;
}

// Could the text hold a key at or above U+D800 (a raw UTF-8 lead byte EE..F4, or a \uD…, \uE…,
// \uF… escape)? Only then can Qt 6.4's parsed objects miss keys on lookup (see rebuildObjects()).
bool mayHoldHighKeys(const QByteArray &text)
{
    const char *d = text.constData();
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const uchar b = uchar(d[i]);
        if (b >= 0xEE)
            return true;
        if (b == '\\' && i + 2 < n && d[i + 1] == 'u' && QByteArrayView("dDeEfF").contains(d[i + 2]))
            return true;
    }
    return false;
}

// Qt 6.4 sorts a parsed object's keys by code point but looks them up by UTF-16 unit (and raw and
// escaped keys are stored differently), so value() can miss members of an object whose keys reach
// U+D800 and above. Objects with such keys are rebuilt with insert(), which orders keys the way
// lookups expect. Parsed depth is at most 1025, so the recursion is bounded.
QJsonValue rebuildObjects(const QJsonValue &v, bool *changed)
{
    if (v.isArray()) {
        QJsonArray a = v.toArray();
        bool any = false;
        for (qsizetype i = 0; i < a.size(); ++i) {
            bool c = false;
            const QJsonValue e = rebuildObjects(a.at(i), &c);
            if (c) {
                a.replace(i, e);
                any = true;
            }
        }
        *changed = any;
        return any ? QJsonValue(a) : v;
    }
    if (!v.isObject())
        return v;
    const QJsonObject o = v.toObject();
    bool any = false;
    QList<std::pair<QString, QJsonValue>> members;
    members.reserve(o.size());
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        bool c = false;
        members.append({it.key(), rebuildObjects(it.value(), &c)});
        any = any || c;
        for (const QChar ch : it.key())
            any = any || ch.unicode() >= 0xD800;
    }
    *changed = any;
    if (!any)
        return v;
    QJsonObject rebuilt;
    for (const auto &m : members)
        rebuilt.insert(m.first, m.second);
    return rebuilt;
}

} // namespace

bool PayloadDecoder::isJsonContentType(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArray type = (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
    return type == "application/json" || type == "text/json" || type.endsWith("+json");
}

qsizetype PayloadDecoder::invalidUtf8Offset(const QByteArray &data)
{
    const auto *d = reinterpret_cast<const uchar *>(data.constData());
    const qsizetype n = data.size();
    qsizetype i = 0;
    while (i < n) {
        const uchar b = d[i];
        if (b < 0x80) {
            ++i;
            continue;
        }
        int len = 0;
        uint cp = 0, min = 0;
        if ((b & 0xE0) == 0xC0) {
            len = 2; cp = b & 0x1F; min = 0x80;
        } else if ((b & 0xF0) == 0xE0) {
            len = 3; cp = b & 0x0F; min = 0x800;
        } else if ((b & 0xF8) == 0xF0) {
            len = 4; cp = b & 0x07; min = 0x10000;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        for (int k = 1; k < len; ++k) {
            if ((d[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (d[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return -1;
}

DecodedPayload PayloadDecoder::decode(const RecordedEvent &event, const DecodeOptions &options)
{
    return decode(event.data, event.contentType, options);
}

DecodedPayload PayloadDecoder::decode(const QByteArray &data, const QByteArray &contentType, const DecodeOptions &options)
{
    if (isJsonContentType(contentType))
        return decodeJson(data, options);
    DecodedPayload r;
    r.kind = DecodedPayload::Kind::Binary;
    r.byteCount = data.size();
    r.message = QStringLiteral("binary payload (%1), %2 bytes")
                    .arg(contentType.isEmpty() ? QStringLiteral("no content type") : QString::fromUtf8(contentType))
                    .arg(data.size());
    return r;
}

DecodedPayload PayloadDecoder::decodeJson(const QByteArray &data, const DecodeOptions &options)
{
    using P = DecodedPayload::Problem;
    const qsizetype n = data.size();
    if (n > options.maxBytes)
        return invalid(data, P::TooLarge, -1,
                       QStringLiteral("payload is %1 bytes, over the %2-byte limit; not parsed").arg(n).arg(options.maxBytes));
    if (const qsizetype bad = invalidUtf8Offset(data); bad >= 0) {
        // Show the sequence the lead byte announces (one byte when it is no lead byte at all).
        const uchar lead = uchar(data.at(bad));
        const int announced = lead >= 0xC0 && lead < 0xE0 ? 2 : lead >= 0xE0 && lead < 0xF0 ? 3 : lead >= 0xF0 && lead < 0xF8 ? 4 : 1;
        return invalid(data, P::InvalidUtf8, bad,
                       QStringLiteral("invalid UTF-8 at byte offset %1 (bytes %2)").arg(bad).arg(hexBytes(data, bad, announced)));
    }

    const qsizetype start = data.startsWith("\xEF\xBB\xBF") ? 3 : 0; // a UTF-8 byte order mark is not content
    qsizetype first = start;
    while (first < n && isJsonSpace(data.at(first)))
        ++first;
    if (first == n)
        return invalid(data, P::Empty, -1,
                       n == 0 ? QStringLiteral("empty payload (0 bytes), expected JSON")
                              : QStringLiteral("payload holds only whitespace (%1 bytes), expected JSON").arg(n));
    qsizetype lastEnd = n;
    while (lastEnd > first && isJsonSpace(data.at(lastEnd - 1)))
        --lastEnd;

    // QJsonDocument (Qt 6.4) only takes an object or an array at the top: a scalar is parsed as the
    // single element of an array around it.
    const char opener = data.at(first);
    const bool container = opener == '{' || opener == '[';
    QByteArray text;
    qsizetype shift = 0; // add to a parser offset to get a payload offset
    if (container) {
        text = start > 0 ? data.mid(start) : data;
        shift = start;
    } else {
        const qsizetype end = scalarEnd(data, first);
        if (end == first)
            return invalid(data, P::Syntax, first,
                           QStringLiteral("invalid JSON at byte offset %1: unexpected '%2', expected a value")
                               .arg(first).arg(QLatin1Char(opener)));
        text = '[' + data.mid(first, end - first) + ']';
        shift = first - 1;
        qsizetype rest = end;
        while (rest < n && isJsonSpace(data.at(rest)))
            ++rest;
        if (rest < n) {
            // Only complain about the trailing bytes when the value itself parses.
            QJsonParseError e;
            QJsonDocument::fromJson(text, &e);
            if (e.error == QJsonParseError::NoError)
                return invalid(data, P::Syntax, rest,
                               QStringLiteral("invalid JSON at byte offset %1: unexpected content after the "
                                              "top-level value (near \"%2\")").arg(rest).arg(around(data, rest)));
        }
    }

    QList<qsizetype> escapedAt;
    text = escapeByteOrderMarks(text, &escapedAt);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError) {
        const qsizetype at = qBound<qsizetype>(0, unescapedOffset(error.offset, escapedAt) + shift, n);
        if (error.error == QJsonParseError::DeepNesting)
            return invalid(data, P::TooDeep, at,
                           QStringLiteral("JSON nested deeper than 1024 levels (at byte offset %1); not parsed").arg(at));
        if (error.error == QJsonParseError::IllegalUTF8String)
            return invalid(data, P::InvalidUtf8, at, QStringLiteral("invalid UTF-8 in a string at byte offset %1").arg(at));
        if (at >= lastEnd)
            return invalid(data, P::Truncated, at,
                           QStringLiteral("truncated JSON: the payload ends at byte %1 before the document is "
                                          "complete (%2)").arg(lastEnd).arg(error.errorString()));
        return invalid(data, P::Syntax, at,
                       QStringLiteral("invalid JSON at byte offset %1: %2 (near \"%3\")")
                           .arg(at).arg(error.errorString(), around(data, at)));
    }

    DecodedPayload r;
    r.kind = DecodedPayload::Kind::Json;
    r.byteCount = n;
    r.json = container ? (doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array())) : doc.array().at(0);
    if (mayHoldHighKeys(text)) {
        bool changed = false;
        r.json = rebuildObjects(r.json, &changed);
    }
    if (container) {
        qsizetype total = 0;
        const auto dups = DuplicateKeyScanner::scan(data, qMax(1, options.maxWarnings), &total);
        if (total > 0 && options.rejectDuplicateKeys)
            return invalid(data, P::DuplicateKey, dups.first().offset,
                           QStringLiteral("duplicate key \"%1\" at %2 (byte offset %3)")
                               .arg(dups.first().key, dups.first().pointer).arg(dups.first().offset));
        for (const auto &d : dups)
            r.warnings.append(QStringLiteral("duplicate key \"%1\" at %2 (byte offset %3): the last value is kept")
                                  .arg(d.key, d.pointer).arg(d.offset));
        if (total > dups.size())
            r.warnings.append(QStringLiteral("… and %1 more duplicate keys").arg(total - dups.size()));
    }
    return r;
}

QString PayloadDecoder::hexPreview(const QByteArray &data, qsizetype maxBytes)
{
    QString out;
    const qsizetype shown = qMin(data.size(), qMax<qsizetype>(0, maxBytes));
    for (qsizetype line = 0; line < shown; line += 16) {
        QString hex, ascii;
        for (qsizetype k = 0; k < 16; ++k) {
            if (k == 8)
                hex += QLatin1Char(' ');
            if (line + k < shown) {
                const uchar b = uchar(data.at(line + k));
                hex += QStringLiteral("%1 ").arg(b, 2, 16, QLatin1Char('0'));
                ascii += b >= 0x20 && b < 0x7f ? QLatin1Char(char(b)) : QLatin1Char('.');
            } else {
                hex += QLatin1String("   ");
            }
        }
        out += QStringLiteral("%1  %2 |%3|\n").arg(line, 8, 16, QLatin1Char('0')).arg(hex, ascii);
    }
    if (shown < data.size())
        out += QStringLiteral("… %1 more bytes (%2 in all)\n").arg(data.size() - shown).arg(data.size());
    return out;
}

} // namespace chronoscope::engine
