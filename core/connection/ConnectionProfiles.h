#pragma once

#include "connection/ReadModelEndpoint.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class QSettings;

namespace chronoscope {

/// A saved connection. It never holds a password: the connection string is stored without its
/// user info, the user name separately, and the password lives only in the OS keychain.
struct ConnectionProfile
{
    QString name;
    QString connectionString; ///< without `user:pass@`
    QString username;         ///< empty = connect anonymously
    QString colour = QStringLiteral("#3b82f6"); ///< `#rrggbb`, an accent for the profile
    bool production = false;  ///< shows the red production banner
    bool readOnly = true;     ///< writes stay locked unless unlocked for this profile
    QDateTime lastUsed;       ///< UTC; invalid = never used
    /// Read-model databases beside this server (issue 14); their passwords are in the keychain too,
    /// under ReadModelEndpoint::credentialKey(name).
    QList<ReadModelEndpoint> readModels;

    friend bool operator==(const ConnectionProfile &a, const ConnectionProfile &b)
    {
        return a.name == b.name && a.connectionString == b.connectionString && a.username == b.username
            && a.colour == b.colour && a.production == b.production && a.readOnly == b.readOnly
            && a.lastUsed == b.lastUsed && a.readModels == b.readModels;
    }
};

/// Saved connection profiles and the recent-connections list, kept in QSettings (group `profiles`,
/// key `recentConnections`). Errors are returned as messages (empty = success).
class ConnectionProfiles
{
public:
    static constexpr int kMaxRecent = 10;

    /// `settings` is not owned and must outlive this object.
    explicit ConnectionProfiles(QSettings *settings);

    /// Removes `user[:pass]@` from a connection string, leaving everything else as typed.
    /// The user name found (percent-decoded) goes to `username` when given.
    static QString stripCredentials(const QString &connectionString, QString *username = nullptr);

    /// All profiles, sorted by name (case-insensitive).
    QList<ConnectionProfile> profiles() const;
    std::optional<ConnectionProfile> profile(const QString &name) const;
    bool contains(const QString &name) const;

    /// Adds or replaces the profile named `profile.name`. The connection string must parse; its
    /// credentials are stripped (the user name is kept when `profile.username` is empty).
    QString save(const ConnectionProfile &profile);
    /// Adds a profile; fails when one of that name exists.
    QString add(const ConnectionProfile &profile);
    QString rename(const QString &from, const QString &to);
    QString remove(const QString &name);
    /// Replaces (or, with none, clears) a profile's read-model endpoints. save() only adds to what is stored
    /// when its profile carries endpoints, and keeps them when it carries none. Their passwords stay in the
    /// keychain under ReadModelEndpoint::credentialKey(); moving those on a rename is the caller's job, as it
    /// is for the profile's own password.
    QString setReadModels(const QString &name, const QList<ReadModelEndpoint> &endpoints);

    /// Records a connection with `name` now: sets its last-used time and moves it to the front of
    /// the recent list (bounded to kMaxRecent).
    QString markUsed(const QString &name, const QDateTime &when = QDateTime::currentDateTimeUtc());
    /// Profile names, most recently used first.
    QStringList recent() const;

private:
    QString validateName(const QString &name) const;
    void write(const ConnectionProfile &profile);
    void setRecent(const QStringList &names);

    QSettings *m_settings;
};

} // namespace chronoscope
