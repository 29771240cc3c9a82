#pragma once

#include <QDialog>

class QCheckBox;
class QLineEdit;
class QPushButton;

namespace chronoscope::views {

/// Asks for the password of a profile whose password is not in the keychain (or was refused).
class LoginDialog : public QDialog
{
    Q_OBJECT
public:
    LoginDialog(const QString &profileName, const QString &username, const QString &reason,
                QWidget *parent = nullptr);

    QString username() const;
    QString password() const;
    bool rememberPassword() const;

private:
    QLineEdit *m_username;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QPushButton *m_ok;
};

} // namespace chronoscope::views
