#include "script/ReducerTemplate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace chronoscope::engine {

namespace {

const QLatin1String kOpen("${");

/// A placeholder taken apart: its root ("data", "metadata", "eventId", "streamId", "revision") and,
/// for data and metadata, the path below it.
struct Placeholder
{
    QString root;
    QStringList path;
};

std::optional<Placeholder> parsePlaceholder(const QString &text)
{
    if (!text.startsWith(kOpen) || !text.endsWith(QLatin1Char('}')) || text.size() < 4)
        return std::nullopt;
    const QString inner = text.mid(2, text.size() - 3);
    if (inner == QLatin1String("eventId") || inner == QLatin1String("streamId") || inner == QLatin1String("revision"))
        return Placeholder{inner, {}};
    QStringList parts = inner.split(QLatin1Char('.'));
    const QString root = parts.takeFirst();
    if (root != QLatin1String("data") && root != QLatin1String("metadata"))
        return std::nullopt;
    for (const QString &part : std::as_const(parts)) {
        if (part.isEmpty() || part.contains(QLatin1Char('{')) || part.contains(QLatin1Char('}')))
            return std::nullopt;
    }
    return Placeholder{root, parts};
}

QString pointerChild(const QString &pointer, const QString &key)
{
    QString escaped = key;
    escaped.replace(QLatin1Char('~'), QLatin1String("~0")).replace(QLatin1Char('/'), QLatin1String("~1"));
    return pointer + QLatin1Char('/') + escaped;
}

/// The first string under `value` that holds "${" without being a placeholder: its pointer and text.
bool findBadPlaceholder(const QJsonValue &value, const QString &pointer, QString *where, QString *text)
{
    if (value.isString()) {
        const QString s = value.toString();
        if (s.contains(kOpen) && !parsePlaceholder(s)) {
            *where = pointer;
            *text = s;
            return true;
        }
    } else if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (findBadPlaceholder(it.value(), pointerChild(pointer, it.key()), where, text))
                return true;
        }
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (findBadPlaceholder(a.at(i), pointer + QLatin1Char('/') + QString::number(i), where, text))
                return true;
        }
    }
    return false;
}

/// A document of the source event (its data or metadata) as a JSON value; undefined when it is not JSON.
QJsonValue parseDocument(const QByteArray &bytes)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + bytes + ']', &pe);
    if (pe.error != QJsonParseError::NoError || bytes.trimmed().isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    return doc.array().at(0);
}

std::optional<QJsonValue> resolve(const Placeholder &p, const RecordedEvent &source)
{
    if (p.root == QLatin1String("eventId"))
        return QJsonValue(source.id.toString(QUuid::WithoutBraces));
    if (p.root == QLatin1String("streamId"))
        return QJsonValue(QString::fromUtf8(source.streamId));
    if (p.root == QLatin1String("revision"))
        return QJsonValue(qint64(source.revision));
    if (p.root == QLatin1String("data") && !source.isJson())
        return std::nullopt;
    QJsonValue at = parseDocument(p.root == QLatin1String("data") ? source.data : source.metadata);
    for (const QString &key : p.path) {
        if (at.isObject()) {
            const QJsonObject o = at.toObject();
            if (!o.contains(key))
                return std::nullopt;
            at = o.value(key);
        } else if (at.isArray()) {
            bool ok = false;
            const int index = key.toInt(&ok);
            const QJsonArray a = at.toArray();
            if (!ok || index < 0 || index >= a.size())
                return std::nullopt;
            at = a.at(index);
        } else {
            return std::nullopt;
        }
    }
    if (at.isUndefined())
        return std::nullopt;
    return at;
}

QJsonValue substituteAt(const QJsonValue &value, const QString &pointer, const RecordedEvent *source,
                        QStringList *missing)
{
    if (value.isString()) {
        const std::optional<Placeholder> p = parsePlaceholder(value.toString());
        if (!p)
            return value;
        const std::optional<QJsonValue> found = source ? resolve(*p, *source) : std::nullopt;
        if (found)
            return *found;
        if (missing)
            missing->append(
                (pointer.isEmpty() ? QStringLiteral("(root)") : pointer) + QStringLiteral(": ") + value.toString()
                + (source ? QStringLiteral(" (not in the source event)") : QStringLiteral(" (no source event)")));
        return QJsonValue(QJsonValue::Null);
    }
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            it.value() = substituteAt(it.value(), pointerChild(pointer, it.key()), source, missing);
        return o;
    }
    if (value.isArray()) {
        QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            a[i] = substituteAt(a.at(i), pointer + QLatin1Char('/') + QString::number(i), source, missing);
        return a;
    }
    return value;
}

} // namespace

bool ReducerTemplate::appliesToSource(const QByteArray &sourceType) const
{
    return from.isEmpty() || from.contains(sourceType);
}

bool ReducerTemplate::isPlaceholder(const QString &text)
{
    return parsePlaceholder(text).has_value();
}

QJsonValue ReducerTemplate::substitute(const QJsonValue &value, const RecordedEvent *source, QStringList *missing)
{
    return substituteAt(value, QString(), source, missing);
}

std::optional<QList<ReducerTemplate>> ReducerTemplate::parseAll(const QJsonValue &templates, QString *field,
                                                                QString *message)
{
    auto fail = [&](const QString &f, const QString &m) -> std::optional<QList<ReducerTemplate>> {
        *field = f;
        *message = m;
        return std::nullopt;
    };
    QList<ReducerTemplate> out;
    if (templates.isUndefined())
        return out;
    if (!templates.isArray())
        return fail(QStringLiteral("templates"), QStringLiteral("must be an array"));
    const QJsonArray list = templates.toArray();
    QSet<QString> names;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString at = QStringLiteral("templates[%1]").arg(i);
        if (!list.at(i).isObject())
            return fail(at, QStringLiteral("must be an object"));
        const QJsonObject o = list.at(i).toObject();
        static const QSet<QString> known{QStringLiteral("name"), QStringLiteral("eventType"),
                                         QStringLiteral("from"), QStringLiteral("description"),
                                         QStringLiteral("data"), QStringLiteral("metadata")};
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!known.contains(it.key()))
                return fail(at + QLatin1Char('.') + it.key(), QStringLiteral("unknown field"));
        }
        ReducerTemplate t;
        t.name = o.value(QLatin1String("name")).toString().trimmed();
        if (t.name.isEmpty())
            return fail(at + QStringLiteral(".name"), QStringLiteral("missing or not a non-empty string"));
        if (names.contains(t.name))
            return fail(at + QStringLiteral(".name"), QStringLiteral("\"%1\" names another template too").arg(t.name));
        names.insert(t.name);
        t.eventType = o.value(QLatin1String("eventType")).toString().toUtf8();
        if (t.eventType.trimmed().isEmpty())
            return fail(at + QStringLiteral(".eventType"), QStringLiteral("missing or not a non-empty string"));
        if (t.eventType.startsWith('$'))
            return fail(at + QStringLiteral(".eventType"),
                        QStringLiteral("types starting with $ are the server's own: a correction cannot be one"));
        const QJsonValue description = o.value(QLatin1String("description"));
        if (!description.isUndefined() && !description.isString())
            return fail(at + QStringLiteral(".description"), QStringLiteral("must be a string"));
        t.description = description.toString();
        const QJsonValue from = o.value(QLatin1String("from"));
        if (from.isString()) {
            t.from.append(from.toString().toUtf8());
        } else if (from.isArray()) {
            for (const QJsonValue &type : from.toArray()) {
                if (!type.isString() || type.toString().isEmpty())
                    return fail(at + QStringLiteral(".from"),
                                QStringLiteral("every event type must be a non-empty string"));
                t.from.append(type.toString().toUtf8());
            }
        } else if (!from.isUndefined()) {
            return fail(at + QStringLiteral(".from"), QStringLiteral("must be an event type or an array of them"));
        }
        for (const char *key : {"data", "metadata"}) {
            const QString name = QLatin1String(key);
            const QJsonValue v = o.value(name);
            if (v.isUndefined())
                continue;
            if (!v.isObject())
                return fail(at + QLatin1Char('.') + name, QStringLiteral("must be an object"));
            QString where, text;
            if (findBadPlaceholder(v, QString(), &where, &text))
                return fail(at + QLatin1Char('.') + name,
                            QStringLiteral("%1: \"%2\" is not a placeholder (a placeholder is the whole string: "
                                           "${data.…}, ${metadata.…}, ${eventId}, ${streamId} or ${revision})")
                                .arg(where.isEmpty() ? QStringLiteral("(root)") : where, text));
            if (name == QLatin1String("metadata")) {
                const QStringList keys = v.toObject().keys();
                for (const QString &k : keys) {
                    if (k.startsWith(QLatin1Char('$')))
                        return fail(at + QStringLiteral(".metadata"),
                                    QStringLiteral(
                                        "/%1: `$` keys are set by Chronoscope ($correlationId, $causationId)")
                                        .arg(k));
                }
                t.metadata = v;
            } else {
                t.data = v;
            }
        }
        out.append(t);
    }
    return out;
}

} // namespace chronoscope::engine
