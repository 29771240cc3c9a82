#include "correct/EventDraft.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace chronoscope {

namespace {

const QLatin1String kFormat("chronoscope-draft");

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

QString timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonValue expectedJson(const std::optional<ExpectedState> &expected)
{
    if (!expected)
        return QJsonValue::Null;
    if (expected->kind == ExpectedState::Kind::Revision)
        return QJsonValue(qint64(expected->revision));
    return expected->toString(); // "no_stream" (isPinned() keeps the others out of a saved draft)
}

/// The stored expected revision; `error` set when it is neither null, a revision nor "no_stream".
std::optional<ExpectedState> expectedFromJson(const QJsonValue &v, QString *error)
{
    if (v.isNull() || v.isUndefined())
        return std::nullopt;
    if (v.isString() && v.toString() == QLatin1String("no_stream"))
        return ExpectedState::noStream();
    if (v.isDouble()) {
        const qint64 r = v.toInteger(-1);
        if (r >= 0 && double(r) == v.toDouble())
            return ExpectedState::at(quint64(r));
    }
    *error = QStringLiteral("expectedRevision must be a revision number, \"no_stream\" or null");
    return std::nullopt;
}

/// The corrected event's custom metadata without the `$` keys, which the Corrector adds itself.
QString templateMetadata(const QByteArray &metadata)
{
    const QJsonDocument doc = QJsonDocument::fromJson(metadata);
    if (!doc.isObject())
        return {};
    QJsonObject custom = doc.object();
    const QStringList keys = custom.keys();
    for (const QString &key : keys) {
        if (key.startsWith(QLatin1Char('$')))
            custom.remove(key);
    }
    return custom.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(custom).toJson(QJsonDocument::Indented));
}

} // namespace

EventDraft EventDraft::create(const QString &stream, std::optional<ExpectedState> expected)
{
    EventDraft d;
    d.draftId = QUuid::createUuid();
    d.eventId = QUuid::createUuid();
    d.stream = stream;
    d.expected = expected;
    d.created = QDateTime::currentDateTimeUtc();
    d.modified = d.created;
    return d;
}

EventDraft EventDraft::likeEvent(const RecordedEvent &corrected, std::optional<ExpectedState> inspected)
{
    EventDraft d = create(QString::fromUtf8(corrected.streamId), inspected);
    d.eventType = QString::fromUtf8(corrected.type);
    // A binary payload is no template for a JSON event: start from nothing rather than from mojibake.
    if (corrected.isJson())
        d.data = QString::fromUtf8(corrected.data);
    d.customMetadata = templateMetadata(corrected.metadata);
    d.correctsEventId = corrected.id;
    // The usual convention: a message without a correlation id starts its own conversation, so the
    // correction joins the conversation the corrected event started.
    const QJsonObject meta = QJsonDocument::fromJson(corrected.metadata).object();
    d.correlationId = meta.value(QLatin1String("$correlationId")).toString();
    if (d.correlationId.isEmpty())
        d.correlationId = uuidText(corrected.id);
    return d;
}

bool EventDraft::isPinned(const ExpectedState &expected)
{
    return expected.kind == ExpectedState::Kind::Revision || expected.kind == ExpectedState::Kind::NoStream;
}

QString EventDraft::appendBlocker() const
{
    if (eventId.isNull())
        return QStringLiteral("the draft has no event id");
    if (stream.isEmpty())
        return QStringLiteral("no target stream");
    if (!expected)
        return QStringLiteral(
            "no expected revision: inspect the stream first, so the correction is pinned to what you saw");
    if (!isPinned(*expected))
        return QStringLiteral("expected revision \"%1\" is not pinned: a correction needs the revision you inspected")
            .arg(expected->toString());
    if (eventType.isEmpty())
        return QStringLiteral("no event type");
    return {};
}

void EventDraft::touch()
{
    modified = QDateTime::currentDateTimeUtc();
}

QByteArray EventDraft::toJson() const
{
    QJsonObject o;
    o.insert(QLatin1String("format"), kFormat);
    o.insert(QLatin1String("formatVersion"), kFormatVersion);
    o.insert(QLatin1String("draftId"), uuidText(draftId));
    o.insert(QLatin1String("eventId"), uuidText(eventId));
    o.insert(QLatin1String("stream"), stream);
    o.insert(QLatin1String("expectedRevision"), expectedJson(expected));
    o.insert(QLatin1String("eventType"), eventType);
    o.insert(QLatin1String("data"), data);
    o.insert(QLatin1String("customMetadata"), customMetadata);
    o.insert(QLatin1String("correctsEventId"),
             correctsEventId.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(uuidText(correctsEventId)));
    o.insert(QLatin1String("correlationId"), correlationId);
    o.insert(QLatin1String("reason"), reason);
    o.insert(QLatin1String("created"), timeText(created));
    o.insert(QLatin1String("modified"), timeText(modified));
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

ParsedEventDraft EventDraft::fromJson(const QByteArray &json)
{
    ParsedEventDraft p;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        p.error = QStringLiteral("not JSON at byte %1: %2").arg(parseError.offset).arg(parseError.errorString());
        return p;
    }
    if (!doc.isObject() || doc.object().value(QLatin1String("format")).toString() != kFormat) {
        p.error = QStringLiteral("not a Chronoscope draft (format \"%1\")").arg(kFormat);
        return p;
    }
    const QJsonObject o = doc.object();
    const int version = o.value(QLatin1String("formatVersion")).toInt(0);
    if (version < 1 || version > kFormatVersion) {
        p.error = QStringLiteral("draft format version %1 is not one this Chronoscope reads (1 to %2)")
                      .arg(o.value(QLatin1String("formatVersion")).toVariant().toString())
                      .arg(kFormatVersion);
        return p;
    }
    auto text = [&o](const char *key) { return o.value(QLatin1String(key)).toString(); };
    auto requiredId = [&](const char *key, QUuid *id) {
        *id = QUuid::fromString(text(key));
        if (id->isNull() && p.error.isEmpty())
            p.error = QStringLiteral("%1 is missing or not a UUID").arg(QLatin1String(key));
    };
    EventDraft &d = p.draft;
    requiredId("draftId", &d.draftId);
    requiredId("eventId", &d.eventId);
    d.stream = text("stream");
    QString expectedError;
    d.expected = expectedFromJson(o.value(QLatin1String("expectedRevision")), &expectedError);
    if (!expectedError.isEmpty() && p.error.isEmpty())
        p.error = expectedError;
    d.eventType = text("eventType");
    d.data = text("data");
    d.customMetadata = text("customMetadata");
    const QJsonValue corrects = o.value(QLatin1String("correctsEventId"));
    if (!corrects.isNull() && !corrects.isUndefined()) {
        d.correctsEventId = QUuid::fromString(corrects.toString());
        if (d.correctsEventId.isNull() && p.error.isEmpty())
            p.error = QStringLiteral("correctsEventId is not a UUID");
    }
    d.correlationId = text("correlationId");
    d.reason = text("reason");
    d.created = QDateTime::fromString(text("created"), Qt::ISODateWithMs);
    d.modified = QDateTime::fromString(text("modified"), Qt::ISODateWithMs);
    for (const char *key : {"stream", "eventType", "data", "customMetadata", "correlationId", "reason"}) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isString() && p.error.isEmpty())
            p.error = QStringLiteral("%1 is missing or not text").arg(QLatin1String(key));
    }
    return p;
}

bool operator==(const EventDraft &a, const EventDraft &b)
{
    return a.draftId == b.draftId && a.eventId == b.eventId && a.stream == b.stream && a.expected == b.expected
        && a.eventType == b.eventType && a.data == b.data && a.customMetadata == b.customMetadata
        && a.correctsEventId == b.correctsEventId && a.correlationId == b.correlationId && a.reason == b.reason
        && a.created == b.created && a.modified == b.modified;
}

} // namespace chronoscope
