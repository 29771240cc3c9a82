#pragma once

#include "json/JsonSchemaIssue.h"

#include <QJsonValue>

#include <memory>

namespace chronoscope::engine {

struct JsonSchemaTree;

/// A compiled JSON Schema, draft-07 (the whole of draft-07's validation vocabulary; see
/// JsonSchemaKeywords for the keywords and JsonSchemaFormats for `format`). Compile once, validate
/// many documents; a value type that is cheap to copy and safe to share between threads.
///
/// Nothing is silently ignored: a keyword the compiler does not know, a `format` it does not check,
/// a remote `$ref` (only references within the schema are followed: "#", "#/definitions/money",
/// "$id"-based ones) are errors when the schema loads, each with its JSON Pointer into the schema.
/// Keywords that draft-07 itself ignores where they stand (beside `$ref`; `additionalItems` without an
/// `items` array; `then`/`else` without `if`) are warnings.
///
///     const JsonSchema schema = JsonSchema::compile(json);
///     if (!schema.isUsable()) …schema.problems()…
///     const JsonSchemaResult r = schema.validate(document);   // r.issues: "/items/0/amount: must be at least 0"
class JsonSchema
{
public:
    /// The empty schema: accepts everything.
    JsonSchema();
    /// Compiles `schema` (an object, or true/false). Always returns a schema; see problems().
    static JsonSchema compile(const QJsonValue &schema);

    /// Load-time findings, each with its pointer into the schema and the keyword at fault.
    const QList<JsonSchemaIssue> &problems() const { return m_problems; }
    /// No load-time errors (warnings allowed).
    bool isUsable() const { return m_usable; }
    /// The schema as given to compile().
    const QJsonValue &source() const { return m_source; }

    /// Validates one document. `origin` Inferred: the schema was inferred from existing events, so
    /// members its `properties` do not list (with no `additionalProperties`) and changed JSON types are
    /// warnings, while everything else (a missing required member, an enum miss, …) stays an error.
    /// An unusable schema reports one error naming its first problem.
    JsonSchemaResult validate(const QJsonValue &document, JsonSchemaOrigin origin = JsonSchemaOrigin::Declared) const;

private:
    JsonSchema(const QJsonValue &source, JsonSchemaTree tree, QList<JsonSchemaIssue> problems);

    std::shared_ptr<const JsonSchemaTree> m_tree;
    QList<JsonSchemaIssue> m_problems;
    QJsonValue m_source;
    bool m_usable = true;
};

} // namespace chronoscope::engine
