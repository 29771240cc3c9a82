#pragma once

#include "model/ScalarView.h"

#include <QJsonValue>
#include <QString>

#include <string_view>

namespace chronoscope::readmodel::postgres {

/// A PostgreSQL value in its text form, with its type OID, as JSON (docs/READ-MODELS.md, "From PostgreSQL"):
/// integers exact, numeric and money as canonical decimal strings (never through a double), float as
/// numbers, bool, json/jsonb parsed, timestamptz in canonical UTC, timestamp zone-less, date as text, arrays
/// (of any of these, nested too) as JSON arrays with NULL elements as null, everything else as text.
/// The session must use DateStyle ISO, TimeZone UTC and lc_monetary C (PostgresSource sets them).
QJsonValue valueFromText(unsigned oid, const char *text, int size);

/// The scalar valueFromText() builds from `text`, seen in place: integers (the exact number), booleans, text
/// (the bytes, for the types valueFromText keeps as text) and timestamps (Kind::Timestamp: the server's text,
/// which valueFromText canonicalises). False for every other type (numeric, money, float, json, arrays, dates
/// are text too but left to valueFromText), and for an integer's text that does not read as one.
bool scalarFromText(unsigned oid, std::string_view text, ScalarView *out);

/// Whether a column of this type holds a whole row as JSON (json, jsonb).
bool isJsonType(unsigned oid);

} // namespace chronoscope::readmodel::postgres
