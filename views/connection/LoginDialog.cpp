#include "connection/LoginDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace chronoscope::views {

LoginDialog::LoginDialog(const QString &profileName, const QString &username, const QString &reason,
                         QWidget *parent)
    : QDialog(parent)
    , m_username(new QLineEdit(username, this))
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("Remember the password in the system keychain"), this))
{
    setObjectName(QStringLiteral("loginDialog"));
    setWindowTitle(tr("Log in to %1").arg(profileName));
    auto *intro = new QLabel(reason.isEmpty() ? tr("The profile '%1' needs a password.").arg(profileName)
                                              : tr("The profile '%1' needs a password: %2").arg(profileName, reason),
                             this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    m_username->setObjectName(QStringLiteral("loginUsername"));
    m_password->setObjectName(QStringLiteral("loginPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_remember->setObjectName(QStringLiteral("loginRemember"));
    m_remember->setChecked(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Connect"));
    m_ok->setEnabled(!username.isEmpty());
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_username, &QLineEdit::textChanged, this,
            [this](const QString &u) { m_ok->setEnabled(!u.trimmed().isEmpty()); });

    auto *form = new QFormLayout;
    form->addRow(tr("&User name:"), m_username);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_remember);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(380);
    (username.isEmpty() ? m_username : m_password)->setFocus();
}

QString LoginDialog::username() const
{
    return m_username->text().trimmed();
}

QString LoginDialog::password() const
{
    return m_password->text();
}

bool LoginDialog::rememberPassword() const
{
    return m_remember->isChecked();
}

} // namespace chronoscope::views
