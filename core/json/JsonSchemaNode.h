#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonValue>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace chronoscope::engine {

/// The JSON types of draft-07's `type` keyword, as bits (an integer-valued number is also a number).
enum JsonSchemaType : quint8 {
    NullType = 1,
    BooleanType = 2,
    ObjectType = 4,
    ArrayType = 8,
    NumberType = 16,
    StringType = 32,
    IntegerType = 64,
};

/// One compiled subschema. Children are indices into JsonSchemaTree::nodes (-1: absent), so that
/// recursive schemas (`{"$ref": "#"}`) are plain cycles of indices. Built by JsonSchemaCompiler, read
/// by JsonSchemaEvaluator; nothing else needs it.
struct JsonSchemaNode
{
    enum class Kind { True, False, Object };
    Kind kind = Kind::True;
    QString location; ///< JSON Pointer of this subschema in the schema document

    int ref = -1; ///< the `$ref` target; when set, draft-07 ignores every other keyword here

    quint8 types = 0; ///< JsonSchemaType bits; 0: no `type` keyword
    std::optional<QJsonValue> constValue;
    std::optional<QJsonArray> enumValues;

    std::optional<double> minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf;

    qint64 minLength = -1, maxLength = -1;
    std::optional<QRegularExpression> pattern; ///< made from patternSource, in PCRE's dialect
    QString patternSource;
    QString format;

    int items = -1;        ///< one schema for every element
    QList<int> tupleItems; ///< `items` as an array: one schema per position
    bool hasTupleItems = false;
    int additionalItems = -1;
    int contains = -1;
    qint64 minItems = -1, maxItems = -1;
    bool uniqueItems = false;

    QHash<QString, int> properties;
    bool hasProperties = false;
    QList<std::pair<QRegularExpression, int>> patternProperties;
    int additionalProperties = -1;
    QStringList required;
    qint64 minProperties = -1, maxProperties = -1;
    int propertyNames = -1;
    QList<std::pair<QString, QStringList>> dependencyLists; ///< `dependencies` with an array of names
    QList<std::pair<QString, int>> dependencySchemas;       ///< `dependencies` with a schema

    QList<int> allOf, anyOf, oneOf;
    int notSchema = -1, ifSchema = -1, thenSchema = -1, elseSchema = -1;

    /// Whether the node says anything about objects' members (for unseen-field warnings).
    bool describesObjects() const { return hasProperties || !patternProperties.isEmpty() || (types & ObjectType); }
};

struct JsonSchemaTree
{
    std::vector<JsonSchemaNode> nodes;
    int root = -1;
};

} // namespace chronoscope::engine
