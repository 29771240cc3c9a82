#include "readmodel/postgres/PostgresValues.h"

#include "readmodel/ReadModelValue.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <charconv>
#include <cmath>

namespace chronoscope::readmodel::postgres {

namespace {

// pg_type OIDs (stable since PostgreSQL 7; src/include/catalog/pg_type.dat)
enum : unsigned {
    kBool = 16,
    kInt8 = 20,
    kInt2 = 21,
    kInt4 = 23,
    kOid = 26,
    kJson = 114,
    kFloat4 = 700,
    kFloat8 = 701,
    kMoney = 790,
    kDate = 1082,
    kTimestamp = 1114,
    kTimestampTz = 1184,
    kNumeric = 1700,
    kJsonb = 3802,
};

/// The element type of an array type, 0 when `oid` is not an array we read.
unsigned elementOf(unsigned oid)
{
    switch (oid) {
    case 1000: return kBool;
    case 1005: return kInt2;
    case 1007: return kInt4;
    case 1016: return kInt8;
    case 1021: return kFloat4;
    case 1022: return kFloat8;
    case 791: return kMoney;
    case 1231: return kNumeric;
    case 199: return kJson;
    case 3807: return kJsonb;
    case 1115: return kTimestamp;
    case 1185: return kTimestampTz;
    case 1182: return kDate;
    case 1009: // text[]
    case 1015: // varchar[]
    case 1014: // bpchar[]
    case 2951: // uuid[]
        return 25;
    default: return 0;
    }
}

QJsonValue scalar(unsigned oid, const QString &s)
{
    switch (oid) {
    case kBool: return QJsonValue(s == QLatin1String("t") || s == QLatin1String("true"));
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: return QJsonValue(s.toLongLong());
    case kNumeric: return QJsonValue(value::canonicalDecimal(s).value_or(s)); // "NaN" stays text
    case kMoney: {
        QString digits = s;
        digits.remove(QLatin1Char('$')).remove(QLatin1Char(',')).remove(QLatin1Char(' '));
        if (digits.startsWith(QLatin1Char('(')) && digits.endsWith(QLatin1Char(')')))
            digits = QLatin1Char('-') + digits.mid(1).chopped(1);
        return QJsonValue(value::canonicalDecimal(digits).value_or(s));
    }
    case kFloat4:
    case kFloat8: {
        bool ok = false;
        const double d = s.toDouble(&ok);
        // NaN, Infinity: JSON has no number for them (and Qt's toDouble takes them), so they stay text
        return ok && std::isfinite(d) ? QJsonValue(d) : QJsonValue(s);
    }
    case kJson:
    case kJsonb: {
        const QJsonDocument doc = QJsonDocument::fromJson("[" + s.toUtf8() + "]");
        return doc.isArray() && doc.array().size() == 1 ? doc.array().first() : QJsonValue(s);
    }
    case kTimestampTz: return QJsonValue(value::canonicalTimestamp(s, false).value_or(s)); // "infinity" stays text
    case kTimestamp: return QJsonValue(value::canonicalTimestamp(s, false).value_or(s));
    default: return QJsonValue(s);
    }
}

/// PostgreSQL's array text ("{1,NULL,"a \"b\""}", nested "{{1,2},{3,4}}", optionally "[0:1]={…}").
/// Nesting deeper than PostgreSQL allows (MAXDIM, 6) is not an array PostgreSQL wrote: the text is kept as
/// it is, and the parser never recurses deeper than that (a server's text is outside input).
class ArrayParser
{
public:
    ArrayParser(const QString &text, unsigned element) : m_s(text), m_element(element)
    {
        if (m_s.startsWith(QLatin1Char('[')))
            m_i = m_s.indexOf(QLatin1Char('=')) + 1;
    }

    QJsonValue parse()
    {
        if (m_i >= m_s.size() || m_s.at(m_i) != QLatin1Char('{'))
            return QJsonValue(m_s);
        const QJsonArray out = array(1);
        return m_tooDeep ? QJsonValue(m_s) : QJsonValue(out);
    }

private:
    static constexpr int kMaxDimensions = 6; // PostgreSQL's MAXDIM

    QJsonArray array(int depth)
    {
        QJsonArray out;
        ++m_i; // '{'
        if (depth > kMaxDimensions) {
            m_tooDeep = true;
            m_i = m_s.size();
            return out;
        }
        while (m_i < m_s.size() && m_s.at(m_i) != QLatin1Char('}')) {
            const QChar c = m_s.at(m_i);
            if (c == QLatin1Char('{'))
                out.append(array(depth + 1));
            else if (c == QLatin1Char('"'))
                out.append(scalar(m_element, quoted()));
            else {
                const QString bare = unquoted();
                out.append(bare == QLatin1String("NULL") ? QJsonValue(QJsonValue::Null) : scalar(m_element, bare));
            }
            if (m_i < m_s.size() && m_s.at(m_i) == QLatin1Char(','))
                ++m_i;
        }
        ++m_i; // '}'
        return out;
    }
    QString quoted()
    {
        QString out;
        for (++m_i; m_i < m_s.size() && m_s.at(m_i) != QLatin1Char('"'); ++m_i) {
            if (m_s.at(m_i) == QLatin1Char('\\') && m_i + 1 < m_s.size())
                ++m_i;
            out += m_s.at(m_i);
        }
        ++m_i; // closing quote
        return out;
    }
    QString unquoted()
    {
        const qsizetype from = m_i;
        while (m_i < m_s.size() && m_s.at(m_i) != QLatin1Char(',') && m_s.at(m_i) != QLatin1Char('}'))
            ++m_i;
        return m_s.mid(from, m_i - from).trimmed();
    }

    QString m_s;
    unsigned m_element;
    qsizetype m_i = 0;
    bool m_tooDeep = false;
};

} // namespace

bool isJsonType(unsigned oid)
{
    return oid == kJson || oid == kJsonb;
}

bool scalarFromText(unsigned oid, std::string_view text, ScalarView *out)
{
    *out = ScalarView{};
    switch (oid) {
    case kBool: // as scalar(): "t" or "true" is true, anything else false
        out->kind = ScalarView::Kind::Bool;
        out->boolean = text == "t" || text == "true";
        return true;
    case kInt2:
    case kInt4:
    case kInt8: {
        // The server writes these as plain decimal digits; anything else is left to scalar()'s reading.
        qint64 n = 0;
        const char *end = text.data() + text.size();
        const auto [at, ec] = std::from_chars(text.data(), end, n);
        if (text.empty() || ec != std::errc() || at != end)
            return false;
        out->kind = ScalarView::Kind::Integer;
        out->integer = n;
        return true;
    }
    case kTimestamp:
    case kTimestampTz:
        out->kind = ScalarView::Kind::Timestamp;
        out->text = text;
        return true;
    case kOid:
    case kJson:
    case kFloat4:
    case kFloat8:
    case kMoney:
    case kNumeric:
    case kJsonb: return false;
    default:
        if (elementOf(oid))
            return false;
        out->kind = ScalarView::Kind::Text; // scalar()'s default: the text as it is
        out->text = text;
        return true;
    }
}

QJsonValue valueFromText(unsigned oid, const char *text, int size)
{
    const QString s = QString::fromUtf8(text, size);
    if (const unsigned element = elementOf(oid))
        return ArrayParser(s, element).parse();
    return scalar(oid, s);
}

} // namespace chronoscope::readmodel::postgres
