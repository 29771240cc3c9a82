#include "json/JsonSchemaValidator.h"

namespace chronoscope::engine {

QList<JsonSchemaIssue> JsonSchemaValidator::checkSchema(const QJsonValue &schema)
{
    return JsonSchema::compile(schema).problems();
}

JsonSchemaResult JsonSchemaValidator::validate(const QJsonValue &value, const QJsonValue &schema,
                                               JsonSchemaOrigin origin)
{
    return JsonSchema::compile(schema).validate(value, origin);
}

} // namespace chronoscope::engine
