#include "CliConnection.h"

#include "CommandLine.h"
#include "connection/ConnectionProfiles.h"
#include "connection/KeychainCredentialStore.h"

#include <QEventLoop>
#include <QSettings>
#include <QTimer>

namespace chronoscope::cli {

namespace {

QString environmentPassword()
{
    return qEnvironmentVariable(CliConnection::kPasswordVariable);
}

} // namespace

CredentialStore::Result CliConnection::keychainPassword(const QString &key)
{
    KeychainCredentialStore store(QStringLiteral("Chronoscope"));
    CredentialStore::Result result{CredentialStore::Status::Unavailable,
                                   {},
                                   QStringLiteral("no answer from the keychain")};
    QEventLoop loop;
    bool answered = false;
    store.readPassword(key, [&](const CredentialStore::Result &r) {
        result = r;
        answered = true;
        loop.quit();
    });
    if (!answered) {
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return result;
}

QString CliConnection::profileName(const CommandLine &line)
{
    if (line.isSet(QStringLiteral("profile")))
        return line.value(QStringLiteral("profile"));
    const QString value = line.value(QStringLiteral("connect"));
    return value.contains(QLatin1String("://")) ? QString() : value;
}

std::optional<CliConnection> CliConnection::resolve(const CommandLine &line, QString *error)
{
    // --connect takes either (issue 15's spelling): a connection string has a scheme, a profile name not.
    QString connectionText, profileName;
    int given = 0;
    if (line.isSet(QStringLiteral("connection"))) {
        connectionText = line.value(QStringLiteral("connection"));
        ++given;
    }
    if (line.isSet(QStringLiteral("profile"))) {
        profileName = line.value(QStringLiteral("profile"));
        ++given;
    }
    if (line.isSet(QStringLiteral("connect"))) {
        const QString value = line.value(QStringLiteral("connect"));
        (value.contains(QLatin1String("://")) ? connectionText : profileName) = value;
        ++given;
    }
    if (given != 1) {
        *error = given > 1 ? QStringLiteral("give one of --connection, --profile and --connect, not several")
                           : QStringLiteral("no connection: give --connection <string> or --profile <name>");
        return std::nullopt;
    }
    CliConnection c;
    if (profileName.isEmpty()) {
        const ConnectionString::Result parsed = ConnectionString::parse(connectionText);
        if (!parsed.ok()) {
            *error = QStringLiteral("the connection string: ") + parsed.error;
            return std::nullopt;
        }
        if (!parsed.settings.password.isEmpty()) {
            *error = QStringLiteral("the connection string holds a password: the command line is visible to every user "
                                    "of this machine. Leave it out and set %1 instead")
                         .arg(QLatin1String(kPasswordVariable));
            return std::nullopt;
        }
        c.settings = parsed.settings;
        if (line.isSet(QStringLiteral("username"))) {
            const QString user = line.value(QStringLiteral("username"));
            if (c.settings.hasCredentials() && c.settings.username != user) {
                *error = QStringLiteral("--username \"%1\" and the connection string's user \"%2\" differ")
                             .arg(user, c.settings.username);
                return std::nullopt;
            }
            c.settings.username = user;
        }
        c.profile = WriteProfile::adHoc();
        c.description = c.settings.toRedactedString();
        if (c.settings.hasCredentials()) {
            c.settings.password = environmentPassword();
            if (c.settings.password.isEmpty()) {
                *error = QStringLiteral("the connection's user \"%1\" needs a password: set %2")
                             .arg(c.settings.username, QLatin1String(kPasswordVariable));
                return std::nullopt;
            }
        }
        return c;
    }

    if (line.isSet(QStringLiteral("username"))) {
        *error = QStringLiteral("--username goes with --connection; a profile has its own user");
        return std::nullopt;
    }
    const QString name = profileName;
    QSettings settings;
    ConnectionProfiles profiles(&settings);
    const std::optional<ConnectionProfile> profile = profiles.profile(name);
    if (!profile) {
        const QStringList known = [&profiles] {
            QStringList names;
            for (const ConnectionProfile &p : profiles.profiles())
                names.append(p.name);
            return names;
        }();
        *error = QStringLiteral("there is no saved profile named \"%1\"%2")
                     .arg(name,
                          known.isEmpty()
                              ? QStringLiteral(" (none is saved)")
                              : QStringLiteral(" (saved: ") + known.join(QStringLiteral(", ")) + QLatin1Char(')'));
        return std::nullopt;
    }
    const ConnectionString::Result parsed = ConnectionString::parse(profile->connectionString);
    if (!parsed.ok()) {
        *error = QStringLiteral("the profile \"%1\" has an invalid connection string: %2").arg(name, parsed.error);
        return std::nullopt;
    }
    c.settings = parsed.settings;
    c.settings.username = profile->username;
    c.settings.password.clear();
    c.profile = WriteProfile{profile->name, profile->production, profile->readOnly};
    c.description = profile->name;
    if (!profile->username.isEmpty()) {
        c.settings.password = environmentPassword();
        if (c.settings.password.isEmpty()) {
            const CredentialStore::Result r = keychainPassword(name);
            if (r.status != CredentialStore::Status::Ok) {
                *error = QStringLiteral("no password for the profile \"%1\": set %2 (the keychain: %3)")
                             .arg(name, QLatin1String(kPasswordVariable),
                                  r.status == CredentialStore::Status::NotFound ? QStringLiteral("nothing saved")
                                                                                : r.message);
                return std::nullopt;
            }
            c.settings.password = r.password;
        }
    }
    return c;
}

} // namespace chronoscope::cli
