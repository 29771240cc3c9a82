#pragma once

#include <QJsonValue>
#include <QString>
#include <QVarLengthArray>

#include <optional>
#include <string_view>

namespace chronoscope::readmodel {

/// The types a mapped field is coerced to, on both sides: the read model's value and the fold's value at
/// the mapped path become the same canonical JSON, so that comparing them is exact (docs/READ-MODELS.md).
enum class FieldType {
    Auto, ///< as the backend gave it (PostgreSQL: by column type; Redis: strings)
    String,
    Integer, ///< an exact 64-bit integer (a JSON number; never through a double)
    Decimal, ///< a canonical decimal string: "19.9", "-0.05", "1200" (no float rounding, no exponent)
    Cents,   ///< an exact integer of hundredths: "19.90" → 1990; refused if more than 2 decimals
    Number,  ///< a double, for values that are floating point in both places
    Boolean,
    Timestamp, ///< ISO 8601 in UTC: "2026-03-01T10:00:00.5Z" (fraction kept to the microsecond, zeros trimmed)
    Date,      ///< "2026-03-01"
    Json,      ///< a JSON value; a string is parsed as JSON text
};

struct FieldCoercion
{
    FieldType type = FieldType::Auto;
    /// NULL handling: false = NULL stays JSON null (a present key); true = NULL counts as missing (no key).
    bool nullIsMissing = false;
    /// For timestamps without a zone: read them as UTC (true), or keep them zone-less (false: no "Z").
    bool naiveIsUtc = false;
};

/// The outcome of one coercion: a value (Undefined = the key is absent) or why it could not be done.
struct Coerced
{
    QJsonValue value{QJsonValue::Undefined};
    QString error; ///< empty on success; says what the value was and what was expected
    bool ok() const { return error.isEmpty(); }
};

namespace value {

std::optional<FieldType> typeFromName(const QString &name);
QString typeName(FieldType type);
QString typeNames(); ///< every name, for error messages

/// Coerces `in` (Undefined = missing, Null = NULL) to `how`.
Coerced coerce(const QJsonValue &in, const FieldCoercion &how);

/// "+0012.3400" → "12.34", "-0.0" → "0", "1.5e3" → "1500"; nullopt if `text` is not a decimal number.
std::optional<QString> canonicalDecimal(QString text);
/// The shortest text that reads back as `d` (what JavaScript prints), then canonical.
QString decimalFromDouble(double d);
/// A canonical decimal as hundredths; nullopt if it has more than 2 decimals or exceeds ±2^53.
std::optional<qint64> centsFromDecimal(const QString &canonical);
/// ISO 8601 / PostgreSQL timestamps ("2026-01-02 03:04:05.123456+05:30", "…T…Z", zone-less) → canonical;
/// nullopt if not a timestamp. `naiveIsUtc`: a zone-less one is taken as UTC (gets its "Z").
std::optional<QString> canonicalTimestamp(const QString &text, bool naiveIsUtc);

/// A canonical timestamp's text (ASCII), built without the heap for the common lengths.
using TimestampText = QVarLengthArray<char, 48>;
/// canonicalTimestamp()'s result for the common shapes of `utf8` ("2026-01-02T03:04:05.5Z", PostgreSQL's
/// "2026-01-02 03:04:05.123456+05:30"), written to `out`; false for the rest, which only canonicalTimestamp()
/// reads (a false here says nothing about whether it is a timestamp).
bool quickCanonicalTimestamp(std::string_view utf8, bool naiveIsUtc, TimestampText *out);

} // namespace value
} // namespace chronoscope::readmodel
