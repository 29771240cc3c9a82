#pragma once

// A user's protobuf schema for the inspector's protobuf decoder. Protobuf's own types are kept in
// the .cpp: including this pulls in no protobuf header.

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

namespace chronoscope {

/// A FileDescriptorSet (`protoc --descriptor_set_out=FILE --include_imports`) built into a
/// descriptor pool, with a dynamic-message factory for its types. Immutable once loaded, so
/// decoders on several threads share one (the pool's lookups and the factory are thread-safe).
class ProtobufSchema
{
public:
    ~ProtobufSchema();
    ProtobufSchema(const ProtobufSchema &) = delete;
    ProtobufSchema &operator=(const ProtobufSchema &) = delete;

    /// Builds a schema from a serialized FileDescriptorSet, or returns null with `*error` saying
    /// why. Imports missing from the set are taken from protobuf's well-known types when they are
    /// one of those. Never throws.
    static std::shared_ptr<const ProtobufSchema> load(const QByteArray &descriptorSet, QString *error);

    /// Top-level message types by full name ("payments.v1.PaymentProcessed"), sorted.
    const QStringList &messageTypes() const { return m_messageTypes; }
    /// Whether `fullName` is a message type of the schema (nested ones included).
    bool contains(const QString &fullName) const;
    /// Top-level message types whose name without the package is `simpleName`.
    QStringList named(const QString &simpleName) const;

    /// The result of reading bytes as a message type.
    struct Parsed
    {
        bool ok = false;
        bool unknownFields = false; ///< the bytes carry fields the schema does not define
        QByteArray json;            ///< proto3 JSON mapping, field names as in the .proto (when asked)
        QString error;              ///< why not ok
    };
    enum class Output { CheckOnly, Json };
    /// Parses `bytes` as `messageType`; never throws.
    Parsed parse(const QString &messageType, const QByteArray &bytes, Output output) const;

private:
    ProtobufSchema();
    struct Impl;
    std::unique_ptr<Impl> d;
    QStringList m_messageTypes;
};

} // namespace chronoscope
