#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <utility>

namespace chronoscope::engine {

/// Deterministic JSON text for diffs: object keys sorted by code point (JsonPath::compareKeys,
/// whatever order the QJsonObject iterates in), integers exact (QJsonValue keeps parsed integers as 64-bit), doubles in the shortest
/// form that reads back the same, non-finite doubles as `null` (as QJsonDocument writes them),
/// non-ASCII text kept as is, control characters and lone surrogates escaped.
namespace JsonFormat {

/// Compact JSON of any value, scalars included (QJsonDocument only writes objects and arrays).
/// With maxChars >= 0 the text stops after maxChars characters and ends with "…"; the writer stops
/// early, so a truncated rendering of a huge value is cheap. An undefined value renders as "undefined".
QString compact(const QJsonValue &value, qsizetype maxChars = -1);

/// A JSON string literal for `text`, quotes included.
QString quoted(const QString &text);

/// The text of a number: an exact integer when the value holds one, else the shortest double.
QString numberText(const QJsonValue &value);

/// Pretty-printed lines (two-space indent, `"key": value`), no trailing newlines.
QStringList prettyLines(const QJsonValue &value);

/// Numbers compared by value: 1 == 1.0, and 64-bit integers exactly (2^53 + 1 != 2^53, also against
/// a double 2^53). Non-numbers are never equal here.
bool numbersEqual(const QJsonValue &a, const QJsonValue &b);

/// An object's members, read by iteration (never by key lookup, see below) and sorted by
/// JsonPath::compareKeys.
///
/// Why not QJsonObject::value(key): in Qt 6.4 a parsed object keeps its keys in code point order
/// but looks keys up in UTF-16 order, so when one object mixes keys above U+FFFF with keys in
/// U+E000..U+FFFF (or raw and escaped non-ASCII keys) value() can miss a member that iteration sees
/// (found by the fuzzer). PayloadDecoder rebuilds such objects; the diff does not rely on lookups.
using Member = std::pair<QString, QJsonValue>;
QList<Member> members(const QJsonObject &object);

/// object.value(key), falling back to a scan by iteration when the lookup misses (see members()).
QJsonValue member(const QJsonObject &object, const QString &key);

/// Deep equality with numbersEqual for numbers (Undefined equals only Undefined).
bool valuesEqual(const QJsonValue &a, const QJsonValue &b);

} // namespace JsonFormat
} // namespace chronoscope::engine
