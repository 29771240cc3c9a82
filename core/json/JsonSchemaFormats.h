#pragma once

#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace chronoscope::engine {

/// The `format` values Chronoscope checks, and JSON Schema's regular expressions. Draft-07 lets a validator treat
/// `format` as a mere annotation; we assert it instead, because an event schema that says "date-time" means it. A
/// format not listed here is refused when the schema loads (never silently ignored).
class JsonSchemaFormats
{
public:
    /// date-time, date, time (RFC 3339), email, hostname, ipv4, ipv6, json-pointer, regex.
    static const QStringList &supported();
    static bool isSupported(const QString &format) { return supported().contains(format); }
    /// Whether `value` is well-formed for `format` (a supported one).
    static bool matches(const QString &format, const QString &value);
    /// For messages: "an RFC 3339 date-time such as 2024-05-01T12:30:00Z".
    static QString describe(const QString &format);
    /// A pattern of JSON Schema's regex dialect (ECMA-262) as a QRegularExpression (PCRE2): `$` is
    /// read as ECMA reads it, the end of the string, not before a final newline. Check isValid().
    static QRegularExpression regularExpression(const QString &pattern);
};

} // namespace chronoscope::engine
