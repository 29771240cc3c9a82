#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>

namespace chronoscope {

/// One finding about a draft, at the field where it occurs (F9). Stages run in order: the draft's
/// own fields, JSON syntax, size, JSON Schema, invariants; a stage whose input is broken is not run
/// (no schema check of data that does not parse, no invariants on data the schema refuses).
struct DraftIssue
{
    enum class Stage { Draft, Syntax, Size, Schema, Invariant };
    enum class Field { Stream, ExpectedRevision, EventType, Data, Metadata, Reason };
    enum class Severity { Error, Warning };

    Stage stage = Stage::Draft;
    Field field = Field::Data;
    Severity severity = Severity::Error;
    int line = -1;     ///< Syntax: 1-based line of the field's text; -1 otherwise
    int column = -1;   ///< Syntax: 1-based column (in characters); -1 otherwise
    QString pointer;   ///< Schema: JSON Pointer into the field's document ("" = the whole document)
    QString invariant; ///< Invariant: the invariant's name from the reducer file
    QString message;   ///< what is wrong, without the location

    bool isError() const { return severity == Severity::Error; }
    /// "data: line 3, column 14: …", "data /amount: must be at least 0", "invariant 'refunds never
    /// exceed what was paid': refund of 2500 exceeds …", warnings end in " (warning)".
    QString toString() const;
    static QString
    fieldName(Field field); ///< "stream", "expected revision", "event type", "data", "metadata", "reason"
    static QString stageName(Stage stage); ///< "draft", "syntax", "size", "schema", "invariant"
};

/// The whole validation of one draft against one head.
struct DraftValidation
{
    QList<DraftIssue> issues;
    /// Where the data schema came from: the reducer file, inferred from this many existing events of
    /// the type, or none (a new type and no reducer schema).
    enum class SchemaSource { None, ReducerFile, Inferred };
    SchemaSource schemaSource = SchemaSource::None;
    int inferredFrom = 0;      ///< examples behind an inferred schema
    int invariantsChecked = 0; ///< invariants of the reducer file evaluated on head + draft
    bool folded = false;       ///< the draft was folded onto the head (syntax and schema passed)

    bool hasErrors() const;
    QList<DraftIssue> errors() const;
    QList<DraftIssue> warnings() const;
    QList<DraftIssue> forField(DraftIssue::Field field) const;
    QStringList toStringList() const;
};

} // namespace chronoscope
