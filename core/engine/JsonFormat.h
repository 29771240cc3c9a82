#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

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

/// The object's keys sorted by JsonPath::compareKeys.
QStringList sortedKeys(const QJsonObject &object);

/// Deep equality with numbersEqual for numbers (Undefined equals only Undefined).
bool valuesEqual(const QJsonValue &a, const QJsonValue &b);

} // namespace JsonFormat
} // namespace chronoscope::engine
