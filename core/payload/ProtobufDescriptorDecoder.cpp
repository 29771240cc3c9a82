#include "payload/ProtobufDescriptorDecoder.h"

#include "payload/PayloadDecoder.h"
#include "payload/ProtobufSchema.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QMutexLocker>

namespace chronoscope {

namespace {

QString tr(const char *s) { return QCoreApplication::translate("ProtobufDescriptorDecoder", s); }

/// EventStoreDB only knows JSON and octet-stream; some writers still name protobuf.
bool isBinaryContentType(const QByteArray &contentType)
{
    const QByteArray t = contentType.trimmed().toLower();
    return t.startsWith("application/octet-stream") || t.contains("protobuf");
}

} // namespace

/// What one decode works with, copied under the lock so a concurrent load changes nothing midway.
struct ProtobufDescriptorDecoder::Snapshot
{
    std::shared_ptr<const ProtobufSchema> schema;
    QString source;
    QString messageType;
    QHash<QString, QString> mapping;

    QString resolve(const QByteArray &eventType, QString *problem) const
    {
        auto none = [problem](const QString &why) {
            if (problem)
                *problem = why;
            return QString();
        };
        if (!schema)
            return none(tr("No protobuf descriptor set is loaded."));
        const QString type = QString::fromUtf8(eventType);
        if (!messageType.isEmpty())
            return schema->contains(messageType)
                ? messageType
                : none(tr("%1 does not define the message type %2.").arg(source, messageType));
        const auto mapped = mapping.constFind(type);
        if (mapped != mapping.constEnd())
            return schema->contains(*mapped)
                ? *mapped
                : none(tr("Event type %1 is mapped to %2, which %3 does not define.").arg(type, *mapped, source));
        if (!type.isEmpty() && schema->contains(type))
            return type;
        const QStringList named = type.isEmpty() ? QStringList() : schema->named(type);
        if (named.size() == 1)
            return named.first();
        if (named.size() > 1)
            return none(tr("Several messages in %1 are named %2 (%3): map the event type to one.")
                            .arg(source, type, named.join(QStringLiteral(", "))));
        return none(tr("No message in %1 is named after the event type %2: choose its message type.").arg(source, type));
    }
};

ProtobufDescriptorDecoder::ProtobufDescriptorDecoder() = default;
ProtobufDescriptorDecoder::~ProtobufDescriptorDecoder() = default;

ProtobufDescriptorDecoder::Snapshot ProtobufDescriptorDecoder::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    return {m_schema, m_sourceName, m_messageType, m_mapping};
}

QString ProtobufDescriptorDecoder::loadFile(const QString &path)
{
    const QFileInfo info(path);
    const QString name = info.fileName();
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return tr("Could not open the descriptor set %1: %2").arg(path, path.isEmpty() ? tr("no file given") : file.errorString());
    // Read with a cap rather than trusting size(): a device or a pipe says 0 and never ends.
    const QByteArray bytes = file.read(kMaxFileBytes + 1);
    if (file.error() != QFileDevice::NoError)
        return tr("Could not read %1: %2").arg(name, file.errorString());
    if (bytes.size() > kMaxFileBytes)
        return tr("%1 is too large for a descriptor set (over %2).").arg(name, QLocale().formattedDataSize(kMaxFileBytes));
    return load(bytes, name);
}

QString ProtobufDescriptorDecoder::load(const QByteArray &descriptorSet, const QString &sourceName)
{
    QString error;
    std::shared_ptr<const ProtobufSchema> schema = ProtobufSchema::load(descriptorSet, &error);
    if (!schema)
        return tr("%1: %2").arg(sourceName, error);
    QMutexLocker lock(&m_mutex);
    m_schema = std::move(schema);
    m_sourceName = sourceName;
    return {};
}

void ProtobufDescriptorDecoder::unload()
{
    QMutexLocker lock(&m_mutex);
    m_schema.reset();
    m_sourceName.clear();
}

bool ProtobufDescriptorDecoder::isLoaded() const
{
    QMutexLocker lock(&m_mutex);
    return m_schema != nullptr;
}

QString ProtobufDescriptorDecoder::sourceName() const
{
    QMutexLocker lock(&m_mutex);
    return m_sourceName;
}

QStringList ProtobufDescriptorDecoder::messageTypes() const
{
    const Snapshot s = snapshot();
    return s.schema ? s.schema->messageTypes() : QStringList();
}

void ProtobufDescriptorDecoder::setMessageType(const QString &fullName)
{
    QMutexLocker lock(&m_mutex);
    m_messageType = fullName;
}

QString ProtobufDescriptorDecoder::messageType() const
{
    QMutexLocker lock(&m_mutex);
    return m_messageType;
}

void ProtobufDescriptorDecoder::setTypeMapping(const QHash<QString, QString> &eventTypeToMessage)
{
    QMutexLocker lock(&m_mutex);
    m_mapping = eventTypeToMessage;
}

QHash<QString, QString> ProtobufDescriptorDecoder::typeMapping() const
{
    QMutexLocker lock(&m_mutex);
    return m_mapping;
}

QString ProtobufDescriptorDecoder::messageTypeFor(const QByteArray &eventType, QString *problem) const
{
    return snapshot().resolve(eventType, problem);
}

QString ProtobufDescriptorDecoder::name() const
{
    const QString source = sourceName();
    return source.isEmpty() ? tr("Protobuf") : tr("Protobuf (%1)").arg(source);
}

int ProtobufDescriptorDecoder::score(const QByteArray &bytes, const QByteArray &contentType,
                                     const QByteArray &eventType) const
{
    if (bytes.isEmpty() || !isBinaryContentType(contentType))
        return 0;
    const Snapshot s = snapshot();
    const QString type = s.resolve(eventType, nullptr);
    if (type.isEmpty())
        return 0;
    const ProtobufSchema::Parsed parsed = s.schema->parse(type, bytes, ProtobufSchema::Output::CheckOnly);
    if (!parsed.ok)
        return 0;
    return parsed.unknownFields ? kScoreExtraFields : kScore;
}

PayloadView ProtobufDescriptorDecoder::decode(const QByteArray &bytes, const QByteArray &,
                                              const QByteArray &eventType) const
{
    try {
        if (bytes.isEmpty())
            return PayloadView::binary(bytes, id(), tr("Empty payload: nothing to decode as protobuf."));
        const Snapshot s = snapshot();
        QString problem;
        const QString type = s.resolve(eventType, &problem);
        if (type.isEmpty())
            return PayloadView::binary(bytes, id(), problem + tr(" Shown as bytes."));
        const ProtobufSchema::Parsed parsed = s.schema->parse(type, bytes, ProtobufSchema::Output::Json);
        if (!parsed.ok)
            return PayloadView::binary(bytes, id(), parsed.error + tr(": shown as bytes."));
        // Well-known types map to scalars ("2024-01-01T00:00:00Z" for a Timestamp), which
        // QJsonDocument refuses at the top level; the payload decoder takes any value.
        const engine::DecodedPayload json = engine::PayloadDecoder::decodeJson(parsed.json);
        if (!json.isJson())
            return PayloadView::binary(bytes, id(), tr("%1 gave unreadable JSON: %2").arg(type, json.message));
        PayloadView v;
        v.kind = PayloadView::Kind::Json;
        v.json = json.json;
        v.bytes = bytes; // the hex view keeps showing the wire bytes
        v.jsonText = parsed.json;
        v.decoder = id();
        v.message = tr("Protobuf %1 (%2 bytes)").arg(type).arg(bytes.size());
        if (parsed.unknownFields)
            v.message += tr("; it also has fields %1 does not define, not shown").arg(s.source);
        return v;
    } catch (const std::exception &e) {
        return PayloadView::binary(bytes, id(), tr("Could not decode as protobuf: %1").arg(QString::fromLocal8Bit(e.what())));
    }
}

} // namespace chronoscope
