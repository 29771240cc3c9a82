#include "payload/EventJson.h"

#include "payload/PayloadDecoder.h"

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

QJsonObject EventJson::toJson(const RecordedEvent &event, const PayloadView &view)
{
    QJsonObject o = toJson(event);
    const QString data = QStringLiteral("data");
    const QString encoding = QStringLiteral("dataEncoding");
    // Text of the raw bytes, or the JSON decoder reading them: nothing is lost without a raw copy.
    // Anything else that gives JSON (protobuf's wire bytes, base64) keeps the raw bytes beside it.
    const bool rawIsDecoded =
        view.bytes == event.data && (view.kind == PayloadView::Kind::Text || view.decoder == QLatin1String("json"));
    switch (view.kind) {
    case PayloadView::Kind::Json:
        o.insert(data, view.json);
        o.insert(encoding, QStringLiteral("json"));
        break;
    case PayloadView::Kind::Text:
        o.insert(data, QString::fromUtf8(view.bytes));
        o.insert(encoding, QStringLiteral("utf8"));
        break;
    case PayloadView::Kind::Binary:
        o.insert(data, QString::fromLatin1(event.data.toBase64()));
        o.insert(encoding, QStringLiteral("base64"));
        return o;
    }
    if (!rawIsDecoded) {
        o.insert(QStringLiteral("dataDecoder"), view.decoder);
        if (!view.message.isEmpty())
            o.insert(QStringLiteral("dataDecoderNote"), view.message);
        o.insert(QStringLiteral("dataRawBase64"), QString::fromLatin1(event.data.toBase64()));
    }
    return o;
}

QByteArray EventJson::toText(const RecordedEvent &event, const PayloadView &dataView)
{
    return QJsonDocument(toJson(event, dataView)).toJson(QJsonDocument::Indented);
}

} // namespace chronoscope
