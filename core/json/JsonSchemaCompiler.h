#pragma once

#include "json/JsonSchemaIssue.h"
#include "json/JsonSchemaNode.h"
#include "json/JsonSchemaRefResolver.h"

#include <QHash>
#include <QJsonObject>

namespace chronoscope::engine {

/// Turns a draft-07 schema document into a JsonSchemaTree, checking it on the way: every keyword it
/// does not know or support, every keyword with a value of the wrong shape, every `$ref` it cannot
/// resolve within the document (remote references are not fetched) is a problem, with its JSON
/// Pointer into the schema. Keywords that draft-07 ignores where they stand (beside `$ref`,
/// `additionalItems` without an `items` array, `then`/`else` without `if`) are warnings.
///
/// A member we do not know is still fine when a `$ref` points into it (draft-07 lets a reference
/// reach any location, which makes such a member a definitions container).
class JsonSchemaCompiler
{
public:
    /// Compiles `schema` (an object or a boolean). Problems are appended to `problems`; the tree is
    /// fit for validation only when none of them is an error.
    static JsonSchemaTree compile(const QJsonValue &schema, QList<JsonSchemaIssue> *problems);

private:
    struct PendingRef
    {
        QString pointer; ///< of the schema holding the `$ref`
        QString ref;
        QUrl base;
    };

    explicit JsonSchemaCompiler(const QJsonValue &document);
    int node(const QJsonValue &schema, const QString &pointer, const QUrl &base);
    int subschema(const QJsonValue &value, const QString &pointer, const QString &keyword, const QUrl &base);
    void compileObject(const QJsonObject &o, const QString &pointer, const QUrl &base, JsonSchemaNode *n);
    void annotation(const QString &key, const QJsonValue &value, const QString &at, const QUrl &base);
    void assertion(const QJsonObject &o, const QString &key, const QString &at, const QUrl &base, JsonSchemaNode *n);
    void types(const QJsonValue &value, const QString &at, JsonSchemaNode *n);
    std::optional<QRegularExpression> regex(const QJsonValue &value, const QString &at, const QString &keyword);
    bool names(const QJsonValue &value, const QString &at, const QString &keyword, QStringList *out);
    QList<int> schemaList(const QJsonValue &value, const QString &at, const QString &keyword, const QUrl &base);
    void resolveRefs();
    void findRefLoops();
    void problem(const QString &pointer, const QString &keyword, const QString &message,
                 JsonSchemaSeverity severity = JsonSchemaSeverity::Error);

    JsonSchemaRefResolver m_resolver;
    JsonSchemaTree m_tree;
    QHash<QString, int> m_byPointer;
    QList<PendingRef> m_refs;
    QStringList m_refTargets;
    QList<JsonSchemaIssue> m_problems;
    QList<JsonSchemaIssue> m_unknown; ///< unknown members, reported unless a `$ref` points into them
};

} // namespace chronoscope::engine
