#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace chronoscope {

/// Where a read model lives (issue 14): a PostgreSQL database or a Redis server that a connection profile
/// knows by name. Like ConnectionProfile it never holds a password: the password lives in the keychain
/// (CredentialStore) under credentialKey(profile name), and is handed to the read-model source in memory.
struct ReadModelEndpoint
{
    enum class Backend { PostgreSql, Redis };

    QString name; ///< what a reducer file's mapping names in "endpoint"
    Backend backend = Backend::PostgreSql;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 5432;
    QString database; ///< PostgreSQL: the database; Redis: the database index ("" = 0)
    QString username; ///< PostgreSQL role; Redis 6+ ACL user ("" = the default user)
    /// PostgreSQL's sslmode (disable, allow, prefer, require, verify-ca, verify-full); default verify-full,
    /// as the rest of Chronoscope keeps TLS on. Redis: hiredis 0.14 speaks no TLS, so only "disable" is
    /// accepted there (docs/READ-MODELS.md).
    QString sslMode = QStringLiteral("verify-full");
    int connectTimeoutMs = 5000;
    int queryTimeoutMs = 30000; ///< per statement (PostgreSQL statement_timeout) or per reply (Redis)

    static QString backendName(Backend backend);
    /// The keychain key of this endpoint's password within a profile: "<profile>/readmodel/<name>".
    QString credentialKey(const QString &profileName) const;
    /// "postgresql user@host:port/db" — never the password.
    QString describe() const;

    QJsonObject toJson() const;
    /// An empty `error` on success; otherwise names the offending field.
    static ReadModelEndpoint fromJson(const QJsonObject &o, QString *error);
    static QList<ReadModelEndpoint> listFromJson(const QByteArray &json, QString *error);
    static QByteArray listToJson(const QList<ReadModelEndpoint> &endpoints);

    friend bool operator==(const ReadModelEndpoint &a, const ReadModelEndpoint &b) { return a.toJson() == b.toJson(); }
};

} // namespace chronoscope
