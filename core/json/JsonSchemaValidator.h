#pragma once

#include "json/JsonSchema.h"

namespace chronoscope::engine {

/// One-shot JSON Schema (draft-07) checks, for callers that hold a schema as JSON. To validate many
/// documents against one schema, compile it once with JsonSchema::compile().
class JsonSchemaValidator
{
public:
    /// Checks `schema` itself, as it loads: unknown or unsupported keywords, keyword values of the wrong
    /// shape, unresolvable or remote `$ref`s (errors), keywords draft-07 ignores where they stand
    /// (warnings). Each issue's pointer is into the schema: "/properties/total/minimun".
    static QList<JsonSchemaIssue> checkSchema(const QJsonValue &schema);
    /// Validates `value` against `schema`; see JsonSchema::validate().
    static JsonSchemaResult validate(const QJsonValue &value, const QJsonValue &schema,
                                     JsonSchemaOrigin origin = JsonSchemaOrigin::Declared);
};

} // namespace chronoscope::engine
