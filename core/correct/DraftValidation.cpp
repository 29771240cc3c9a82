#include "correct/DraftValidation.h"

namespace chronoscope {

QString DraftIssue::fieldName(Field field)
{
    switch (field) {
    case Field::Stream: return QStringLiteral("stream");
    case Field::ExpectedRevision: return QStringLiteral("expected revision");
    case Field::EventType: return QStringLiteral("event type");
    case Field::Data: return QStringLiteral("data");
    case Field::Metadata: return QStringLiteral("metadata");
    case Field::Reason: return QStringLiteral("reason");
    }
    return QStringLiteral("data");
}

QString DraftIssue::stageName(Stage stage)
{
    switch (stage) {
    case Stage::Draft: return QStringLiteral("draft");
    case Stage::Syntax: return QStringLiteral("syntax");
    case Stage::Size: return QStringLiteral("size");
    case Stage::Schema: return QStringLiteral("schema");
    case Stage::Invariant: return QStringLiteral("invariant");
    }
    return QStringLiteral("draft");
}

QString DraftIssue::toString() const
{
    QString where;
    if (stage == Stage::Invariant && !invariant.isEmpty()) {
        where = QStringLiteral("invariant '%1'").arg(invariant);
    } else {
        where = fieldName(field);
        if (line > 0 && column > 0)
            where += QStringLiteral(": line %1, column %2").arg(line).arg(column);
        else if (!pointer.isEmpty())
            where += QLatin1Char(' ') + pointer;
    }
    QString text = where + QStringLiteral(": ") + message;
    if (severity == Severity::Warning)
        text += QStringLiteral(" (warning)");
    return text;
}

bool DraftValidation::hasErrors() const
{
    for (const DraftIssue &issue : issues) {
        if (issue.isError())
            return true;
    }
    return false;
}

QList<DraftIssue> DraftValidation::errors() const
{
    QList<DraftIssue> out;
    for (const DraftIssue &issue : issues) {
        if (issue.isError())
            out.append(issue);
    }
    return out;
}

QList<DraftIssue> DraftValidation::warnings() const
{
    QList<DraftIssue> out;
    for (const DraftIssue &issue : issues) {
        if (!issue.isError())
            out.append(issue);
    }
    return out;
}

QList<DraftIssue> DraftValidation::forField(DraftIssue::Field field) const
{
    QList<DraftIssue> out;
    for (const DraftIssue &issue : issues) {
        if (issue.field == field)
            out.append(issue);
    }
    return out;
}

QStringList DraftValidation::toStringList() const
{
    QStringList out;
    out.reserve(issues.size());
    for (const DraftIssue &issue : issues)
        out.append(issue.toString());
    return out;
}

} // namespace chronoscope
