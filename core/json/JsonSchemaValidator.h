#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

namespace chronoscope::engine {

/// A small JSON Schema validator for event payloads. Supported keywords (anything else is ignored):
/// `type` (string or array of: object, array, string, number, integer, boolean, null), `required`,
/// `properties`, `additionalProperties` (boolean false only), `enum`, `const`, `minimum`, `maximum`,
/// `minLength`, `maxLength`, `items` (one schema for every element), `minItems`, `maxItems`.
class JsonSchemaValidator
{
public:
    /// Checks `schema` itself: unknown keywords are fine, but supported ones must have the right JSON type.
    static QString checkSchema(const QJsonObject &schema, const QString &path = QStringLiteral("$"));
    /// The violations of `value` against `schema`, each "<path>: <what>" (empty: valid).
    static QStringList validate(const QJsonValue &value, const QJsonObject &schema);

private:
    static void validate(const QJsonValue &value, const QJsonObject &schema, const QString &path, QStringList *out);
};

} // namespace chronoscope::engine
