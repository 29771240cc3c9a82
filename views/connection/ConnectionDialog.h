#pragma once

#include "connection/ConnectionProfiles.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QButtonGroup;

namespace chronoscope {
class CredentialStore;
}

namespace chronoscope::views {

/// What the user asked to connect with. The password is only in memory.
struct ConnectionRequest
{
    ConnectionProfile profile;  ///< connection string without credentials
    QString password;           ///< empty = look it up in the keychain (or prompt)
    bool rememberPassword = false;
};

/// Saved profiles on the left, an editor on the right. The connection string is validated on every
/// edit: the error (naming the offending part) shows in red under the field and Connect/Save stay
/// disabled until it parses. Passwords go to the CredentialStore, never to the profiles.
class ConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    /// `profiles` and `store` are not owned and must outlive the dialog.
    ConnectionDialog(ConnectionProfiles *profiles, CredentialStore *store, QWidget *parent = nullptr);

    void selectProfile(const QString &name);
    /// The request built from the editor; valid after accepted().
    ConnectionRequest request() const { return m_request; }
    /// The editor's current profile (credentials stripped from the string).
    ConnectionProfile editedProfile() const;
    /// Saves the editor's profile (and the password when "remember" is ticked); false on error.
    bool saveProfile();
    /// The line under the buttons: save results and keychain notices.
    QString statusText() const;

Q_SIGNALS:
    /// A non-modal notice for the main window too (e.g. no keychain available).
    void notice(const QString &text);

private:
    QWidget *buildEditor();
    QWidget *buildColourRow();
    void reloadList(const QString &select = {});
    void loadProfile(const ConnectionProfile &profile);
    void newProfile();
    void deleteProfile();
    void validate();
    void connectClicked();
    void setColour(const QString &colour);
    void setStatus(const QString &text, bool error);

    ConnectionProfiles *m_profiles;
    CredentialStore *m_store;
    QString m_loadedName; ///< the saved profile being edited; empty for a new one
    QString m_colour;
    ConnectionRequest m_request;

    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_connectionString;
    QLabel *m_error;
    QLabel *m_summary;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QButtonGroup *m_swatches;
    QPushButton *m_customColour;
    QCheckBox *m_production;
    QCheckBox *m_readOnly;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    QPushButton *m_connect;
    QPushButton *m_save;
    QPushButton *m_delete;
};

} // namespace chronoscope::views
