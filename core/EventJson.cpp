#include "EventJson.h"

#include "engine/PayloadDecoder.h"

#include <QDateTime>
#include <QJsonDocument>

namespace chronoscope {

namespace {
void putPayload(QJsonObject &o, const QString &key, const QByteArray &bytes)
{
    const QString encodingKey = key + QLatin1String("Encoding");
    if (bytes.isEmpty()) {
        o.insert(key, QJsonValue::Null);
        return;
    }
    const engine::DecodedPayload d = engine::PayloadDecoder::decodeJson(bytes);
    if (d.isJson()) {
        o.insert(key, d.json);
        o.insert(encodingKey, QStringLiteral("json"));
    } else if (engine::PayloadDecoder::invalidUtf8Offset(bytes) < 0) {
        o.insert(key, QString::fromUtf8(bytes));
        o.insert(encodingKey, QStringLiteral("utf8"));
    } else {
        o.insert(key, QString::fromLatin1(bytes.toBase64()));
        o.insert(encodingKey, QStringLiteral("base64"));
    }
}
} // namespace

QJsonObject EventJson::toJson(const RecordedEvent &e)
{
    QJsonObject o;
    o.insert(QStringLiteral("streamId"), QString::fromUtf8(e.streamId));
    o.insert(QStringLiteral("eventId"), e.id.toString(QUuid::WithoutBraces));
    o.insert(QStringLiteral("revision"), QString::number(e.revision)); // strings: 64-bit values exceed doubles
    o.insert(QStringLiteral("position"), QJsonObject{{QStringLiteral("commit"), QString::number(e.position.commit)},
                                                     {QStringLiteral("prepare"), QString::number(e.position.prepare)}});
    o.insert(QStringLiteral("eventType"), QString::fromUtf8(e.type));
    o.insert(QStringLiteral("contentType"), QString::fromUtf8(e.contentType));
    o.insert(QStringLiteral("created"),
             QDateTime::fromMSecsSinceEpoch(e.createdMsecsSinceEpoch(), Qt::UTC).toString(Qt::ISODateWithMs));
    putPayload(o, QStringLiteral("data"), e.data);
    putPayload(o, QStringLiteral("metadata"), e.metadata);
    return o;
}

QByteArray EventJson::toText(const RecordedEvent &event)
{
    return QJsonDocument(toJson(event)).toJson(QJsonDocument::Indented);
}

} // namespace chronoscope
