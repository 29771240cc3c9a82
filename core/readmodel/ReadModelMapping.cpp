#include "readmodel/ReadModelMapping.h"

#include "readmodel/ReadModelTransform.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace chronoscope::readmodel {

namespace {

const QString kIdPlaceholder = QStringLiteral("{id}");

bool failed(ReadModelMapping::ParseError *error, const QString &field, const QString &message)
{
    if (error)
        *error = ReadModelMapping::ParseError{field, message};
    return false;
}

/// A string, or an array of lines joined with newlines (as script fields are in reducer files).
bool text(const QJsonObject &o, const QString &key, const QString &field, QString *out,
          ReadModelMapping::ParseError *error, bool required)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) {
        return required ? failed(error, field, QStringLiteral("missing")) : true;
    }
    if (v.isArray()) {
        QStringList lines;
        for (const QJsonValue &line : v.toArray()) {
            if (!line.isString())
                return failed(error, field, QStringLiteral("every line must be a string"));
            lines.append(line.toString());
        }
        *out = lines.join(QLatin1Char('\n'));
    } else if (v.isString()) {
        *out = v.toString();
    } else {
        return failed(error, field, QStringLiteral("must be a string or an array of lines"));
    }
    if (out->trimmed().isEmpty())
        return failed(error, field, QStringLiteral("is empty"));
    return true;
}

bool onlyKeys(const QJsonObject &o, const QStringList &allowed, const QString &where,
              ReadModelMapping::ParseError *error)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!allowed.contains(it.key()))
            return failed(error, where + QLatin1Char('.') + it.key(),
                          QStringLiteral("unknown key (expected one of %1)").arg(allowed.join(QStringLiteral(", "))));
    }
    return true;
}

bool parseField(const QString &path, const QJsonValue &v, const QString &where, FieldMap *out,
                ReadModelMapping::ParseError *error)
{
    out->foldPath = path;
    if (path.isEmpty() || path.startsWith(QLatin1Char('.')) || path.endsWith(QLatin1Char('.'))
        || path.contains(QStringLiteral("..")))
        return failed(error, where, QStringLiteral("not a dotted path into the state"));
    if (v.isString()) {
        out->column = v.toString();
        return !out->column.isEmpty() || failed(error, where, QStringLiteral("names no column"));
    }
    if (!v.isObject())
        return failed(error, where,
                      QStringLiteral("must be a column name or an object {\"column\", \"type\", \"null\", \"zone\"}"));
    const QJsonObject o = v.toObject();
    if (!onlyKeys(o, {QStringLiteral("column"), QStringLiteral("type"), QStringLiteral("null"), QStringLiteral("zone")},
                  where, error))
        return false;
    out->column = o.value(QLatin1String("column")).toString(path);
    if (out->column.isEmpty())
        return failed(error, where + QStringLiteral(".column"), QStringLiteral("must be a non-empty string"));
    if (o.contains(QLatin1String("type"))) {
        const std::optional<FieldType> type = value::typeFromName(o.value(QLatin1String("type")).toString());
        if (!type)
            return failed(
                error, where + QStringLiteral(".type"),
                QStringLiteral("unknown type %1 (expected one of %2)")
                    .arg(QString::fromUtf8(
                             QJsonDocument(QJsonArray{o.value(QLatin1String("type"))}).toJson(QJsonDocument::Compact))
                             .mid(1)
                             .chopped(1),
                         value::typeNames()));
        out->coercion.type = *type;
    }
    const QString null = o.value(QLatin1String("null")).toString(QStringLiteral("null"));
    if (null != QLatin1String("null") && null != QLatin1String("missing"))
        return failed(error, where + QStringLiteral(".null"),
                      QStringLiteral("must be \"null\" (NULL is a null value) or \"missing\" (NULL is no value)"));
    out->coercion.nullIsMissing = null == QLatin1String("missing");
    const QString zone = o.value(QLatin1String("zone")).toString(QStringLiteral("none"));
    if (zone != QLatin1String("none") && zone != QLatin1String("UTC"))
        return failed(error, where + QStringLiteral(".zone"),
                      QStringLiteral("must be \"UTC\" (zone-less timestamps are UTC) or \"none\""));
    if (zone == QLatin1String("UTC") && out->coercion.type != FieldType::Timestamp)
        return failed(error, where + QStringLiteral(".zone"), QStringLiteral("only a \"timestamp\" field has a zone"));
    out->coercion.naiveIsUtc = zone == QLatin1String("UTC");
    return true;
}

} // namespace

std::optional<QList<ReadModelMapping>> ReadModelMapping::fromReducerFile(const QByteArray &json, ParseError *error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject()) {
        failed(error, {},
               pe.error != QJsonParseError::NoError ? QStringLiteral("not valid JSON: ") + pe.errorString()
                                                    : QStringLiteral("the top level must be an object"));
        return std::nullopt;
    }
    return parseAll(doc.object().value(QLatin1String("readModels")), error);
}

std::optional<QList<ReadModelMapping>> ReadModelMapping::parseAll(const QJsonValue &readModels, ParseError *error)
{
    QList<ReadModelMapping> all;
    if (readModels.isUndefined())
        return all;
    if (!readModels.isObject()) {
        failed(error, QStringLiteral("readModels"), QStringLiteral("must be an object: mapping name → mapping"));
        return std::nullopt;
    }
    const QJsonObject o = readModels.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        std::optional<ReadModelMapping> m = parse(it.key(), it.value(), error);
        if (!m)
            return std::nullopt;
        all.append(std::move(*m));
    }
    return all;
}

std::optional<ReadModelMapping> ReadModelMapping::parse(const QString &name, const QJsonValue &value, ParseError *error)
{
    const QString where = QStringLiteral("readModels.") + name;
    if (!value.isObject()) {
        failed(error, where, QStringLiteral("must be an object"));
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    ReadModelMapping m;
    m.m_name = name;
    const QString backend = o.value(QLatin1String("backend")).toString();
    if (backend == QLatin1String("redis"))
        m.m_backend = Backend::Redis;
    else if (backend != QLatin1String("postgresql")) {
        failed(error, where + QStringLiteral(".backend"), QStringLiteral("must be \"postgresql\" or \"redis\""));
        return std::nullopt;
    }
    QStringList allowed{QStringLiteral("description"), QStringLiteral("backend"), QStringLiteral("category"),
                        QStringLiteral("endpoint"),    QStringLiteral("fields"),  QStringLiteral("transform"),
                        QStringLiteral("checkpoint")};
    allowed += m.m_backend == Backend::PostgreSql
        ? QStringList{QStringLiteral("row"), QStringLiteral("scan"), QStringLiteral("idColumn")}
        : QStringList{QStringLiteral("key"), QStringLiteral("value")};
    if (!onlyKeys(o, allowed, where, error))
        return std::nullopt;
    static const QRegularExpression categoryRe(QStringLiteral("^[^\\s-][^\\s]*$"));
    m.m_category = o.value(QLatin1String("category")).toString();
    if (!categoryRe.match(m.m_category).hasMatch()) {
        failed(error, where + QStringLiteral(".category"),
               QStringLiteral("missing, or not a stream category (\"order\" for order-42)"));
        return std::nullopt;
    }
    m.m_endpoint = o.value(QLatin1String("endpoint")).toString();
    if (m.m_endpoint.isEmpty()) {
        failed(error, where + QStringLiteral(".endpoint"),
               QStringLiteral("missing: the name of a read-model endpoint of the connection profile"));
        return std::nullopt;
    }
    if (m.m_backend == Backend::PostgreSql) {
        if (!text(o, QStringLiteral("row"), where + QStringLiteral(".row"), &m.m_rowQuery, error, true)
            || !text(o, QStringLiteral("scan"), where + QStringLiteral(".scan"), &m.m_scanQuery, error, true))
            return std::nullopt;
        static const QRegularExpression param(QStringLiteral("\\$(\\d+)"));
        QSet<QString> params;
        for (auto match = param.globalMatch(m.m_rowQuery); match.hasNext();)
            params.insert(match.next().captured(1));
        if (params != QSet<QString>{QStringLiteral("1")}) {
            failed(error, where + QStringLiteral(".row"),
                   QStringLiteral("must use $1 (the aggregate id) and no other parameter"));
            return std::nullopt;
        }
        if (param.match(m.m_scanQuery).hasMatch()) {
            failed(error, where + QStringLiteral(".scan"), QStringLiteral("takes no parameters: it reads every row"));
            return std::nullopt;
        }
        m.m_idColumn = o.value(QLatin1String("idColumn")).toString(m.m_idColumn);
        if (m.m_idColumn.isEmpty()) {
            failed(error, where + QStringLiteral(".idColumn"), QStringLiteral("must be a non-empty string"));
            return std::nullopt;
        }
    } else {
        m.m_keyPattern = o.value(QLatin1String("key")).toString();
        if (m.m_keyPattern.count(kIdPlaceholder) != 1) {
            failed(error, where + QStringLiteral(".key"),
                   QStringLiteral("must contain {id} exactly once (\"order-summary:{id}\")"));
            return std::nullopt;
        }
        const QString kind = o.value(QLatin1String("value")).toString(QStringLiteral("hash"));
        if (kind != QLatin1String("hash") && kind != QLatin1String("json")) {
            failed(error, where + QStringLiteral(".value"),
                   QStringLiteral("must be \"hash\" or \"json\" (a JSON string)"));
            return std::nullopt;
        }
        m.m_redisValue = kind == QLatin1String("json") ? RedisValue::Json : RedisValue::Hash;
    }
    if (!text(o, QStringLiteral("transform"), where + QStringLiteral(".transform"), &m.m_transform, error, false))
        return std::nullopt;
    if (!m.m_transform.isEmpty()) {
        if (const QString problem = ReadModelTransform::check(m.m_transform); !problem.isEmpty()) {
            failed(error, where + QStringLiteral(".transform"), problem);
            return std::nullopt;
        }
    }
    const QJsonValue fields = o.value(QLatin1String("fields"));
    if (!fields.isUndefined() && !fields.isObject()) {
        failed(error, where + QStringLiteral(".fields"), QStringLiteral("must be an object: state path → column"));
        return std::nullopt;
    }
    const QJsonObject fo = fields.toObject();
    for (auto it = fo.begin(); it != fo.end(); ++it) {
        FieldMap f;
        if (!parseField(it.key(), it.value(), where + QStringLiteral(".fields.") + it.key(), &f, error))
            return std::nullopt;
        m.m_fields.append(f);
    }
    QString checkpointField, checkpointError;
    if (!CheckpointSpec::parse(o.value(QLatin1String("checkpoint")), m.m_backend == Backend::Redis, &m.m_checkpoint,
                               &checkpointField, &checkpointError)) {
        failed(error, where + QStringLiteral(".checkpoint") + checkpointField, checkpointError);
        return std::nullopt;
    }
    return m;
}

QString ReadModelMapping::foldPathOf(const FieldMap &field, const QString &aggregateId) const
{
    if (!field.foldPath.contains(QLatin1Char('{')))
        return field.foldPath;
    return QString(field.foldPath)
        .replace(QStringLiteral("{stream}"), streamOf(aggregateId))
        .replace(kIdPlaceholder, aggregateId);
}

std::optional<QString> ReadModelMapping::aggregateIdOf(const QString &streamName) const
{
    const QString prefix = m_category + QLatin1Char('-');
    if (!streamName.startsWith(prefix) || streamName.size() == prefix.size())
        return std::nullopt;
    return streamName.mid(prefix.size());
}

QString ReadModelMapping::keyOf(const QString &aggregateId) const
{
    return QString(m_keyPattern).replace(kIdPlaceholder, aggregateId);
}

std::optional<QString> ReadModelMapping::aggregateIdOfKey(const QString &key) const
{
    const qsizetype at = m_keyPattern.indexOf(kIdPlaceholder);
    const QString prefix = m_keyPattern.left(at);
    const QString suffix = m_keyPattern.mid(at + kIdPlaceholder.size());
    if (key.size() <= prefix.size() + suffix.size() || !key.startsWith(prefix) || !key.endsWith(suffix))
        return std::nullopt;
    return key.mid(prefix.size(), key.size() - prefix.size() - suffix.size());
}

QString ReadModelMapping::keyGlob() const
{
    QString glob;
    for (const QChar c : m_keyPattern) {
        if (c == QLatin1Char('*') || c == QLatin1Char('?') || c == QLatin1Char('[') || c == QLatin1Char(']')
            || c == QLatin1Char('\\'))
            glob += QLatin1Char('\\');
        glob += c;
    }
    return glob.replace(kIdPlaceholder, QStringLiteral("*"));
}

QJsonObject ReadModelMapping::rowShape(const QJsonValue &raw, QStringList *problems, const QString &aggregateId) const
{
    if (m_fields.isEmpty())
        return raw.toObject();
    QJsonObject out;
    for (const FieldMap &f : m_fields) {
        const Coerced c = value::coerce(jsonpath::at(raw, f.column), f.coercion);
        if (!c.ok() && problems)
            problems->append(QStringLiteral("%1 (column %2): %3").arg(f.foldPath, f.column, c.error));
        else if (!c.value.isUndefined())
            jsonpath::put(out, foldPathOf(f, aggregateId), c.value);
    }
    return out;
}

QJsonObject ReadModelMapping::foldShape(const QJsonValue &state, QStringList *problems,
                                        const QString &aggregateId) const
{
    if (m_fields.isEmpty())
        return state.toObject();
    QJsonObject out;
    for (const FieldMap &f : m_fields) {
        const QString path = foldPathOf(f, aggregateId);
        const Coerced c = value::coerce(jsonpath::at(state, path), f.coercion);
        if (!c.ok() && problems)
            problems->append(QStringLiteral("%1 (state): %2").arg(path, c.error));
        else if (!c.value.isUndefined())
            jsonpath::put(out, path, c.value);
    }
    return out;
}

namespace jsonpath {

QJsonValue at(const QJsonValue &root, const QString &dotted)
{
    QJsonValue v = root;
    for (const QString &step : dotted.split(QLatin1Char('.'))) {
        if (!v.isObject())
            return QJsonValue(QJsonValue::Undefined);
        v = v.toObject().value(step);
    }
    return v;
}

void put(QJsonObject &root, const QString &dotted, const QJsonValue &value)
{
    const qsizetype dot = dotted.indexOf(QLatin1Char('.'));
    if (dot < 0) {
        root.insert(dotted, value);
        return;
    }
    const QString head = dotted.left(dot);
    QJsonObject child = root.value(head).toObject();
    put(child, dotted.mid(dot + 1), value);
    root.insert(head, child);
}

} // namespace jsonpath
} // namespace chronoscope::readmodel
