#include "correct/Corrector.h"

#include "correct/CorrectionTarget.h"
#include "correct/CorrectorDetail.h"
#include "correct/WriteGuard.h"
#include "json/DiffText.h"
#include "json/DuplicateKeyScanner.h"
#include "json/JsonDiff.h"
#include "script/ReducerFile.h"

#include <QDateTime>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace chronoscope {

namespace {

using Stage = DraftIssue::Stage;
using Field = DraftIssue::Field;
using Severity = DraftIssue::Severity;

DraftIssue issue(Stage stage, Field field, const QString &message, Severity severity = Severity::Error)
{
    DraftIssue i;
    i.stage = stage;
    i.field = field;
    i.severity = severity;
    i.message = message;
    return i;
}

/// 1-based line and column (in characters) of a byte offset into the UTF-8 text as typed.
void lineAndColumn(const QByteArray &utf8, qsizetype offset, int *line, int *column)
{
    offset = qBound<qsizetype>(0, offset, utf8.size());
    const QByteArray before = utf8.left(offset);
    *line = int(before.count('\n')) + 1;
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    *column = int(QString::fromUtf8(before.mid(lineStart)).size()) + 1;
}

/// Parses one JSON field as typed; issues at `field` (syntax with line and column, duplicate keys).
/// Returns whether the text is a JSON document of the kind the field takes.
bool parseField(const QString &text, Field field, bool objectOnly, DraftValidation *v, QJsonValue *out)
{
    const QByteArray utf8 = text.toUtf8();
    const QString what = DraftIssue::fieldName(field);
    if (utf8.trimmed().isEmpty()) {
        v->issues.append(issue(Stage::Syntax, field, QStringLiteral("is empty: type a JSON object, e.g. {}")));
        return false;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &error);
    if (error.error != QJsonParseError::NoError) {
        DraftIssue i = issue(Stage::Syntax, field, error.errorString());
        // QJsonParseError's offset is just past the character that broke the parse (unless the
        // text ended first): point at that character.
        qsizetype at = error.offset;
        if (at > 0 && at < utf8.size()) {
            --at;
            while (at > 0 && (uchar(utf8.at(at)) & 0xC0) == 0x80) // a UTF-8 continuation byte
                --at;
        }
        const QByteArray trimmed = utf8.trimmed();
        if (!trimmed.startsWith('{') && !trimmed.startsWith('['))
            i.message = QStringLiteral("must be a JSON %1")
                            .arg(objectOnly ? QStringLiteral("object") : QStringLiteral("object or array"));
        lineAndColumn(utf8, at, &i.line, &i.column);
        v->issues.append(i);
        return false;
    }
    if (objectOnly && !doc.isObject()) {
        DraftIssue i = issue(Stage::Syntax, field, QStringLiteral("must be a JSON object, not an array"));
        lineAndColumn(utf8, utf8.indexOf('['), &i.line, &i.column);
        v->issues.append(i);
        return false;
    }
    // QJsonDocument keeps the last of two equal keys, but the bytes sent keep both: whoever reads
    // the event later may take the other one. Refuse the ambiguity.
    qsizetype total = 0;
    const auto duplicates = engine::DuplicateKeyScanner::scan(utf8, 5, &total);
    for (const auto &d : duplicates) {
        DraftIssue i = issue(Stage::Syntax, field,
                             QStringLiteral("the key \"%1\" appears twice in one object (%2): keep one")
                                 .arg(d.key, d.pointer.isEmpty() ? QStringLiteral("at the top") : d.pointer));
        lineAndColumn(utf8, d.offset, &i.line, &i.column);
        v->issues.append(i);
    }
    if (total > 0)
        return false;
    Q_UNUSED(what);
    *out = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    return true;
}

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

/// The FoldError prefix JsReducer puts ahead of a script error: "event #N (Type in stream): ".
QString stripEventPrefix(const QString &message)
{
    if (!message.startsWith(QLatin1String("event #")))
        return message;
    const qsizetype close = message.indexOf(QLatin1String("): "));
    return close < 0 ? message : message.mid(close + 3);
}

} // namespace

namespace correctdetail {

QStringList reservedMetadataKeys()
{
    return {QStringLiteral("$correlationId"), QStringLiteral("$causationId"), QStringLiteral("reason"),
            QStringLiteral("operator"),       QStringLiteral("tool"),         QStringLiteral("toolVersion"),
            QStringLiteral("draftId"),        QStringLiteral("auditAnchor")};
}

DraftIssue issueFromFoldError(const engine::FoldError &error)
{
    DraftIssue i = issue(Stage::Invariant, Field::Data, QString());
    const QString text = stripEventPrefix(error.message);
    // projection_runtime.js: 'invariant "NAME": text' or 'invariant "NAME" threw …'.
    static const QLatin1String kInvariant("invariant \"");
    if (text.startsWith(kInvariant)) {
        const qsizetype nameEnd = text.indexOf(QLatin1Char('"'), kInvariant.size());
        if (nameEnd > 0) {
            i.invariant = text.mid(kInvariant.size(), nameEnd - kInvariant.size());
            QString rest = text.mid(nameEnd + 1);
            if (rest.startsWith(QLatin1String(": ")))
                rest = rest.mid(2);
            else
                rest = rest.trimmed(); // "threw TypeError: …"
            // A script line of the invariant's own code ("(file:12)") stays: it helps whoever fixes it.
            i.message = rest;
            return i;
        }
    }
    i.message = QStringLiteral("the reducer failed on this event: ") + text;
    return i;
}

RecordedEvent eventFor(const EventDraft &draft, const CorrectionTarget &target, const QByteArray &data,
                       const QByteArray &metadata)
{
    RecordedEvent e;
    e.streamId = draft.stream.toUtf8();
    e.id = draft.eventId;
    e.revision = target.headRevision() ? *target.headRevision() + 1 : 0;
    e.position = Position::end();
    e.type = draft.eventType.toUtf8();
    e.contentType = "application/json";
    e.createdTicks = QDateTime::currentMSecsSinceEpoch() * kTicksPerMillisecond;
    e.data = data;
    e.metadata = metadata;
    return e;
}

} // namespace correctdetail

Corrector::Corrector(const StreamsClient *client, const AuditLog *auditLog, const WriteGuard *guard, AuditOperator op)
    : m_client(client)
    , m_auditLog(auditLog)
    , m_guard(guard)
    , m_operator(std::move(op))
    , m_attempted(std::make_shared<Attempted>())
{}

QString Corrector::reasonFor(const EventDraft &draft) const
{
    const QString unlocked = m_guard ? m_guard->reason() : QString();
    return unlocked.isEmpty() ? draft.reason : unlocked;
}

QByteArray Corrector::metadataFor(const EventDraft &draft, const QString &reason, const QByteArray &auditAnchor) const
{
    QJsonObject o;
    if (!draft.customMetadata.trimmed().isEmpty())
        o = QJsonDocument::fromJson(draft.customMetadata.toUtf8()).object();
    o.insert(QLatin1String("$correlationId"),
             draft.correlationId.isEmpty() ? uuidText(draft.eventId) : draft.correlationId);
    if (!draft.correctsEventId.isNull())
        o.insert(QLatin1String("$causationId"), uuidText(draft.correctsEventId));
    else
        o.remove(QLatin1String("$causationId"));
    o.insert(QLatin1String("reason"), reason);
    QJsonObject op;
    op.insert(QLatin1String("osUser"), m_operator.osUser);
    op.insert(QLatin1String("connectionUser"), m_operator.connectionUser);
    op.insert(QLatin1String("host"), m_operator.host);
    o.insert(QLatin1String("operator"), op);
    o.insert(QLatin1String("tool"), m_operator.tool);
    o.insert(QLatin1String("toolVersion"), m_operator.toolVersion);
    o.insert(QLatin1String("draftId"), uuidText(draft.draftId));
    if (!auditAnchor.isEmpty())
        o.insert(QLatin1String("auditAnchor"), QString::fromLatin1(auditAnchor));
    else
        o.remove(QLatin1String("auditAnchor"));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

DraftValidation Corrector::validate(const EventDraft &draft, CorrectionTarget &target) const
{
    return run(draft, target, nullptr);
}

DraftValidation Corrector::run(const EventDraft &draft, CorrectionTarget &target, DryRun *dry,
                               QList<engine::StateChange> *changes, bool *incremental) const
{
    DraftValidation v;
    // 1. The draft's own fields.
    if (draft.stream.isEmpty())
        v.issues.append(issue(Stage::Draft, Field::Stream, QStringLiteral("no target stream")));
    else if (draft.stream.toUtf8() != target.stream())
        v.issues.append(issue(Stage::Draft, Field::Stream,
                              QStringLiteral("the draft is for \"%1\" but the inspected stream is \"%2\"")
                                  .arg(draft.stream, QString::fromUtf8(target.stream()))));
    if (draft.eventId.isNull())
        v.issues.append(issue(Stage::Draft, Field::Stream, QStringLiteral("the draft has no event id")));
    if (!draft.expected) {
        v.issues.append(issue(Stage::Draft, Field::ExpectedRevision,
                              QStringLiteral("no expected revision: inspect the stream first, so the correction is "
                                             "pinned to what you saw")));
    } else if (!EventDraft::isPinned(*draft.expected)) {
        v.issues.append(issue(Stage::Draft, Field::ExpectedRevision,
                              QStringLiteral("\"%1\" is not pinned: a correction needs the revision you inspected")
                                  .arg(draft.expected->toString())));
    } else if (!(*draft.expected == target.headExpected())) {
        v.issues.append(issue(Stage::Draft, Field::ExpectedRevision,
                              QStringLiteral("the draft is pinned to %1 but the stream is now at %2: review what "
                                             "changed and pin the draft to the new head")
                                  .arg(draft.expected->toString(), target.headExpected().toString())));
    }
    if (target.isDeleted())
        v.issues.append(issue(Stage::Draft, Field::Stream, QStringLiteral("the stream is deleted")));
    if (draft.eventType.trimmed().isEmpty())
        v.issues.append(issue(Stage::Draft, Field::EventType, QStringLiteral("no event type")));
    else if (draft.eventType.startsWith(QLatin1Char('$')))
        v.issues.append(issue(Stage::Draft, Field::EventType,
                              QStringLiteral("types starting with $ are the server's own: choose another")));
    else if (draft.eventType != draft.eventType.trimmed())
        v.issues.append(issue(Stage::Draft, Field::EventType,
                              QStringLiteral("starts or ends with spaces: they would be part of the type")));

    // 2. JSON syntax, at the field and the line and column where it breaks.
    QJsonValue data;
    QJsonValue metadata = QJsonObject();
    const bool dataOk = parseField(draft.data, Field::Data, false, &v, &data);
    bool metadataOk = true;
    if (!draft.customMetadata.trimmed().isEmpty())
        metadataOk = parseField(draft.customMetadata, Field::Metadata, true, &v, &metadata);
    if (!dataOk || !metadataOk)
        return v;

    // 3. Size, as the server counts it (data + metadata bytes), before any call.
    const QString reason = reasonFor(draft);
    const QByteArray dataBytes = draft.data.toUtf8();
    // The anchor is a 64-character hash: count it though it is only known at the append.
    const QByteArray metadataBytes = metadataFor(draft, reason, QByteArray(64, '0'));
    const qint64 size = dataBytes.size() + metadataBytes.size();
    if (size > kMaxEventBytes)
        v.issues.append(issue(Stage::Size, Field::Data,
                              QStringLiteral("the event is %1 bytes (data and metadata), over the server's limit of "
                                             "%2 bytes")
                                  .arg(size)
                                  .arg(kMaxEventBytes)));

    // 4. Metadata keys the Corrector sets itself.
    const QJsonObject custom = metadata.toObject();
    for (const QString &key : correctdetail::reservedMetadataKeys()) {
        if (custom.contains(key))
            v.issues.append(
                issue(Stage::Draft, Field::Metadata,
                      QStringLiteral("\"%1\" is set automatically: remove it from the custom metadata").arg(key)));
    }

    // 5. JSON Schema: the reducer file's, else inferred from the stream's events of the type.
    bool schemaOk = true;
    if (!draft.eventType.isEmpty()) {
        if (const auto schema = target.schemaFor(draft.eventType.toUtf8())) {
            const bool inferred = schema->origin == engine::JsonSchemaOrigin::Inferred;
            v.schemaSource = inferred ? DraftValidation::SchemaSource::Inferred
                                      : DraftValidation::SchemaSource::ReducerFile;
            v.inferredFrom = schema->examples;
            const engine::JsonSchemaResult result = schema->schema.validate(data, schema->origin);
            for (const engine::JsonSchemaIssue &found : result.issues) {
                DraftIssue i = issue(Stage::Schema, Field::Data, found.message,
                                     found.isError() ? Severity::Error : Severity::Warning);
                i.pointer = found.pointer;
                if (inferred && !found.isError())
                    i.message += QStringLiteral(" (not seen in the %1 existing %2 events)")
                                     .arg(schema->examples)
                                     .arg(draft.eventType);
                v.issues.append(i);
            }
            schemaOk = result.isValid();
        }
    }
    if (dry) {
        dry->dataSent = dataBytes;
        dry->metadataSent = metadataBytes;
        dry->before = target.headState();
        dry->after = QJsonValue(QJsonValue::Undefined);
    }
    if (!schemaOk || v.hasErrors())
        return v; // no invariants on data the schema (or the draft) refuses

    // 6. Invariants: the draft folded onto the head, the reducer file's invariants checked.
    if (target.hasReducer()) {
        const RecordedEvent event = correctdetail::eventFor(draft, target, dataBytes, metadataBytes);
        const CorrectionTarget::Applied applied = target.apply(event, dry != nullptr);
        v.folded = true;
        v.invariantsChecked = target.reducerFile() ? int(target.reducerFile()->invariants().size()) : 0;
        for (const engine::FoldError &error : applied.errors)
            v.issues.append(correctdetail::issueFromFoldError(error));
        if (dry) {
            dry->before = applied.before;
            dry->after = applied.after;
        }
        if (changes)
            *changes = applied.changes;
        if (incremental)
            *incremental = applied.incremental;
    }
    return v;
}

DryRun Corrector::dryRun(const EventDraft &draft, CorrectionTarget &target) const
{
    DryRun dry;
    dry.expected = draft.expected.value_or(target.headExpected());
    QList<engine::StateChange> changes;
    bool incremental = false;
    dry.validation = run(draft, target, &dry, &changes, &incremental);
    if (!dry.validation.folded)
        return dry;
    engine::DiffOptions options;
    if (target.reducerFile() && !target.reducerFile()->arrayIdKey().isEmpty())
        options.idKeys = QStringList{target.reducerFile()->arrayIdKey()};
    options.buildTree = false;
    if (!incremental) {
        const engine::DiffResult diff = engine::JsonDiff::diff(dry.before, dry.after, options);
        for (const engine::DiffEntry &entry : diff.entries)
            dry.diff.append(engine::DiffText::line(entry).trimmed());
        return dry;
    }
    // Only the places the fold changed are compared: a big state costs nothing it did not touch.
    QList<engine::DiffEntry> entries;
    for (const engine::StateChange &change : std::as_const(changes)) {
        engine::JsonPath prefix;
        for (const QJsonValue &segment : change.path)
            prefix.push(segment.isString() ? engine::PathSegment::ofKey(segment.toString())
                                           : engine::PathSegment::ofIndex(qsizetype(segment.toInteger())));
        const engine::DiffResult diff = engine::JsonDiff::diff(correctdetail::valueAt(dry.before, change.path),
                                                               change.after, options);
        for (engine::DiffEntry entry : diff.entries) {
            engine::JsonPath path = prefix;
            for (const engine::PathSegment &segment : entry.path.segments())
                path.push(segment);
            engine::JsonPath beforePath = prefix;
            for (const engine::PathSegment &segment : entry.beforePath.segments())
                beforePath.push(segment);
            entry.path = path;
            entry.beforePath = beforePath;
            entries.append(entry);
        }
    }
    std::stable_sort(entries.begin(), entries.end(), [](const engine::DiffEntry &a, const engine::DiffEntry &b) {
        return engine::JsonPath::compare(a.path, b.path) < 0;
    });
    for (const engine::DiffEntry &entry : std::as_const(entries))
        dry.diff.append(engine::DiffText::line(entry).trimmed());
    return dry;
}

} // namespace chronoscope
