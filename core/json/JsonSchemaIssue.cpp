#include "json/JsonSchemaIssue.h"

#include <algorithm>

namespace chronoscope::engine {

QString JsonSchemaIssue::toString() const
{
    const QString where = pointer.isEmpty() ? QStringLiteral("(root)") : pointer;
    return where + QLatin1String(": ") + message
        + (severity == JsonSchemaSeverity::Warning ? QStringLiteral(" (warning)") : QString());
}

qsizetype JsonSchemaResult::errorCount() const
{
    return std::count_if(issues.cbegin(), issues.cend(), [](const JsonSchemaIssue &i) { return i.isError(); });
}

QList<JsonSchemaIssue> JsonSchemaResult::errors() const
{
    QList<JsonSchemaIssue> out;
    std::copy_if(issues.cbegin(), issues.cend(), std::back_inserter(out),
                 [](const JsonSchemaIssue &i) { return i.isError(); });
    return out;
}

QList<JsonSchemaIssue> JsonSchemaResult::warnings() const
{
    QList<JsonSchemaIssue> out;
    std::copy_if(issues.cbegin(), issues.cend(), std::back_inserter(out),
                 [](const JsonSchemaIssue &i) { return !i.isError(); });
    return out;
}

QStringList JsonSchemaResult::toStringList() const
{
    QStringList out;
    out.reserve(issues.size());
    for (const JsonSchemaIssue &i : issues)
        out.append(i.toString());
    return out;
}

} // namespace chronoscope::engine
