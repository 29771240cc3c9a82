#include "AppendReport.h"

#include "CliOutput.h"

#include <QJsonDocument>

namespace chronoscope::cli::appendreport {

namespace {

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

QString severityName(DraftIssue::Severity s)
{
    return s == DraftIssue::Severity::Error ? QStringLiteral("error") : QStringLiteral("warning");
}

QString schemaSourceText(const DraftValidation &v)
{
    switch (v.schemaSource) {
    case DraftValidation::SchemaSource::ReducerFile: return QStringLiteral("the reducer file's");
    case DraftValidation::SchemaSource::Inferred:
        return QStringLiteral("inferred from %1 event(s) of the type").arg(v.inferredFrom);
    case DraftValidation::SchemaSource::None: break;
    }
    return QStringLiteral("none (a type the stream has not seen and no reducer schema)");
}

QString schemaSourceName(DraftValidation::SchemaSource s)
{
    switch (s) {
    case DraftValidation::SchemaSource::ReducerFile: return QStringLiteral("reducer-file");
    case DraftValidation::SchemaSource::Inferred: return QStringLiteral("inferred");
    case DraftValidation::SchemaSource::None: break;
    }
    return QStringLiteral("none");
}

void printIssues(Output &out, const DraftValidation &v)
{
    for (const DraftIssue &issue : v.issues)
        out.line(QStringLiteral("  ") + severityName(issue.severity) + QStringLiteral(": ") + issue.toString());
}

/// The event id to retry with, after the outcomes where a retry makes sense; the id alone after a success.
QString retryHint(const EventDraft &draft, const AppendOutcome &outcome)
{
    using Kind = AppendOutcome::Kind;
    if (outcome.isSuccess())
        return QStringLiteral("Event id %1.").arg(uuidText(draft.eventId));
    switch (outcome.kind) {
    case Kind::DeadlineExceeded:
    case Kind::ConnectionLost:
    case Kind::NotAppended:
    case Kind::AuditFailed:
    case Kind::Error:
        return QStringLiteral("Event id %1: to retry, run the same command with --event-id %1 (if the event landed "
                              "meanwhile, the retry answers \"already appended\" and writes nothing twice).")
            .arg(uuidText(draft.eventId));
    default: return {}; // refused: nothing to retry as it is
    }
}

/// The metadata to show for a dry run: the audit anchor is only known at the append.
QByteArray shownMetadata(const QByteArray &metadata, QJsonDocument::JsonFormat format)
{
    QJsonDocument doc = QJsonDocument::fromJson(metadata);
    if (!doc.isObject())
        return metadata;
    QJsonObject o = doc.object();
    if (o.contains(QLatin1String("auditAnchor")))
        o.insert(QStringLiteral("auditAnchor"), QStringLiteral("(the audit log's last hash, at the append)"));
    return QJsonDocument(o).toJson(format);
}

} // namespace

QJsonObject issueJson(const DraftIssue &issue)
{
    QJsonObject o{{QStringLiteral("stage"), DraftIssue::stageName(issue.stage)},
                  {QStringLiteral("field"), DraftIssue::fieldName(issue.field)},
                  {QStringLiteral("severity"), severityName(issue.severity)},
                  {QStringLiteral("message"), issue.message},
                  {QStringLiteral("text"), issue.toString()}};
    if (issue.line > 0)
        o.insert(QStringLiteral("line"), issue.line);
    if (issue.column > 0)
        o.insert(QStringLiteral("column"), issue.column);
    if (issue.stage == DraftIssue::Stage::Schema)
        o.insert(QStringLiteral("pointer"), issue.pointer);
    if (!issue.invariant.isEmpty())
        o.insert(QStringLiteral("invariant"), issue.invariant);
    return o;
}

QJsonObject validationJson(const DraftValidation &v)
{
    QJsonArray issues;
    for (const DraftIssue &issue : v.issues)
        issues.append(issueJson(issue));
    return QJsonObject{{QStringLiteral("ok"), !v.hasErrors()},
                       {QStringLiteral("issues"), issues},
                       {QStringLiteral("schemaSource"), schemaSourceName(v.schemaSource)},
                       {QStringLiteral("inferredFrom"), v.inferredFrom},
                       {QStringLiteral("invariantsChecked"), v.invariantsChecked},
                       {QStringLiteral("folded"), v.folded}};
}

QJsonValue expectedJson(const std::optional<ExpectedState> &expected)
{
    if (!expected)
        return QJsonValue::Null;
    if (expected->kind == ExpectedState::Kind::Revision)
        return QJsonValue(qint64(expected->revision));
    return expected->toString();
}

int printDryRun(Output &out, const EventDraft &draft, const DryRun &dryRun, const QString &headNote, int exitCode)
{
    const DraftValidation &v = dryRun.validation;
    if (out.json()) {
        QJsonObject o{{QStringLiteral("outcome"), QStringLiteral("dry-run")},
                      {QStringLiteral("canAppend"), dryRun.canAppend() && headNote.isEmpty()},
                      {QStringLiteral("exitCode"), exitCode},
                      {QStringLiteral("stream"), draft.stream},
                      {QStringLiteral("eventType"), draft.eventType},
                      {QStringLiteral("eventId"), uuidText(draft.eventId)},
                      {QStringLiteral("expectedRevision"), expectedJson(dryRun.expected)},
                      {QStringLiteral("validation"), validationJson(v)},
                      {QStringLiteral("diff"), QJsonArray::fromStringList(dryRun.diff)},
                      {QStringLiteral("data"), QString::fromUtf8(dryRun.dataSent)},
                      {QStringLiteral("metadata"),
                       QString::fromUtf8(shownMetadata(dryRun.metadataSent, QJsonDocument::Compact))}};
        if (!headNote.isEmpty())
            o.insert(QStringLiteral("note"), headNote);
        out.object(o);
        return exitCode;
    }
    out.line(QStringLiteral("Dry run: %1 to %2, pinned to %3")
                 .arg(draft.eventType, draft.stream,
                      dryRun.expected.kind == ExpectedState::Kind::Revision
                          ? QStringLiteral("revision %1").arg(dryRun.expected.revision)
                          : dryRun.expected.toString()));
    if (!headNote.isEmpty())
        out.line(headNote);
    out.line(QStringLiteral("Schema: ") + schemaSourceText(v));
    out.line(QStringLiteral("Invariants checked: %1").arg(v.invariantsChecked));
    const qsizetype errors = v.errors().size(), warnings = v.warnings().size();
    out.line(errors == 0 && warnings == 0
                 ? QStringLiteral("Validation: OK")
                 : QStringLiteral("Validation: %1 error(s), %2 warning(s)").arg(errors).arg(warnings));
    printIssues(out, v);
    if (dryRun.diff.isEmpty()) {
        out.line(v.folded ? QStringLiteral("State change: none")
                          : QStringLiteral("State change: not computed (the draft was not folded)"));
    } else {
        out.line(QStringLiteral("State change:"));
        for (const QString &d : dryRun.diff)
            out.line(QStringLiteral("  ") + d);
    }
    if (!dryRun.dataSent.isEmpty()) {
        out.line(QStringLiteral("Data that would be sent:"));
        const QJsonDocument doc = QJsonDocument::fromJson(dryRun.dataSent);
        const QByteArray shown = doc.isNull() ? dryRun.dataSent : doc.toJson(QJsonDocument::Indented);
        for (const QString &l : QString::fromUtf8(shown).trimmed().split(QLatin1Char('\n')))
            out.line(QStringLiteral("  ") + l);
    }
    if (!dryRun.metadataSent.isEmpty()) {
        out.line(QStringLiteral("Metadata that would be sent:"));
        const QByteArray shown = shownMetadata(dryRun.metadataSent, QJsonDocument::Indented);
        for (const QString &l : QString::fromUtf8(shown).trimmed().split(QLatin1Char('\n')))
            out.line(QStringLiteral("  ") + l);
    }
    out.line(QStringLiteral("Nothing was appended (dry run)."));
    return exitCode;
}

void printOutcome(Output &out, const EventDraft &draft, const AppendOutcome &outcome, const AppendOutcome *first,
                  bool validated)
{
    if (out.json()) {
        QJsonObject o = outcome.toJson();
        o.insert(QStringLiteral("eventId"), uuidText(draft.eventId));
        o.insert(QStringLiteral("stream"), draft.stream);
        o.insert(QStringLiteral("eventType"), draft.eventType);
        o.insert(QStringLiteral("expectedRevision"), expectedJson(draft.expected));
        o.insert(QStringLiteral("exitCode"), outcome.exitCode());
        if (validated)
            o.insert(QStringLiteral("validation"), validationJson(outcome.validation));
        if (first)
            o.insert(QStringLiteral("firstAnswer"), first->toJson());
        out.object(o);
        return;
    }
    if (first)
        out.line(first->title() + QStringLiteral(" (the first answer). Read back:"));
    QString head = outcome.title();
    if (outcome.isSuccess()) {
        head += QStringLiteral(": %1 to %2").arg(draft.eventType, draft.stream);
        if (outcome.revision)
            head += QStringLiteral(" at revision %1").arg(*outcome.revision);
        if (outcome.position)
            head += QStringLiteral(" (commit position %1)").arg(outcome.position->commit);
    } else if (!outcome.message.isEmpty()) {
        head += QStringLiteral(": ") + outcome.message;
    }
    out.line(head);
    if (outcome.kind == AppendOutcome::Kind::RefusedByValidation)
        printIssues(out, outcome.validation);
    if (outcome.kind == AppendOutcome::Kind::Conflict) {
        for (const RecordedEvent &e : outcome.newEvents)
            out.line(QStringLiteral("  new: revision %1 %2 %3")
                         .arg(e.revision)
                         .arg(QString::fromUtf8(e.type), uuidText(e.id)));
        if (outcome.actualRevision)
            out.line(QStringLiteral("Look at what changed; to append anyway, run again with --expected-revision %1.")
                         .arg(*outcome.actualRevision));
    }
    const QString hint = retryHint(draft, outcome);
    if (!hint.isEmpty())
        out.line(hint);
}

} // namespace chronoscope::cli::appendreport
