#pragma once

#include "payload/PayloadViewDecoder.h"

#include <QHash>
#include <QMutex>
#include <QStringList>

#include <memory>

namespace chronoscope {

class ProtobufSchema;

/// Reads binary payloads as protobuf messages described by a user's descriptor set (F4): the
/// output of `protoc --descriptor_set_out=FILE --include_imports`. The payload becomes the
/// message's proto3 JSON (field names as in the .proto, zeros included).
///
/// The message type of an event is, in this order: the explicit setMessageType(); the event
/// type's entry in setTypeMapping(); the message whose full name is the event type; the one
/// top-level message whose name without its package is the event type.
///
/// Thread-safe: the inspector decodes on worker threads while the GUI loads another set.
class ProtobufDescriptorDecoder final : public PayloadViewDecoder
{
public:
    ProtobufDescriptorDecoder();
    ~ProtobufDescriptorDecoder() override;

    /// Loads the descriptor set in `path`. Returns why it failed (the set loaded before stays),
    /// or an empty string.
    QString loadFile(const QString &path);
    /// Loads a serialized FileDescriptorSet; `sourceName` is shown in name() ("Protobuf (x)").
    QString load(const QByteArray &descriptorSet, const QString &sourceName);
    void unload();
    bool isLoaded() const;
    /// The loaded file's name (no directory), empty when none is loaded.
    QString sourceName() const;
    /// The loaded set's top-level message types by full name, sorted.
    QStringList messageTypes() const;

    /// Every payload decodes as `fullName`; empty: chosen by event type.
    void setMessageType(const QString &fullName);
    QString messageType() const;
    /// Event type → message full name, for event types that do not name their message.
    void setTypeMapping(const QHash<QString, QString> &eventTypeToMessage);
    QHash<QString, QString> typeMapping() const;
    /// The message type `eventType` decodes as, or empty with `*problem` saying why.
    QString messageTypeFor(const QByteArray &eventType, QString *problem = nullptr) const;

    QString id() const override { return QStringLiteral("protobuf"); }
    QString name() const override;
    /// kScore for a binary payload whose bytes are exactly its type's message, kScoreExtraFields
    /// when they also carry fields the set does not define; 0 otherwise.
    int score(const QByteArray &bytes, const QByteArray &contentType, const QByteArray &eventType) const override;
    PayloadView decode(const QByteArray &bytes, const QByteArray &contentType, const QByteArray &eventType) const override;

    /// Above JSON guessed from bytes (90): protobuf bytes only parse by accident as JSON.
    static constexpr int kScore = 95;
    /// Above text and base64 guesses: a newer producer may add fields, still worth showing.
    static constexpr int kScoreExtraFields = 70;
    /// Descriptor sets larger than this are refused (they are kilobytes in practice).
    static constexpr qint64 kMaxFileBytes = 64 * 1024 * 1024;

private:
    struct Snapshot;
    Snapshot snapshot() const;

    mutable QMutex m_mutex;
    std::shared_ptr<const ProtobufSchema> m_schema;
    QString m_sourceName;
    QString m_messageType;
    QHash<QString, QString> m_mapping;
};

} // namespace chronoscope
