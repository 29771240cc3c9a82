#pragma once

#include "json/JsonSchema.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>

namespace chronoscope::engine {

/// Infers a draft-07 schema from example documents (the existing events of one type), for checking
/// a new event of that type when no reducer file declares one (F9). The schema says what the
/// examples agree on and nothing more:
/// - `type` of every value: the JSON types seen (an array of them when they differ; "integer" when
///   every number seen was whole);
/// - objects: `properties` for every member seen, `required` for the members present in *every*
///   example; no `additionalProperties` (so JsonSchema::validate with JsonSchemaOrigin::Inferred
///   reports an unseen member as a warning);
/// - arrays: `items` inferred from all elements of all examples.
/// Validate with JsonSchemaOrigin::Inferred: unseen members and changed types are warnings, a
/// missing required member is an error.
class SchemaInference
{
public:
    /// Adds one example. Non-JSON data (a null QJsonValue from a failed parse) is skipped by the caller.
    void add(const QJsonValue &example);
    qsizetype exampleCount() const { return m_count; }
    /// The schema of the examples so far; `true` (accept everything) before the first one.
    QJsonValue schema() const;
    /// schema() compiled.
    JsonSchema compile() const { return JsonSchema::compile(schema()); }

private:
    struct Node;
    std::shared_ptr<Node> m_root;
    qsizetype m_count = 0;
};

} // namespace chronoscope::engine
