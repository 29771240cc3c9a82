#pragma once

#include "json/JsonPath.h"
#include "json/JsonSchemaIssue.h"
#include "json/JsonSchemaNode.h"

namespace chronoscope::engine {

/// Runs one document through a compiled schema and words what it finds: each issue says where (a JSON
/// Pointer into the document), which keyword and what, in terms a support engineer reads without the
/// schema at hand ("must be at least 0", "is required", "must match pattern ^[A-Z]{3}$").
///
/// With JsonSchemaOrigin::Inferred, a changed JSON type is a warning, and so is a member that the
/// schema's `properties` do not list when `additionalProperties` is absent (in a declared schema such
/// a member is simply allowed). Conditions (`if`, `not`, `contains`, `propertyNames`, and choosing
/// among `anyOf`/`oneOf` alternatives) are always judged strictly: a warning must not change which
/// branch applies.
class JsonSchemaEvaluator
{
public:
    JsonSchemaEvaluator(const JsonSchemaTree &tree, JsonSchemaOrigin origin);
    JsonSchemaResult run(const QJsonValue &document);

    /// Equality as JSON Schema means it (`enum`, `const`, `uniqueItems`): numbers by value (1 equals
    /// 1.0), objects whatever their key order, arrays element by element; true never equals 1.
    static bool equal(const QJsonValue &a, const QJsonValue &b);

private:
    using Issues = QList<JsonSchemaIssue>;

    bool evaluate(int index, const QJsonValue &v, Issues *out);
    bool strictly(int index, const QJsonValue &v, Issues *out);
    bool evaluateAt(int index, const QJsonValue &v, const PathSegment &step, Issues *out);
    void add(Issues *out, const JsonSchemaNode &n, const QString &keyword, const QString &message,
             JsonSchemaSeverity severity = JsonSchemaSeverity::Error);
    void addAt(Issues *out, const PathSegment &step, const JsonSchemaNode &n, const QString &keyword,
               const QString &message);
    bool inferring() const { return m_origin == JsonSchemaOrigin::Inferred && m_strict == 0; }

    void checkType(const JsonSchemaNode &n, const QJsonValue &v, Issues *out);
    void checkValue(const JsonSchemaNode &n, const QJsonValue &v, Issues *out);
    void checkNumber(const JsonSchemaNode &n, double d, Issues *out);
    void checkString(const JsonSchemaNode &n, const QString &s, Issues *out);
    void checkArray(const JsonSchemaNode &n, const QJsonArray &a, Issues *out);
    void checkMembers(const JsonSchemaNode &n, const QJsonObject &o, Issues *out);
    void checkObject(const JsonSchemaNode &n, const QJsonObject &o, Issues *out);
    void checkAlternatives(const JsonSchemaNode &n, const QJsonValue &v, bool exactlyOne, Issues *out);
    void checkLogic(const JsonSchemaNode &n, const QJsonValue &v, Issues *out);

    const JsonSchemaTree &m_tree;
    JsonSchemaOrigin m_origin;
    JsonPath m_path;
    int m_strict = 0; ///< > 0 while judging a condition: every finding is an error
    int m_depth = 0;
};

} // namespace chronoscope::engine
