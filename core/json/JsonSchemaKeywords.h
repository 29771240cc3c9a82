#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace chronoscope::engine {

/// The draft-07 vocabulary as the schema compiler names it: which keywords validate, which only
/// annotate, and what to say about a keyword that is neither (often one of another draft or of
/// OpenAPI, or a typo).
class JsonSchemaKeywords
{
public:
    /// Keywords that validate (and `$ref`).
    static const QStringList &assertions();
    /// Keywords that only describe, accepted and never checked against documents: title, description,
    /// default, examples, $comment, readOnly, writeOnly, contentMediaType, contentEncoding,
    /// definitions, $schema, $id.
    static const QStringList &annotations();
    static bool isKnown(const QString &keyword);
    /// What is wrong with an annotation's value ("must be a string"), or nothing. `$schema` must name
    /// draft-07. (`definitions` holds schemas: the compiler checks it.)
    static QString checkAnnotation(const QString &keyword, const QJsonValue &value);
    /// Why `keyword` is refused, for a keyword that is not known: "unknown keyword "minimun" (did you
    /// mean "minimum"?)", or "…belongs to a later draft; use "definitions"".
    static QString whyUnknown(const QString &keyword);
};

} // namespace chronoscope::engine
