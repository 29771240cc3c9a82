#pragma once

#include "connection/ConnectionProfiles.h"
#include "connection/ConnectionSettings.h"
#include "correct/WriteGuard.h"

#include <QObject>

#include <memory>

class QAction;
class QMenu;
class QSettings;
class QWidget;

namespace chronoscope {

class CredentialStore;
class KeychainCredentialStore;
class SessionCredentialStore;

namespace views {
class ProfileBanner;
struct ConnectionRequest;
} // namespace views

/// Everything about choosing a connection (F1): the saved profiles, the password store, the
/// Connect dialog, the login prompt, the Recent Connections menu and the profile banner.
/// MainWindow only adds the action and menu, places the banner, and connects connectRequested().
class ConnectionController : public QObject
{
    Q_OBJECT
public:
    /// Profiles in the application's QSettings, passwords in the OS keychain.
    explicit ConnectionController(QWidget *window);
    /// For tests: `settings` and `store` are not owned and must outlive the controller.
    ConnectionController(QSettings *settings, CredentialStore *store, QWidget *window);
    ~ConnectionController() override;

    QAction *connectAction() const { return m_connectAction; }
    QMenu *recentMenu() const { return m_recentMenu; }
    views::ProfileBanner *banner() const { return m_banner; }
    ConnectionProfiles &profiles() { return m_profiles; }
    /// The password layer every caller goes through (keychain + session memory).
    SessionCredentialStore *credentials() const { return m_credentials; }

    /// Opens the Connect dialog (window-modal, not blocking).
    void showDialog();
    /// Connects with a saved profile, fetching its password from the store or prompting for it.
    void connectProfile(const QString &name);
    /// Acts on what the Connect dialog returned.
    void apply(const views::ConnectionRequest &request);

Q_SIGNALS:
    /// Settings with credentials, in memory only: hand them to MainWindow::connectTo. `profile` is
    /// what the write guard needs of the profile (read-only, production, its name).
    void connectRequested(const chronoscope::ConnectionSettings &settings, const chronoscope::WriteProfile &profile);
    /// A non-modal notice (keychain missing, unknown profile, …).
    void notice(const QString &message);

private:
    void init(QWidget *window);
    void connectWith(const ConnectionProfile &profile, const QString &password);
    void promptLogin(const ConnectionProfile &profile, const QString &reason);
    void rememberPassword(const QString &profile, const QString &password, bool inKeychain);
    void refreshRecentMenu();

    std::unique_ptr<QSettings> m_ownSettings;
    std::unique_ptr<KeychainCredentialStore> m_keychain;
    QSettings *m_settings;
    ConnectionProfiles m_profiles;
    SessionCredentialStore *m_credentials = nullptr;
    QWidget *m_window = nullptr;
    QAction *m_connectAction = nullptr;
    QMenu *m_recentMenu = nullptr;
    views::ProfileBanner *m_banner = nullptr;
};

} // namespace chronoscope
