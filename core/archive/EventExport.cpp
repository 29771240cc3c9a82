#include "archive/EventExport.h"

#include "payload/PayloadDecoder.h"
#include "timeline/PayloadCache.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace chronoscope {

namespace {

QByteArray jsonString(const QString &text)
{
    // QJsonDocument quotes and escapes; the array brackets come off.
    const QByteArray a = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return a.mid(1, a.size() - 2);
}

/// `"key":value` for a payload, plus its encoding, byte for byte recoverable.
void putPayload(QByteArray &out, const char *key, const QByteArray &bytes)
{
    QByteArray value, encoding;
    const bool oneLine = !bytes.contains('\n') && !bytes.contains('\r');
    if (bytes.isEmpty()) {
        value = "null";
        encoding = "none";
    } else if (oneLine && engine::PayloadDecoder::decodeJson(bytes).isJson()) {
        value = bytes; // verbatim: key order, numbers and duplicates exactly as stored
        encoding = "json";
    } else if (engine::PayloadDecoder::invalidUtf8Offset(bytes) < 0) {
        value = jsonString(QString::fromUtf8(bytes));
        encoding = "utf8";
    } else {
        value = '"' + bytes.toBase64() + '"';
        encoding = "base64";
    }
    out += ",\"" + QByteArray(key) + "\":" + value + ",\"" + QByteArray(key) + "Encoding\":\"" + encoding + '"';
}

QString metadataField(const RecordedEvent &e, const char *key)
{
    const QJsonObject meta = QJsonDocument::fromJson(e.metadata).object();
    return meta.value(QLatin1String(key)).toString();
}

QString createdIso(const RecordedEvent &e)
{
    return QDateTime::fromMSecsSinceEpoch(e.createdMsecsSinceEpoch(), Qt::UTC).toString(Qt::ISODateWithMs);
}

QString payloadText(const QByteArray &bytes)
{
    if (engine::PayloadDecoder::invalidUtf8Offset(bytes) < 0)
        return QString::fromUtf8(bytes);
    return QStringLiteral("base64:") + QString::fromLatin1(bytes.toBase64());
}

/// Feeds `write` the events at `ordinals`, a block at a time. Returns an error, empty on success.
QString forEachEvent(engine::PayloadCache &cache, const QList<quint64> &ordinals, const EventExport::Progress &progress,
                     const std::function<void(const RecordedEvent &)> &write)
{
    const quint64 total = quint64(ordinals.size());
    quint64 done = 0;
    for (const quint64 ordinal : ordinals) {
        const engine::PayloadCache::BlockResult block = cache.blockFor(ordinal);
        if (!block.events)
            return QStringLiteral("event #%1 could not be read: %2").arg(ordinal).arg(block.error);
        write(block.events->at(qsizetype(ordinal - block.first)));
        if (++done % 256 == 0 && progress && !progress(done, total))
            return QStringLiteral("cancelled");
    }
    if (progress)
        progress(done, total);
    return {};
}

QString finish(QSaveFile &file, const QString &error)
{
    if (!error.isEmpty()) {
        file.cancelWriting();
        return error;
    }
    if (!file.commit())
        return QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
    return {};
}

} // namespace

QByteArray EventExport::jsonLine(const RecordedEvent &e)
{
    QByteArray out = "{\"streamId\":" + jsonString(QString::fromUtf8(e.streamId));
    out += ",\"eventId\":\"" + e.id.toByteArray(QUuid::WithoutBraces) + '"';
    // 64-bit numbers as strings: JSON readers hold numbers as doubles.
    out += ",\"revision\":\"" + QByteArray::number(e.revision) + '"';
    out += ",\"position\":{\"commit\":\"" + QByteArray::number(e.position.commit) + "\",\"prepare\":\""
        + QByteArray::number(e.position.prepare) + "\"}";
    out += ",\"eventType\":" + jsonString(QString::fromUtf8(e.type));
    out += ",\"contentType\":" + jsonString(QString::fromUtf8(e.contentType));
    out += ",\"created\":\"" + createdIso(e).toUtf8() + "\",\"createdTicks\":\"" + QByteArray::number(e.createdTicks) + '"';
    putPayload(out, "data", e.data);
    putPayload(out, "metadata", e.metadata);
    return out + '}';
}

QByteArray EventExport::csvHeader()
{
    return "revision,commitPosition,preparePosition,stream,eventId,eventType,createdUtc,sizeBytes,correlationId,"
           "causationId,contentType,data,metadata\r\n";
}

QByteArray EventExport::csvRow(const RecordedEvent &e)
{
    const QByteArrayList cells = {
        QByteArray::number(e.revision),
        QByteArray::number(e.position.commit),
        QByteArray::number(e.position.prepare),
        csvCell(QString::fromUtf8(e.streamId)),
        e.id.toByteArray(QUuid::WithoutBraces),
        csvCell(QString::fromUtf8(e.type)),
        createdIso(e).toUtf8(),
        QByteArray::number(e.data.size() + e.metadata.size()),
        csvCell(metadataField(e, "$correlationId")),
        csvCell(metadataField(e, "$causationId")),
        csvCell(QString::fromUtf8(e.contentType)),
        csvCell(payloadText(e.data)),
        csvCell(payloadText(e.metadata)),
    };
    return cells.join(',') + "\r\n";
}

QString EventExport::write(engine::PayloadCache &events, const QList<quint64> &ordinals, Format format,
                           const QString &path, const Progress &progress)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    if (format == Format::Csv)
        file.write(csvHeader());
    const QString error = forEachEvent(events, ordinals, progress, [&](const RecordedEvent &e) {
        file.write(format == Format::Csv ? csvRow(e) : jsonLine(e) + '\n');
    });
    return finish(file, error);
}

QString EventExport::writeFixture(engine::PayloadCache &events, const QList<quint64> &ordinals, const Fixture &fixture,
                                  const QString &path, const Progress &progress)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    file.write("{\n\"format\": \"chronoscope-fixture/1\",\n\"stream\": " + jsonString(QString::fromUtf8(fixture.stream))
               + ",\n\"reducer\": " + jsonString(fixture.reducer) + ",\n\"events\": [\n");
    bool first = true;
    const QString error = forEachEvent(events, ordinals, progress, [&](const RecordedEvent &e) {
        file.write((first ? QByteArray() : QByteArray(",\n")) + jsonLine(e));
        first = false;
    });
    QByteArray state;
    if (fixture.expectedState.isObject())
        state = QJsonDocument(fixture.expectedState.toObject()).toJson(QJsonDocument::Indented);
    else if (fixture.expectedState.isArray())
        state = QJsonDocument(fixture.expectedState.toArray()).toJson(QJsonDocument::Indented);
    else { // a scalar state: QJsonDocument holds only objects and arrays
        const QByteArray a = QJsonDocument(QJsonArray{fixture.expectedState}).toJson(QJsonDocument::Compact);
        state = a.mid(1, a.size() - 2) + '\n';
    }
    file.write("\n],\n\"expectedState\": " + state + "}\n");
    return finish(file, error);
}

QByteArray EventExport::csvCell(const QString &text, bool isText)
{
    QString t = text;
    if (isText && !t.isEmpty() && QStringLiteral("=+-@\t\r").contains(t.front()))
        t.prepend(QLatin1Char('\''));
    if (t.contains(QLatin1Char(',')) || t.contains(QLatin1Char('"')) || t.contains(QLatin1Char('\n'))
        || t.contains(QLatin1Char('\r'))) {
        t.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        t = QLatin1Char('"') + t + QLatin1Char('"');
    }
    return t.toUtf8();
}

} // namespace chronoscope
