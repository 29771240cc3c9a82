#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace chronoscope::engine {

/// How much a finding matters. Errors make a document invalid (and a schema unusable); warnings are
/// shown but never block: an inferred schema's unseen fields and changed types (PRODUCT.md F9).
enum class JsonSchemaSeverity { Error, Warning };

/// Where a schema came from, which decides how hard some findings are (see JsonSchema::validate()).
enum class JsonSchemaOrigin {
    Declared, ///< written by someone: every violation is an error
    Inferred, ///< inferred from existing events: unseen fields and changed types are warnings
};

/// One finding, of a validation (the pointer is into the document) or of a schema check at load time
/// (the pointer is into the schema).
struct JsonSchemaIssue
{
    /// RFC 6901 JSON Pointer, "" for the whole document: "/items/0/amount".
    QString pointer;
    /// The keyword that found it: "minimum", "required", "pattern", "$ref", … ("false" for a `false`
    /// schema; empty when no keyword is to blame, e.g. a document that is not JSON).
    QString keyword;
    /// What is wrong, in words and without the location: "must be at least 0", "is required".
    QString message;
    JsonSchemaSeverity severity = JsonSchemaSeverity::Error;
    /// For validation findings: where the keyword sits in the schema (a JSON Pointer), for whoever
    /// debugs the schema. Empty for load-time problems (their pointer already is into the schema).
    QString schemaPointer;

    bool isError() const { return severity == JsonSchemaSeverity::Error; }
    /// "/items/0/amount: must be at least 0"; "(root): …" for the whole document; warnings end in
    /// " (warning)".
    QString toString() const;

    friend bool operator==(const JsonSchemaIssue &a, const JsonSchemaIssue &b)
    {
        return a.pointer == b.pointer && a.keyword == b.keyword && a.message == b.message && a.severity == b.severity
            && a.schemaPointer == b.schemaPointer;
    }
};

/// The outcome of validating one document: every finding, errors and warnings.
struct JsonSchemaResult
{
    QList<JsonSchemaIssue> issues;

    /// No errors (warnings allowed).
    bool isValid() const { return errorCount() == 0; }
    qsizetype errorCount() const;
    qsizetype warningCount() const { return issues.size() - errorCount(); }
    QList<JsonSchemaIssue> errors() const;
    QList<JsonSchemaIssue> warnings() const;
    /// Every issue's toString(), in order.
    QStringList toStringList() const;
};

} // namespace chronoscope::engine
