#include "json/SchemaInference.h"

#include <QJsonArray>
#include <QMap>

#include <cmath>

namespace chronoscope::engine {

namespace {

/// Deeper than this, values are not looked into: their schema says nothing (accepts anything).
constexpr int kMaxDepth = 32;

enum TypeBit : unsigned {
    Null = 1u << 0,
    Boolean = 1u << 1,
    Integer = 1u << 2,
    Number = 1u << 3, ///< a number with a fraction (or beyond the exact integer range)
    String = 1u << 4,
    Array = 1u << 5,
    Object = 1u << 6,
};

unsigned typeOf(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return Null;
    case QJsonValue::Bool:
        return Boolean;
    case QJsonValue::Double: {
        const double d = value.toDouble();
        return std::isfinite(d) && d == std::floor(d) && std::fabs(d) <= 9007199254740992.0 ? Integer : Number;
    }
    case QJsonValue::String:
        return String;
    case QJsonValue::Array:
        return Array;
    case QJsonValue::Object:
        return Object;
    case QJsonValue::Undefined:
        break;
    }
    return 0;
}

} // namespace

struct SchemaInference::Node
{
    unsigned types = 0;
    qsizetype objects = 0; ///< objects seen here: a member present in all of them is required
    QMap<QString, std::shared_ptr<Node>> members;
    QMap<QString, qsizetype> presence;
    std::shared_ptr<Node> items; ///< every element of every array seen here

    void add(const QJsonValue &value, int depth)
    {
        const unsigned t = typeOf(value);
        types |= t;
        if (depth >= kMaxDepth)
            return;
        if (t == Object) {
            ++objects;
            const QJsonObject object = value.toObject();
            for (auto it = object.begin(); it != object.end(); ++it) {
                auto &member = members[it.key()];
                if (!member)
                    member = std::make_shared<Node>();
                member->add(it.value(), depth + 1);
                ++presence[it.key()];
            }
        } else if (t == Array) {
            const QJsonArray array = value.toArray();
            if (!items && !array.isEmpty())
                items = std::make_shared<Node>();
            for (const QJsonValue &element : array)
                items->add(element, depth + 1);
        }
    }

    QJsonValue schema() const
    {
        if (types == 0)
            return true;
        QJsonObject out;
        QJsonArray typeNames;
        unsigned shown = types;
        if ((shown & Integer) && (shown & Number))
            shown &= ~Integer; // "number" covers the whole ones too
        const std::pair<unsigned, const char *> names[] = {{Null, "null"},     {Boolean, "boolean"}, {Integer, "integer"},
                                                           {Number, "number"}, {String, "string"},   {Array, "array"},
                                                           {Object, "object"}};
        for (const auto &[bit, name] : names)
            if (shown & bit)
                typeNames.append(QLatin1String(name));
        out.insert(QStringLiteral("type"), typeNames.size() == 1 ? typeNames.first() : QJsonValue(typeNames));
        if (types & Object) {
            QJsonObject properties;
            QJsonArray required;
            for (auto it = members.begin(); it != members.end(); ++it) {
                properties.insert(it.key(), it.value()->schema());
                if (presence.value(it.key()) == objects)
                    required.append(it.key());
            }
            if (!properties.isEmpty())
                out.insert(QStringLiteral("properties"), properties);
            if (!required.isEmpty())
                out.insert(QStringLiteral("required"), required);
        }
        if ((types & Array) && items)
            out.insert(QStringLiteral("items"), items->schema());
        return out;
    }
};

void SchemaInference::add(const QJsonValue &example)
{
    if (!m_root)
        m_root = std::make_shared<Node>();
    m_root->add(example, 0);
    ++m_count;
}

QJsonValue SchemaInference::schema() const
{
    return m_root ? m_root->schema() : QJsonValue(true);
}

} // namespace chronoscope::engine
