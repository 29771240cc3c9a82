#include "connection/ReadModelEndpoint.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace chronoscope {

QString ReadModelEndpoint::backendName(Backend backend)
{
    return backend == Backend::Redis ? QStringLiteral("redis") : QStringLiteral("postgresql");
}

QString ReadModelEndpoint::credentialKey(const QString &profileName) const
{
    return profileName + QStringLiteral("/readmodel/") + name;
}

QString ReadModelEndpoint::describe() const
{
    QString s = backendName(backend) + QLatin1Char(' ');
    if (!username.isEmpty())
        s += username + QLatin1Char('@');
    s += host + QLatin1Char(':') + QString::number(port);
    if (!database.isEmpty())
        s += QLatin1Char('/') + database;
    return s;
}

QJsonObject ReadModelEndpoint::toJson() const
{
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("backend"), backendName(backend)},
                       {QStringLiteral("host"), host},
                       {QStringLiteral("port"), int(port)},
                       {QStringLiteral("database"), database},
                       {QStringLiteral("username"), username},
                       {QStringLiteral("sslMode"), sslMode},
                       {QStringLiteral("connectTimeoutMs"), connectTimeoutMs},
                       {QStringLiteral("queryTimeoutMs"), queryTimeoutMs}};
}

ReadModelEndpoint ReadModelEndpoint::fromJson(const QJsonObject &o, QString *error)
{
    ReadModelEndpoint e;
    error->clear();
    e.name = o.value(QLatin1String("name")).toString();
    if (e.name.isEmpty() || e.name.contains(QLatin1Char('/'))) {
        *error = QStringLiteral("name: missing, or contains '/'");
        return e;
    }
    const QString backend = o.value(QLatin1String("backend")).toString();
    if (backend == QLatin1String("redis")) {
        e.backend = Backend::Redis;
        e.port = 6379;
        e.sslMode = QStringLiteral("disable");
    } else if (backend != QLatin1String("postgresql")) {
        *error = QStringLiteral("%1.backend: must be \"postgresql\" or \"redis\"").arg(e.name);
        return e;
    }
    e.host = o.value(QLatin1String("host")).toString(e.host);
    const int port = o.value(QLatin1String("port")).toInt(e.port);
    if (port <= 0 || port > 65535) {
        *error = QStringLiteral("%1.port: must be 1-65535").arg(e.name);
        return e;
    }
    e.port = quint16(port);
    e.database = o.value(QLatin1String("database")).toString();
    e.username = o.value(QLatin1String("username")).toString();
    e.sslMode = o.value(QLatin1String("sslMode")).toString(e.sslMode);
    static const QStringList pgModes{QStringLiteral("disable"),   QStringLiteral("allow"),
                                     QStringLiteral("prefer"),    QStringLiteral("require"),
                                     QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
    if (e.backend == Backend::PostgreSql ? !pgModes.contains(e.sslMode) : e.sslMode != QLatin1String("disable")) {
        *error = e.backend == Backend::PostgreSql
            ? QStringLiteral("%1.sslMode: must be one of %2").arg(e.name, pgModes.join(QStringLiteral(", ")))
            : QStringLiteral("%1.sslMode: hiredis 0.14 has no TLS; only \"disable\" is possible").arg(e.name);
        return e;
    }
    e.connectTimeoutMs = o.value(QLatin1String("connectTimeoutMs")).toInt(e.connectTimeoutMs);
    e.queryTimeoutMs = o.value(QLatin1String("queryTimeoutMs")).toInt(e.queryTimeoutMs);
    if (e.connectTimeoutMs <= 0 || e.queryTimeoutMs <= 0)
        *error = QStringLiteral("%1: timeouts must be positive").arg(e.name);
    return e;
}

QList<ReadModelEndpoint> ReadModelEndpoint::listFromJson(const QByteArray &json, QString *error)
{
    QList<ReadModelEndpoint> list;
    error->clear();
    if (json.trimmed().isEmpty())
        return list;
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isArray()) {
        *error = QStringLiteral("read-model endpoints: not a JSON array");
        return list;
    }
    for (const QJsonValue &v : doc.array()) {
        list.append(fromJson(v.toObject(), error));
        if (!error->isEmpty())
            return {};
    }
    return list;
}

QByteArray ReadModelEndpoint::listToJson(const QList<ReadModelEndpoint> &endpoints)
{
    QJsonArray a;
    for (const ReadModelEndpoint &e : endpoints)
        a.append(e.toJson());
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

} // namespace chronoscope
