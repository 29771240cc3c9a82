#include "json/JsonSchema.h"

#include "json/JsonSchemaCompiler.h"
#include "json/JsonSchemaEvaluator.h"

#include <algorithm>

namespace chronoscope::engine {

namespace {

std::shared_ptr<const JsonSchemaTree> acceptAll()
{
    static const auto tree = std::make_shared<const JsonSchemaTree>(
        JsonSchemaCompiler::compile(QJsonValue(true), nullptr));
    return tree;
}

} // namespace

JsonSchema::JsonSchema() : m_tree(acceptAll()), m_source(true) {}

JsonSchema::JsonSchema(const QJsonValue &source, JsonSchemaTree tree, QList<JsonSchemaIssue> problems)
    : m_tree(std::make_shared<const JsonSchemaTree>(std::move(tree)))
    , m_problems(std::move(problems))
    , m_source(source)
    , m_usable(
          std::none_of(m_problems.cbegin(), m_problems.cend(), [](const JsonSchemaIssue &i) { return i.isError(); }))
{}

JsonSchema JsonSchema::compile(const QJsonValue &schema)
{
    QList<JsonSchemaIssue> problems;
    JsonSchemaTree tree = JsonSchemaCompiler::compile(schema, &problems);
    return JsonSchema(schema, std::move(tree), std::move(problems));
}

JsonSchemaResult JsonSchema::validate(const QJsonValue &document, JsonSchemaOrigin origin) const
{
    if (!m_usable) {
        const auto first = std::find_if(m_problems.cbegin(), m_problems.cend(),
                                        [](const JsonSchemaIssue &i) { return i.isError(); });
        return JsonSchemaResult{
            {JsonSchemaIssue{QString(), first->keyword,
                             QStringLiteral("cannot be checked: the schema has an error at ") + first->toString(),
                             JsonSchemaSeverity::Error, first->pointer}}};
    }
    return JsonSchemaEvaluator(*m_tree, origin).run(document);
}

} // namespace chronoscope::engine
