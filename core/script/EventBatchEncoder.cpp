#include "script/EventBatchEncoder.h"

#include <cstring>

namespace chronoscope::engine {

void EventBatchEncoder::clear()
{
    m_text.resize(0); // keeps the capacity: no fresh pages (and page faults) for every batch
    m_numbers.clear();
    m_count = 0;
    m_utf16 = 0;
    m_types.clear();
}

qsizetype EventBatchEncoder::scan(const QByteArray &bytes, bool json, QString *problem)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    qsizetype units = 0;
    int depth = 0;
    bool inString = false;
    for (qsizetype i = 0; i < n;) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            if (json) {
                if (inString) {
                    if (c == '\\')
                        ++i; // skip the escaped character (always ASCII in valid JSON)
                    else if (c == '"')
                        inString = false;
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    if (++depth > kMaxJsonDepth) {
                        if (problem)
                            *problem = QStringLiteral("data nests deeper than %1 levels").arg(kMaxJsonDepth);
                        return -1;
                    }
                } else if (c == '}' || c == ']') {
                    --depth;
                }
            }
            ++i;
            ++units;
            continue;
        }
        // Multi-byte sequence: validate per RFC 3629 (no overlongs, no surrogates, <= U+10FFFF).
        int len;
        unsigned int cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            len = 0;
            cp = 0;
        }
        bool ok = len > 0 && i + len <= n;
        for (int k = 1; ok && k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80)
                ok = false;
            else
                cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (ok && ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))))
            ok = false;
        if (!ok) {
            if (problem)
                *problem = QStringLiteral("data is not valid UTF-8 (byte 0x%1 at offset %2)")
                               .arg(QString::number(c, 16), QString::number(i));
            return -1;
        }
        units += len == 4 ? 2 : 1;
        i += len;
    }
    return units;
}

qsizetype EventBatchEncoder::appendField(const QByteArray &bytes)
{
    qsizetype units = scan(bytes, false, nullptr);
    if (units >= 0) {
        m_text += bytes;
    } else {
        // Lossy fallback for text that is not valid UTF-8: replacement characters, as QString decodes it.
        const QString decoded = QString::fromUtf8(bytes);
        m_text += decoded.toUtf8();
        units = decoded.size();
    }
    m_utf16 += units;
    return units;
}

bool EventBatchEncoder::add(const FoldEvent &event, QString *problem)
{
    return add(event, event.event->data, problem);
}

bool EventBatchEncoder::add(const FoldEvent &fe, const QByteArray &data, QString *problem)
{
    const RecordedEvent &e = *fe.event;
    const bool json = e.isJson();
    if (json && scan(data, true, problem) < 0)
        return false;
    const double offset = double(m_utf16);
    double lt;
    const auto known = m_types.constFind(e.type);
    if (known != m_types.constEnd()) {
        lt = -double(known.value() + 1);
    } else {
        m_types.insert(e.type, int(m_types.size()));
        lt = double(appendField(e.type));
    }
    const double ls = double(appendField(e.streamId));
    const double ld = double(appendField(data));
    const double lm = double(appendField(e.metadata));
    const double ll = fe.linkMetadata ? double(appendField(*fe.linkMetadata)) : -1.0;
    const double li = double(appendField(e.id.toByteArray(QUuid::WithoutBraces)));
    const double seq = double(e.revision);
    m_numbers.insert(m_numbers.end(), {offset, lt, ls, ld, lm, ll, li, seq, double(fe.index), json ? double(kFlagJson) : 0.0});
    ++m_count;
    return true;
}

QByteArray EventBatchEncoder::numbers() const
{
    return QByteArray(reinterpret_cast<const char *>(m_numbers.data()), qsizetype(m_numbers.size() * sizeof(double)));
}

} // namespace chronoscope::engine
