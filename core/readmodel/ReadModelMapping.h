#pragma once

#include "readmodel/ReadModelCheckpoint.h"
#include "readmodel/ReadModelValue.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace chronoscope::readmodel {

/// One mapped field: where it sits in the fold's state, where in the read model's row, and how both sides
/// are coerced before they are compared.
struct FieldMap
{
    /// dotted path into the fold's state: "total", "customer.id"; `{id}` and `{stream}` stand for the aggregate
    /// id and its stream ("orders.{stream}.total" is orders["order-42"].total for aggregate 42)
    QString foldPath;
    QString column;   ///< the row's column (PostgreSQL), hash field (Redis) or dotted path into a JSON row
    FieldCoercion coercion;
};

/// How one category's read model is found and read, from the reducer file's "readModels" object
/// (docs/READ-MODELS.md has the format). Parsing refuses unknown keys and names the offending field.
class ReadModelMapping
{
public:
    enum class Backend { PostgreSql, Redis };
    enum class RedisValue { Hash, Json };

    struct ParseError
    {
        QString field; ///< "readModels.orders.fields.total.type"
        QString message;
        QString toString() const { return field.isEmpty() ? message : field + QStringLiteral(": ") + message; }
    };

    /// Every mapping of a reducer file's "readModels" value (an object: name → mapping). Undefined = none.
    static std::optional<QList<ReadModelMapping>> parseAll(const QJsonValue &readModels, ParseError *error);
    /// The mappings of a whole reducer file's JSON text (its "readModels" member).
    static std::optional<QList<ReadModelMapping>> fromReducerFile(const QByteArray &json, ParseError *error);
    static std::optional<ReadModelMapping> parse(const QString &name, const QJsonValue &value, ParseError *error);

    QString name() const { return m_name; }
    QString category() const { return m_category; }
    Backend backend() const { return m_backend; }
    QString endpoint() const { return m_endpoint; }
    QString rowQuery() const { return m_rowQuery; }
    QString scanQuery() const { return m_scanQuery; }
    QString idColumn() const { return m_idColumn; }
    QString keyPattern() const { return m_keyPattern; }
    RedisValue redisValue() const { return m_redisValue; }
    const QList<FieldMap> &fields() const { return m_fields; }
    /// The JavaScript transform `(row) => ({…})` (ReadModelTransform runs it); empty = none.
    QString transformSource() const { return m_transform; }
    /// Where the projector keeps its `$all` checkpoint (the lag probe reads it); not set = none declared.
    const CheckpointSpec &checkpoint() const { return m_checkpoint; }

    /// "order-42" → "42" when the category is "order"; nullopt for other streams.
    std::optional<QString> aggregateIdOf(const QString &streamName) const;
    QString streamOf(const QString &aggregateId) const { return m_category + QLatin1Char('-') + aggregateId; }
    /// Redis: the key of an aggregate ("order-summary:{id}" → "order-summary:42"), the id in a key, and the
    /// SCAN MATCH glob for all keys (the pattern's own glob characters escaped).
    QString keyOf(const QString &aggregateId) const;
    std::optional<QString> aggregateIdOfKey(const QString &key) const;
    QString keyGlob() const;

    /// The read model's row in the fold's shape: each field taken from its column and coerced. Without
    /// fields, the row as it is. A transform, when there is one, runs first (ReadModelTransform::apply). Problems (a
    /// value that does not coerce) are listed, the field left out.
    /// `aggregateId` fills the `{id}` / `{stream}` placeholders of field paths.
    QJsonObject rowShape(const QJsonValue &raw, QStringList *problems = nullptr, const QString &aggregateId = {}) const;
    /// The fold's state cut to the mapped fields and coerced the same way, ready to diff against rowShape().
    QJsonObject foldShape(const QJsonValue &state, QStringList *problems = nullptr,
                          const QString &aggregateId = {}) const;
    /// A field's fold path with its placeholders filled for one aggregate.
    QString foldPathOf(const FieldMap &field, const QString &aggregateId) const;

private:
    QString m_name, m_category, m_endpoint, m_rowQuery, m_scanQuery, m_idColumn = QStringLiteral("id"), m_keyPattern,
                                                                     m_transform;
    Backend m_backend = Backend::PostgreSql;
    RedisValue m_redisValue = RedisValue::Hash;
    QList<FieldMap> m_fields;
    CheckpointSpec m_checkpoint;
};

namespace jsonpath {
/// The value at a dotted path ("a.b.c"), Undefined when any step is missing.
QJsonValue at(const QJsonValue &root, const QString &dotted);
/// Sets the value at a dotted path, creating objects on the way.
void put(QJsonObject &root, const QString &dotted, const QJsonValue &value);
} // namespace jsonpath

} // namespace chronoscope::readmodel
