#include "DriftEndpoint.h"

#include "CliConnection.h"
#include "CommandLine.h"
#include "connection/ConnectionProfiles.h"

#include <QSettings>
#include <QUrl>
#include <QUrlQuery>

namespace chronoscope::cli {

namespace {

using readmodel::ReadModelMapping;

ReadModelEndpoint::Backend backendOf(const ReadModelMapping &mapping)
{
    return mapping.backend() == ReadModelMapping::Backend::Redis ? ReadModelEndpoint::Backend::Redis
                                                                 : ReadModelEndpoint::Backend::PostgreSql;
}

/// `postgresql://user@host:port/database?sslmode=disable&connect_timeout=5` (libpq's URI form, no password).
std::optional<ReadModelEndpoint> postgresFromUrl(const QString &text, QString *error)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("postgresql") && url.scheme() != QLatin1String("postgres"))
        || url.host().isEmpty()) {
        *error = QStringLiteral("--postgres: expected postgresql://user@host[:port]/database[?sslmode=…], got \"%1\"")
                     .arg(url.isValid() ? url.toDisplayString(QUrl::RemovePassword) : QStringLiteral("…"));
        return std::nullopt;
    }
    if (!url.password().isEmpty()) {
        *error = QStringLiteral("--postgres holds a password: the command line is visible to every user of this "
                                "machine. Leave it out and set %1 instead")
                     .arg(QLatin1String(DriftEndpoint::kPasswordVariable));
        return std::nullopt;
    }
    ReadModelEndpoint e;
    e.backend = ReadModelEndpoint::Backend::PostgreSql;
    e.host = url.host();
    e.port = quint16(url.port(5432));
    e.username = url.userName();
    e.database = url.path().mid(1);
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("sslmode")) {
            e.sslMode = value;
        } else if (key == QLatin1String("connect_timeout")) {
            bool ok = false;
            const int seconds = value.toInt(&ok);
            if (!ok || seconds <= 0) {
                *error =
                    QStringLiteral("--postgres: connect_timeout must be a number of seconds, got \"%1\"").arg(value);
                return std::nullopt;
            }
            e.connectTimeoutMs = seconds * 1000;
        } else {
            *error = QStringLiteral("--postgres: unknown parameter \"%1\" (known: sslmode, connect_timeout)").arg(key);
            return std::nullopt;
        }
    }
    return e;
}

/// `host[:port][/db]` (default port 6379, database 0); hiredis speaks no TLS, so sslMode is "disable".
std::optional<ReadModelEndpoint> redisFromText(const QString &text, QString *error)
{
    const QUrl url(QStringLiteral("redis://") + text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty()) {
        *error = QStringLiteral("--redis: expected host[:port][/database], got \"%1\"")
                     .arg(text.contains(QLatin1Char('@')) ? QStringLiteral("…") : text);
        return std::nullopt;
    }
    ReadModelEndpoint e;
    e.backend = ReadModelEndpoint::Backend::Redis;
    e.host = url.host();
    e.port = quint16(url.port(6379));
    e.database = url.path().mid(1);
    e.sslMode = QStringLiteral("disable");
    return e;
}

std::optional<ReadModelEndpoint> fromProfile(const QString &profileName, const ReadModelMapping &mapping,
                                             QString *error)
{
    if (profileName.isEmpty()) {
        *error = QStringLiteral("where is the read model? A connection string has no read-model endpoints: give "
                                "--postgres <url> or --redis <host:port>, or --connect a saved profile with an "
                                "endpoint named \"%1\"")
                     .arg(mapping.endpoint());
        return std::nullopt;
    }
    QSettings settings;
    ConnectionProfiles profiles(&settings);
    const std::optional<ConnectionProfile> profile = profiles.profile(profileName);
    if (!profile) {
        *error = QStringLiteral("there is no saved profile named \"%1\"").arg(profileName);
        return std::nullopt;
    }
    QStringList names;
    for (const ReadModelEndpoint &e : profile->readModels) {
        if (e.name == mapping.endpoint())
            return e;
        names.append(e.name);
    }
    *error = QStringLiteral("the profile \"%1\" has no read-model endpoint named \"%2\" (the mapping %3 reads it)%4")
                 .arg(profileName, mapping.endpoint(), mapping.name(),
                      names.isEmpty() ? QStringLiteral("; it has none")
                                      : QStringLiteral("; it has: ") + names.join(QStringLiteral(", ")));
    return std::nullopt;
}

} // namespace

std::optional<DriftEndpoint> DriftEndpoint::resolve(const CommandLine &line, const ReadModelMapping &mapping,
                                                    QString *error)
{
    const bool postgres = line.isSet(QStringLiteral("postgres"));
    const bool redis = line.isSet(QStringLiteral("redis"));
    if (postgres && redis) {
        *error = QStringLiteral("give --postgres or --redis, not both");
        return std::nullopt;
    }
    const QString profileName = CliConnection::profileName(line);
    std::optional<ReadModelEndpoint> endpoint = postgres
        ? postgresFromUrl(line.value(QStringLiteral("postgres")), error)
        : redis ? redisFromText(line.value(QStringLiteral("redis")), error)
                : fromProfile(profileName, mapping, error);
    if (!endpoint)
        return std::nullopt;
    if (postgres || redis)
        endpoint->name = mapping.endpoint();
    if (endpoint->backend != backendOf(mapping)) {
        *error = QStringLiteral("the mapping %1 reads %2, but the endpoint is %3")
                     .arg(mapping.name(), ReadModelEndpoint::backendName(backendOf(mapping)),
                          ReadModelEndpoint::backendName(endpoint->backend));
        return std::nullopt;
    }
    DriftEndpoint d{*endpoint, qEnvironmentVariable(kPasswordVariable)};
    if (d.password.isEmpty() && !profileName.isEmpty() && !postgres && !redis) {
        // The window keeps an endpoint's password in the keychain; none saved may be right (a trusted local
        // server), so only a keychain that answers with a password is used.
        const CredentialStore::Result r = CliConnection::keychainPassword(endpoint->credentialKey(profileName));
        if (r.status == CredentialStore::Status::Ok)
            d.password = r.password;
    }
    return d;
}

} // namespace chronoscope::cli
