#include "connection/ConnectionProfiles.h"

#include "connection/ConnectionSettings.h"

#include <QRegularExpression>
#include <QSettings>
#include <QUrl>

#include <algorithm>

namespace chronoscope {
namespace {

const QString kGroup = QStringLiteral("profiles");
const QString kRecentKey = QStringLiteral("recentConnections");

// '/' and '\' are group separators in QSettings, so a profile's group is its percent-encoded name.
QString groupKey(const QString &name)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(name));
}

QString trimmedName(const QString &name)
{
    return name.trimmed();
}

} // namespace

ConnectionProfiles::ConnectionProfiles(QSettings *settings)
    : m_settings(settings)
{
}

QString ConnectionProfiles::stripCredentials(const QString &connectionString, QString *username)
{
    const QString text = connectionString.trimmed();
    const int sep = text.indexOf(QStringLiteral("://"));
    if (sep < 0)
        return text;
    const int hostsStart = sep + 3;
    // User info ends at the last '@' before the path or query, as in ConnectionString::parse.
    int hostsEnd = int(text.size());
    for (const QChar c : {QLatin1Char('?'), QLatin1Char('/')}) {
        const int i = text.indexOf(c, hostsStart);
        if (i >= 0)
            hostsEnd = std::min(hostsEnd, i);
    }
    const int at = text.lastIndexOf(QLatin1Char('@'), hostsEnd - 1);
    if (at < hostsStart)
        return text;
    if (username) {
        const QString userInfo = text.mid(hostsStart, at - hostsStart);
        *username = QUrl::fromPercentEncoding(userInfo.section(QLatin1Char(':'), 0, 0).toUtf8());
    }
    return text.left(hostsStart) + text.mid(at + 1);
}

QList<ConnectionProfile> ConnectionProfiles::profiles() const
{
    QList<ConnectionProfile> list;
    m_settings->beginGroup(kGroup);
    const QStringList groups = m_settings->childGroups();
    m_settings->endGroup();
    for (const QString &g : groups) {
        if (const auto p = profile(QUrl::fromPercentEncoding(g.toLatin1())))
            list << *p;
    }
    std::sort(list.begin(), list.end(), [](const ConnectionProfile &a, const ConnectionProfile &b) {
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
    return list;
}

std::optional<ConnectionProfile> ConnectionProfiles::profile(const QString &name) const
{
    if (!contains(name))
        return std::nullopt;
    m_settings->beginGroup(kGroup + QLatin1Char('/') + groupKey(name));
    ConnectionProfile p;
    p.name = name;
    p.connectionString = m_settings->value(QStringLiteral("connectionString")).toString();
    p.username = m_settings->value(QStringLiteral("username")).toString();
    p.colour = m_settings->value(QStringLiteral("colour"), p.colour).toString();
    p.production = m_settings->value(QStringLiteral("production"), false).toBool();
    p.readOnly = m_settings->value(QStringLiteral("readOnly"), true).toBool();
    p.lastUsed = m_settings->value(QStringLiteral("lastUsed")).toDateTime();
    QString ignored; // a damaged list reads as none; the next save rewrites it
    p.readModels = ReadModelEndpoint::listFromJson(m_settings->value(QStringLiteral("readModels")).toByteArray(),
                                                   &ignored);
    m_settings->endGroup();
    return p;
}

bool ConnectionProfiles::contains(const QString &name) const
{
    if (name.isEmpty())
        return false;
    m_settings->beginGroup(kGroup);
    const bool found = m_settings->childGroups().contains(groupKey(name));
    m_settings->endGroup();
    return found;
}

QString ConnectionProfiles::validateName(const QString &name) const
{
    if (name.isEmpty())
        return QStringLiteral("a profile needs a name");
    if (name.size() > 100)
        return QStringLiteral("a profile name has at most 100 characters");
    return {};
}

QString ConnectionProfiles::save(const ConnectionProfile &profile)
{
    ConnectionProfile p = profile;
    p.name = trimmedName(p.name);
    if (const QString err = validateName(p.name); !err.isEmpty())
        return err;
    const ConnectionString::Result parsed = ConnectionString::parse(p.connectionString);
    if (!parsed.ok())
        return QStringLiteral("invalid connection string: %1").arg(parsed.error);
    QString userInString;
    p.connectionString = stripCredentials(p.connectionString, &userInString);
    if (p.username.isEmpty())
        p.username = userInString;
    // QColor is QtGui, which core never links: check the `#rrggbb` form by hand.
    static const QRegularExpression hexColour(QStringLiteral("^#[0-9a-fA-F]{6}$"));
    if (!hexColour.match(p.colour).hasMatch())
        p.colour = ConnectionProfile().colour;
    write(p);
    return {};
}

QString ConnectionProfiles::add(const ConnectionProfile &profile)
{
    if (contains(trimmedName(profile.name)))
        return QStringLiteral("a profile named '%1' already exists").arg(trimmedName(profile.name));
    return save(profile);
}

QString ConnectionProfiles::rename(const QString &from, const QString &to)
{
    const QString target = trimmedName(to);
    std::optional<ConnectionProfile> p = profile(from);
    if (!p)
        return QStringLiteral("there is no profile named '%1'").arg(from);
    if (const QString err = validateName(target); !err.isEmpty())
        return err;
    if (target == from)
        return {};
    if (contains(target))
        return QStringLiteral("a profile named '%1' already exists").arg(target);
    QStringList names = recent(); // before `from` goes: recent() drops missing profiles
    p->name = target;
    write(*p);
    m_settings->remove(kGroup + QLatin1Char('/') + groupKey(from));
    std::replace(names.begin(), names.end(), from, target);
    setRecent(names);
    return {};
}

QString ConnectionProfiles::setReadModels(const QString &name, const QList<ReadModelEndpoint> &endpoints)
{
    if (!contains(name))
        return QStringLiteral("there is no profile named '%1'").arg(name);
    QStringList names;
    for (const ReadModelEndpoint &e : endpoints) {
        if (names.contains(e.name))
            return QStringLiteral("two read-model endpoints are named '%1'").arg(e.name);
        names.append(e.name);
    }
    const QString key = kGroup + QLatin1Char('/') + groupKey(name) + QStringLiteral("/readModels");
    if (endpoints.isEmpty())
        m_settings->remove(key);
    else
        m_settings->setValue(key, ReadModelEndpoint::listToJson(endpoints));
    return {};
}

QString ConnectionProfiles::remove(const QString &name)
{
    if (!contains(name))
        return QStringLiteral("there is no profile named '%1'").arg(name);
    m_settings->remove(kGroup + QLatin1Char('/') + groupKey(name));
    QStringList names = recent();
    names.removeAll(name);
    setRecent(names);
    return {};
}

QString ConnectionProfiles::markUsed(const QString &name, const QDateTime &when)
{
    if (!contains(name))
        return QStringLiteral("there is no profile named '%1'").arg(name);
    m_settings->setValue(kGroup + QLatin1Char('/') + groupKey(name) + QStringLiteral("/lastUsed"), when.toUTC());
    QStringList names = recent();
    names.removeAll(name);
    names.prepend(name);
    setRecent(names);
    return {};
}

QStringList ConnectionProfiles::recent() const
{
    QStringList names = m_settings->value(kRecentKey).toStringList();
    // A profile deleted by another instance must not linger in the menu.
    names.erase(std::remove_if(names.begin(), names.end(), [this](const QString &n) { return !contains(n); }),
                names.end());
    return names.mid(0, kMaxRecent);
}

void ConnectionProfiles::write(const ConnectionProfile &p)
{
    m_settings->beginGroup(kGroup + QLatin1Char('/') + groupKey(p.name));
    m_settings->setValue(QStringLiteral("connectionString"), p.connectionString);
    m_settings->setValue(QStringLiteral("username"), p.username);
    m_settings->setValue(QStringLiteral("colour"), p.colour);
    m_settings->setValue(QStringLiteral("production"), p.production);
    m_settings->setValue(QStringLiteral("readOnly"), p.readOnly);
    // A profile without read models keeps those stored: a form that does not show them must not erase
    // them. setReadModels() is the way to change or clear them.
    if (!p.readModels.isEmpty())
        m_settings->setValue(QStringLiteral("readModels"), ReadModelEndpoint::listToJson(p.readModels));
    if (p.lastUsed.isValid())
        m_settings->setValue(QStringLiteral("lastUsed"), p.lastUsed.toUTC());
    else
        m_settings->remove(QStringLiteral("lastUsed"));
    m_settings->endGroup();
}

void ConnectionProfiles::setRecent(const QStringList &names)
{
    QStringList bounded = names;
    bounded.removeDuplicates();
    m_settings->setValue(kRecentKey, bounded.mid(0, kMaxRecent));
}

} // namespace chronoscope
