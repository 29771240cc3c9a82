#include "AppendCommand.h"

#include "AppendInput.h"
#include "AppendReport.h"
#include "CliConnection.h"
#include "CliOutput.h"
#include "CliReducer.h"
#include "CommandLine.h"
#include "client/EventLookup.h"
#include "client/StreamsClient.h"
#include "correct/AuditLog.h"
#include "correct/CorrectionTarget.h"
#include "correct/Corrector.h"
#include "correct/DraftTemplates.h"
#include "correct/WriteGuard.h"
#include "script/ReducerFile.h"

namespace chronoscope::cli {

namespace {

/// Draft ids of CLI appends made with --event-id derive from the event id, so that every retry of one
/// correction is one draft in the audit log, as retries from the window are.
const QUuid kCliDraftNamespace = QUuid::fromString(QLatin1String("6f0b8e36-2a49-4c71-9d0e-3c5a8b1f7e24"));

/// How far back in `$all` --corrects looks for an event that is not in the target stream.
constexpr quint64 kCorrectsSearchLimit = 1000000;

const char *const kOptions[][3] = {
    {"stream", "stream", "the target stream"},
    {"type", "type", "the event type"},
    {"data", "file|-|json", "the event's data"},
    {"metadata", "file|json", "custom metadata"},
    {"expected-revision", "N|no_stream", "the revision inspected"},
    {"reason", "text", "why"},
    {"reducer", "file", "a reducer file"},
    {"template", "name", "a template of the reducer file"},
    {"corrects", "event id", "the corrected event"},
    {"event-id", "uuid", "the new event's id"},
    {"confirm-profile", "name", "a production profile's name"},
    {"audit-log", "path", "the audit log"},
};

AppendOutcome refusedByGuard(const QString &why)
{
    AppendOutcome o;
    o.kind = AppendOutcome::Kind::RefusedByGuard;
    o.message = why;
    return o;
}

/// The reducer as every command loads it; a write refuses a file meant for other streams (a fold
/// only notes it), since its schemas and invariants would judge the wrong events.
std::optional<CliReducer> loadReducer(const QString &path, const QString &stream, Output &out, QString *error)
{
    std::optional<CliReducer> r = CliReducer::load(path, QString(), out, error);
    if (r && r->file && !r->file->appliesToStream(stream.toUtf8())) {
        *error = QStringLiteral("--reducer: %1 does not apply to %2 (appliesTo: %3)")
                     .arg(path, stream, r->file->appliesTo().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    return r;
}

/// The event --corrects names, looked up in the stream (then `$all`); none without --corrects.
std::optional<std::optional<RecordedEvent>> correctedEvent(const AppendInput &in, const StreamsClient &client,
                                                           QString *error)
{
    if (in.correctsRevision) {
        const ReadResult read = client.readAll(
            ReadRequest::forStream(in.stream.toUtf8()).fromRevision(*in.correctsRevision).count(1));
        if (read.error.isError() && read.error.kind != ClientError::Kind::StreamNotFound) {
            *error = QStringLiteral("--corrects @%1: cannot read %2: %3")
                         .arg(*in.correctsRevision)
                         .arg(in.stream, read.error.toString());
            return std::nullopt;
        }
        if (read.events.isEmpty() || !read.events.first().event
            || read.events.first().event->revision != *in.correctsRevision) {
            *error = QStringLiteral("--corrects @%1: %2 has no event at revision %1")
                         .arg(*in.correctsRevision)
                         .arg(in.stream);
            return std::nullopt;
        }
        return read.events.first().event;
    }
    if (in.corrects.isNull())
        return std::optional<RecordedEvent>();
    const QString id = in.corrects.toString(QUuid::WithoutBraces);
    const EventLookup::Found found = EventLookup::findById(client, in.stream.toUtf8(), in.corrects,
                                                           kCorrectsSearchLimit, nullptr);
    if (!found.error.isEmpty()) {
        *error = QStringLiteral("--corrects: cannot look up %1: %2").arg(id, found.error);
        return std::nullopt;
    }
    if (!found.event) {
        *error = QStringLiteral("--corrects: there is no event %1 in %2 (nor in the last %3 events of $all)")
                     .arg(id, in.stream)
                     .arg(kCorrectsSearchLimit);
        return std::nullopt;
    }
    return found.event;
}

/// The draft from --template: the reducer file's template, made from the corrected event.
std::optional<EventDraft> templateDraft(const AppendInput &in, const engine::ReducerFile &file,
                                        const RecordedEvent *source, Output &out, QString *error)
{
    const QByteArray stream = in.stream.toUtf8();
    const std::optional<engine::ReducerTemplate> tmpl = DraftTemplates::find(file, in.templateName, stream, source);
    if (!tmpl) {
        for (const engine::ReducerTemplate &t : file.templates()) {
            if (t.name == in.templateName && !t.from.isEmpty()
                && !t.appliesToSource(source ? source->type : QByteArray())) {
                QStringList from;
                for (const QByteArray &type : t.from)
                    from.append(QString::fromUtf8(type));
                *error = QStringLiteral(
                             "--template \"%1\" is made from a %2 event: give one with --corrects <event id>")
                             .arg(in.templateName, from.join(QStringLiteral(" or ")));
                return std::nullopt;
            }
        }
        QStringList offered;
        for (const engine::ReducerTemplate &t : DraftTemplates::applicable(file, stream, source))
            offered.append(QLatin1Char('"') + t.name + QLatin1Char('"'));
        *error = QStringLiteral("--template: %1 has no template \"%2\" for %3 (offered here: %4)")
                     .arg(file.path(), in.templateName, source ? QStringLiteral("this event") : in.stream,
                          offered.isEmpty() ? QStringLiteral("none") : offered.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    if (!in.eventType.isEmpty() && in.eventType.toUtf8() != tmpl->eventType) {
        *error = QStringLiteral("--type %1: the template \"%2\" makes %3 events")
                     .arg(in.eventType, tmpl->name, QString::fromUtf8(tmpl->eventType));
        return std::nullopt;
    }
    DraftTemplates::Instantiated made = DraftTemplates::instantiate(*tmpl, in.stream, in.expected, source);
    for (const QString &missing : std::as_const(made.missing))
        out.message(QStringLiteral("template \"%1\": %2, left null").arg(tmpl->name, missing));
    made.draft.stream = in.stream; // the target, even when the corrected event was found in another stream
    return made.draft;
}

/// The draft the options describe. --corrects looks the corrected event up, to keep its `$correlationId`.
std::optional<EventDraft> makeDraft(const AppendInput &in, const StreamsClient &client, const engine::ReducerFile *file,
                                    Output &out, QString *error)
{
    const std::optional<std::optional<RecordedEvent>> source = correctedEvent(in, client, error);
    if (!source)
        return std::nullopt;
    const RecordedEvent *corrected = *source ? &**source : nullptr;
    EventDraft draft;
    if (!in.templateName.isEmpty()) {
        std::optional<EventDraft> made = templateDraft(in, *file, corrected, out, error);
        if (!made)
            return std::nullopt;
        draft = *made;
    } else {
        draft = EventDraft::create(in.stream, in.expected);
        draft.eventType = in.eventType;
        if (corrected) {
            draft.correctsEventId = corrected->id;
            draft.correlationId = EventLookup::metadataString(corrected->metadata, QLatin1String("$correlationId"));
            if (draft.correlationId.isEmpty())
                draft.correlationId = corrected->id.toString(QUuid::WithoutBraces);
        }
    }
    // What the options give outright wins over the template's.
    if (!in.data.isEmpty() || in.templateName.isEmpty())
        draft.data = in.data;
    if (!in.metadata.isEmpty() || in.templateName.isEmpty())
        draft.customMetadata = in.metadata;
    if (in.eventId) {
        draft.eventId = *in.eventId;
        draft.draftId = QUuid::createUuidV5(kCliDraftNamespace, in.eventId->toString(QUuid::WithoutBraces));
    }
    draft.reason = in.reason;
    return draft;
}

QString expectedText(const ExpectedState &e)
{
    return e.kind == ExpectedState::Kind::Revision ? QStringLiteral("revision %1").arg(e.revision) : e.toString();
}

} // namespace

QString AppendCommand::summary() const
{
    return QStringLiteral("append a corrective event: validated, previewed (--dry-run), pinned, audited");
}

QString AppendCommand::help() const
{
    return QStringLiteral(
        "Usage: chronoscope-cli append (--connection <string> [--username <name>] | --profile <name>)\n"
        "         --stream <stream> --type <type>\n"
        "         --data <file|-|json> [--metadata <file|json>] --expected-revision <N|no_stream> --reason <text>\n"
        "         [--reducer <file.reducer.json> [--template <name>]] [--corrects <event id|@N>] [--event-id <uuid>]\n"
        "         [--confirm-profile <name>] [--dry-run] [--json] [--audit-log <path>]\n"
        "\n"
        "Appends one corrective event the way the window's composer does. The draft is validated in order --\n"
        "JSON syntax (line and column), the type's JSON Schema (the reducer file's, else inferred from the\n"
        "stream's events of that type), the reducer file's invariants on the stream's state with the event\n"
        "applied -- then appended pinned to the revision you inspected, never `any`. The attempt and its\n"
        "outcome go to the audit log (fsync'd before the call and after the answer); the event's metadata\n"
        "gets $correlationId, $causationId, the reason, the operator and this tool.\n"
        "\n"
        "Options:\n"
        "  --connection <string>      connection string, without a password (esdb://host:2113?tls=false)\n"
        "  --username <name>          the user to authenticate as (its password: CHRONOSCOPE_PASSWORD)\n"
        "  --profile <name>           a saved profile of the window; its read-only and production flags apply\n"
        "  --connect <string|name>    either: a connection string (with ://) or a profile name\n"
        "  --stream <stream>          the target stream\n"
        "  --type <type>              the event type\n"
        "  --data <file|-|json>       the data: inline JSON (starting with { or [), - for stdin, or a file\n"
        "  --metadata <file|json>     custom metadata, an object (the automatic fields are added to it)\n"
        "  --expected-revision <N|no_stream>\n"
        "                             the stream's revision you inspected. Required, except with --dry-run\n"
        "                             (then the head); `any` and `stream_exists` are refused\n"
        "  --reason <text>            why: unlocks writes for this append, goes into the metadata and the log\n"
        "  --reducer <file>           a reducer file: its schemas, invariants and state (default: schemas\n"
        "                             inferred from the stream, the merge reducer's state)\n"
        "  --corrects <event id|@N>   the corrected event (by id, or @N: the stream's event at revision N): it\n"
        "                             becomes $causationId and its $correlationId is kept\n"
        "  --template <name>          a template of the reducer file (\"Refund this payment\"): it gives the type,\n"
        "                             the data and the metadata, made from the --corrects event; --type,\n"
        "                             --data and --metadata are then optional and win over the template's\n"
        "  --event-id <uuid>          the new event's id. Without it a fresh id is drawn and printed: to retry\n"
        "                             (after a lost answer, a timeout), run again with that --event-id and the\n"
        "                             same --expected-revision; an append that landed answers \"already\n"
        "                             appended\" and is never written twice\n"
        "  --confirm-profile <name>   a production profile's name, typed to confirm this append\n"
        "  --dry-run                  validate and print the state diff; appends nothing, logs nothing\n"
        "  --json                     one JSON object on stdout (the outcome, the validation, the diff)\n"
        "  --audit-log <path>         the audit log (default: the window's, in its data folder)\n"
        "\n"
        "The password comes from CHRONOSCOPE_PASSWORD or, with --profile, the keychain; never the command line.\n"
        "\n"
        "Exit codes: 0 appended, or already appended (a retry); with --dry-run: it could be appended\n"
        "            1 error: bad arguments, unreachable server, write guard, lost answer not resolved\n"
        "            3 refused: the validation failed, or a conflict (the stream moved past the revision)\n");
}

int AppendCommand::run(const QStringList &arguments, Output &out)
{
    CommandLine line(*this);
    line.addConnectionOptions();
    for (const auto &o : kOptions)
        line.addOption(QLatin1String(o[0]), QLatin1String(o[2]), QLatin1String(o[1]));
    line.addOption(QStringLiteral("dry-run"), QStringLiteral("validate and preview only"));
    if (const std::optional<int> done = line.parse(arguments, out))
        return *done;

    AppendInput in;
    QString error = in.read(line);
    if (!error.isEmpty())
        return out.error(error);
    const std::optional<CliConnection> connection = CliConnection::resolve(line, &error);
    if (!connection)
        return out.error(error);
    std::optional<CliReducer> reducing = loadReducer(in.reducerPath, in.stream, out, &error);
    if (!reducing)
        return out.error(error);

    // The write guard, before anything is read: this append's reason unlocks it (a read-only profile
    // cannot be unlocked); a production profile wants its name typed.
    WriteGuard guard(connection->profile);
    if (!in.dryRun) {
        QString refusal = guard.unlock(in.reason);
        if (refusal.isEmpty())
            refusal = guard.authorize(in.confirmProfile);
        if (!refusal.isEmpty()) {
            if (guard.needsTypedProfileName() && in.confirmProfile != connection->profile.name)
                refusal +=
                    QStringLiteral(" (production profile: add --confirm-profile \"%1\")").arg(connection->profile.name);
            EventDraft shown = EventDraft::create(in.stream, in.expected);
            shown.eventType = in.eventType;
            const AppendOutcome o = refusedByGuard(refusal);
            appendreport::printOutcome(out, shown, o, nullptr, false);
            return o.exitCode();
        }
    }

    const StreamsClient client(connection->settings);
    if (client.error().kind != ClientError::Kind::None)
        return out.error(
            QStringLiteral("cannot connect to %1: %2").arg(connection->description, client.error().toString()));
    CorrectionTarget target(in.stream.toUtf8(), reducing->file, std::move(reducing->reducer));
    const CorrectionTarget::CatchUp read = target.catchUp(client, nullptr, [&out, &in](quint64 n) {
        out.progress(QStringLiteral("reading %1: %2 events").arg(in.stream).arg(n));
    });
    out.finishProgress();
    if (!read.ok())
        return out.error(QStringLiteral("cannot read %1 from %2: %3")
                             .arg(in.stream, connection->description, read.error.toString()));

    std::optional<EventDraft> made = makeDraft(in, client, target.reducerFile(), out, &error);
    if (!made)
        return out.error(error);
    EventDraft &draft = *made;
    const ExpectedState head = target.headExpected();
    const bool moved = in.expected && !(*in.expected == head);
    // The stream went on past the pinned revision (not: a revision it never reached).
    const bool movedOn = moved && head.kind == ExpectedState::Kind::Revision
        && (in.expected->kind == ExpectedState::Kind::NoStream || in.expected->revision < head.revision);

    AuditLog auditLog(in.auditLogPath);
    const Corrector corrector(&client, &auditLog, &guard,
                              AuditOperator::current(connection->settings, QStringLiteral("chronoscope-cli")));
    if (in.dryRun) {
        if (!draft.expected)
            draft.expected = head;
        const DryRun dryRun = corrector.dryRun(draft, target);
        const QString note = moved
            ? QStringLiteral("The stream is at %1, not %2: an append pinned to %2 would be refused "
                             "as a conflict.")
                  .arg(expectedText(head), expectedText(*in.expected))
            : QString();
        const int code = dryRun.canAppend() && note.isEmpty() ? kExitOk : kExitRefused;
        return appendreport::printDryRun(out, draft, dryRun, note, code);
    }

    AppendOptions options;
    options.typedProfileName = in.confirmProfile;
    AppendOutcome outcome;
    bool validated = false;
    if (movedOn) {
        // The stream moved past the pinned revision: maybe by this very event (a script retrying after a
        // lost answer), else by someone else (a conflict). Reading it back tells which, with the new
        // events, instead of validating the draft again on a head it may be part of.
        outcome = corrector.readBack(draft, target, options);
    }
    if (!movedOn || outcome.kind == AppendOutcome::Kind::NotAppended) {
        outcome = corrector.append(draft, target, options);
        validated = true;
    }
    if (outcome.isUncertain()) {
        out.message(
            QStringLiteral("%1: reading %2 back to learn whether the event landed").arg(outcome.title(), in.stream));
        const AppendOutcome first = outcome;
        outcome = corrector.readBack(draft, target, options);
        appendreport::printOutcome(out, draft, outcome, &first, false);
        return outcome.exitCode();
    }
    appendreport::printOutcome(out, draft, outcome, nullptr, validated);
    return outcome.exitCode();
}

} // namespace chronoscope::cli
