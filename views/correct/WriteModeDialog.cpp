#include "correct/WriteModeDialog.h"

#include "correct/WriteGuard.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace chronoscope::views {

WriteModeDialog::WriteModeDialog(WriteGuard *guard, QWidget *parent)
    : QDialog(parent)
    , m_guard(guard)
    , m_explanation(new QLabel(this))
    , m_reason(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(this))
{
    setObjectName(QStringLiteral("writeModeDialog"));
    setWindowTitle(tr("Unlock Writes"));
    m_explanation->setWordWrap(true);
    m_explanation->setTextFormat(Qt::PlainText);
    m_reason->setObjectName(QStringLiteral("writeReason"));
    m_reason->setPlaceholderText(tr("e.g. SUP-4711 refund the duplicate charge on order 8408"));
    m_reason->setClearButtonEnabled(true);
    m_error->setObjectName(QStringLiteral("writeModeError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    m_error->setVisible(false);

    auto *reasonLabel = new QLabel(tr("&Reason:"), this);
    reasonLabel->setBuddy(m_reason);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_explanation);
    layout->addWidget(reasonLabel);
    layout->addWidget(m_reason);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &WriteModeDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &WriteModeDialog::reject);
    connect(m_reason, &QLineEdit::textEdited, this, [this] { m_error->setVisible(false); });
    setMinimumWidth(460);
    refresh();
}

void WriteModeDialog::refresh()
{
    const WriteProfile &profile = m_guard->profile();
    const QString who = profile.name.isEmpty() ? tr("this connection") : tr("the profile \"%1\"").arg(profile.name);
    m_buttons->clear();
    if (m_guard->state() == WriteGuard::State::ReadOnlyProfile && !m_guard->readOnlyWhy().isEmpty()) {
        m_explanation->setText(tr("Writes cannot be unlocked: %1.").arg(m_guard->readOnlyWhy()));
        m_reason->setVisible(false);
        m_buttons->addButton(QDialogButtonBox::Close);
        return;
    }
    if (m_guard->state() == WriteGuard::State::ReadOnlyProfile) {
        m_explanation->setText(tr("Writes cannot be unlocked for %1: it is read-only. To correct events through it, "
                                  "edit the profile (File ▸ Connect…) and clear \"Read-only\".")
                                   .arg(who));
        m_reason->setVisible(false);
        m_buttons->addButton(QDialogButtonBox::Close);
        return;
    }
    QString text = tr("Unlocking lets you append corrective events through %1 until you lock writes again or "
                      "disconnect. Every append is pinned to the revision you inspected, recorded in the audit log "
                      "and carries this reason in its metadata.")
                       .arg(who);
    if (profile.production)
        text += QLatin1Char('\n') + tr("This is a production profile: each append will also ask for its name.");
    m_explanation->setText(text);
    m_reason->setText(m_guard->reason());
    QPushButton *unlock = m_buttons->addButton(tr("&Unlock Writes"), QDialogButtonBox::AcceptRole);
    unlock->setObjectName(QStringLiteral("unlockWrites"));
    unlock->setDefault(true);
    m_buttons->addButton(QDialogButtonBox::Cancel);
}

QString WriteModeDialog::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

void WriteModeDialog::accept()
{
    if (m_guard->state() == WriteGuard::State::ReadOnlyProfile) {
        QDialog::reject();
        return;
    }
    const QString refusal = m_guard->unlock(m_reason->text());
    if (!refusal.isEmpty()) {
        m_error->setText(refusal);
        m_error->setVisible(true);
        m_reason->setFocus();
        return; // nothing typed is lost: the dialog stays open with the text
    }
    QDialog::accept();
}

} // namespace chronoscope::views
