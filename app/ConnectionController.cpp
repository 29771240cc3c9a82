#include "ConnectionController.h"

#include "connection/ConnectionDialog.h"
#include "connection/KeychainCredentialStore.h"
#include "connection/LoginDialog.h"
#include "connection/ProfileBanner.h"
#include "connection/SessionCredentialStore.h"

#include <QAction>
#include <QMenu>
#include <QPointer>
#include <QSettings>

namespace chronoscope {

ConnectionController::ConnectionController(QWidget *window)
    : QObject(window)
    , m_ownSettings(std::make_unique<QSettings>())
    , m_keychain(std::make_unique<KeychainCredentialStore>(QStringLiteral("Chronoscope")))
    , m_settings(m_ownSettings.get())
    , m_profiles(m_settings)
{
    m_credentials = new SessionCredentialStore(m_keychain.get(), this);
    init(window);
}

ConnectionController::ConnectionController(QSettings *settings, CredentialStore *store, QWidget *window)
    : QObject(window)
    , m_settings(settings)
    , m_profiles(settings)
{
    m_credentials = new SessionCredentialStore(store, this);
    init(window);
}

ConnectionController::~ConnectionController() = default;

void ConnectionController::init(QWidget *window)
{
    setObjectName(QStringLiteral("connectionController"));
    m_window = window;
    m_connectAction = new QAction(tr("&Connect…"), this);
    m_connectAction->setObjectName(QStringLiteral("connectAction"));
    m_connectAction->setShortcut(QKeySequence::Open);
    connect(m_connectAction, &QAction::triggered, this, &ConnectionController::showDialog);
    m_recentMenu = new QMenu(tr("&Recent Connections"), window);
    m_recentMenu->setObjectName(QStringLiteral("recentConnectionsMenu"));
    m_banner = new views::ProfileBanner(window);
    refreshRecentMenu();
}

void ConnectionController::showDialog()
{
    auto *dialog = new views::ConnectionDialog(&m_profiles, m_credentials, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &views::ConnectionDialog::notice, this, &ConnectionController::notice);
    connect(dialog, &QDialog::accepted, this, [this, dialog]() { apply(dialog->request()); });
    // Saving or deleting in the dialog changes the menu even when the dialog is cancelled.
    connect(dialog, &QDialog::finished, this, &ConnectionController::refreshRecentMenu);
    const QStringList recent = m_profiles.recent();
    if (!recent.isEmpty())
        dialog->selectProfile(recent.first());
    dialog->open();
}

void ConnectionController::apply(const views::ConnectionRequest &request)
{
    const ConnectionProfile &p = request.profile;
    if (!request.password.isEmpty()) {
        // A password saved with "remember" already went to the keychain from the dialog.
        if (!p.name.isEmpty())
            m_credentials->keepForSession(p.name, request.password);
        connectWith(p, request.password);
    } else if (p.username.isEmpty()) {
        connectWith(p, {});
    } else if (!p.name.isEmpty() && m_profiles.contains(p.name)) {
        connectProfile(p.name);
    } else {
        promptLogin(p, {});
    }
}

void ConnectionController::connectProfile(const QString &name)
{
    const std::optional<ConnectionProfile> p = m_profiles.profile(name);
    if (!p) {
        Q_EMIT notice(tr("There is no saved profile named '%1'").arg(name));
        refreshRecentMenu();
        return;
    }
    if (p->username.isEmpty()) {
        connectWith(*p, {});
        return;
    }
    QPointer<ConnectionController> self = this;
    m_credentials->readPassword(name, [self, profile = *p](const CredentialStore::Result &r) {
        if (!self)
            return;
        switch (r.status) {
        case CredentialStore::Status::Ok:
            self->connectWith(profile, r.password);
            break;
        case CredentialStore::Status::NotFound:
            self->promptLogin(profile, tr("no password is saved for it"));
            break;
        case CredentialStore::Status::Unavailable:
        case CredentialStore::Status::Failed:
            self->promptLogin(profile, tr("the keychain could not be read (%1)").arg(r.message));
            break;
        }
    });
}

void ConnectionController::promptLogin(const ConnectionProfile &profile, const QString &reason)
{
    const QString title = profile.name.isEmpty() ? profile.connectionString : profile.name;
    auto *login = new views::LoginDialog(title, profile.username, reason, m_window);
    login->setAttribute(Qt::WA_DeleteOnClose);
    connect(login, &QDialog::accepted, this, [this, login, profile]() {
        ConnectionProfile p = profile;
        if (login->username() != p.username) {
            p.username = login->username();
            if (!p.name.isEmpty() && m_profiles.contains(p.name))
                m_profiles.save(p);
        }
        if (!p.name.isEmpty())
            rememberPassword(p.name, login->password(), login->rememberPassword());
        connectWith(p, login->password());
    });
    login->open();
}

void ConnectionController::rememberPassword(const QString &profile, const QString &password, bool inKeychain)
{
    if (!inKeychain || !m_profiles.contains(profile)) {
        m_credentials->keepForSession(profile, password);
        return;
    }
    QPointer<ConnectionController> self = this;
    m_credentials->writePassword(profile, password, [self](const CredentialStore::Result &r) {
        if (self && r.status != CredentialStore::Status::Ok)
            Q_EMIT self->notice(r.message);
    });
}

void ConnectionController::connectWith(const ConnectionProfile &profile, const QString &password)
{
    ConnectionString::Result parsed = ConnectionString::parse(profile.connectionString);
    if (!parsed.ok()) {
        Q_EMIT notice(tr("The profile '%1' has an invalid connection string: %2").arg(profile.name, parsed.error));
        return;
    }
    parsed.settings.username = profile.username;
    parsed.settings.password = profile.username.isEmpty() ? QString() : password;
    ConnectionProfile shown = profile;
    if (m_profiles.contains(profile.name)) {
        m_profiles.markUsed(profile.name);
        refreshRecentMenu();
    }
    if (shown.name.isEmpty())
        shown.name = parsed.settings.toRedactedString();
    m_banner->showProfile(shown);
    m_writeProfile = WriteProfile{profile.name, profile.production, profile.readOnly};
    Q_EMIT connectRequested(parsed.settings);
}

void ConnectionController::refreshRecentMenu()
{
    m_recentMenu->clear();
    const QStringList names = m_profiles.recent();
    for (int i = 0; i < names.size(); ++i) {
        const QString name = names.at(i);
        // &1…&9 make the first entries reachable from the keyboard.
        const QString label = i < 9 ? QStringLiteral("&%1 %2").arg(i + 1).arg(QString(name).replace(QLatin1Char('&'), QStringLiteral("&&")))
                                    : QString(name).replace(QLatin1Char('&'), QStringLiteral("&&"));
        QAction *a = m_recentMenu->addAction(label, this, [this, name]() { connectProfile(name); });
        a->setData(name);
    }
    if (names.isEmpty())
        m_recentMenu->addAction(tr("No recent connections"))->setEnabled(false);
}

} // namespace chronoscope
