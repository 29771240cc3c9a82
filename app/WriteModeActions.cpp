#include "WriteModeActions.h"

#include "connection/ProfileBanner.h"
#include "correct/AuditView.h"
#include "correct/WriteGuard.h"
#include "correct/WriteModeDialog.h"
#include "correct/WriteModeIndicator.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QStatusBar>

namespace chronoscope {

WriteModeActions::WriteModeActions(QMainWindow *window, WriteGuard *guard, const AuditLog *log,
                                   views::ProfileBanner *banner, QMenu *corrections)
    : QObject(window)
    , m_window(window)
    , m_guard(guard)
    , m_banner(banner)
    , m_auditView(new views::AuditView(log, window))
    , m_auditDock(new QDockWidget(tr("Audit Log"), window))
    , m_indicator(new views::WriteModeIndicator(guard, window))
{
    m_auditDock->setObjectName(QStringLiteral("auditDock"));
    m_auditDock->setWidget(m_auditView);
    window->addDockWidget(Qt::LeftDockWidgetArea, m_auditDock);
    window->statusBar()->addPermanentWidget(m_indicator);
    connect(m_indicator, &views::WriteModeIndicator::unlockRequested, this, &WriteModeActions::showUnlockDialog);

    m_unlock = corrections->addAction(tr("&Unlock Writes…"), this, &WriteModeActions::showUnlockDialog);
    m_unlock->setObjectName(QStringLiteral("unlockWritesAction"));
    m_lock = corrections->addAction(tr("&Lock Writes"), guard, &WriteGuard::lock);
    m_lock->setObjectName(QStringLiteral("lockWritesAction"));
    corrections->addSeparator();
    QAction *show = corrections->addAction(tr("&Audit Log"), this, [this] {
        m_auditDock->show();
        m_auditDock->raise();
        m_auditView->reload();
    });
    show->setObjectName(QStringLiteral("auditLogAction"));
    QAction *verify = corrections->addAction(tr("&Verify Audit Log"), this, [this] {
        m_auditDock->show();
        m_auditDock->raise();
        m_auditView->verify();
    });
    verify->setObjectName(QStringLiteral("verifyAuditLogAction"));
    connect(guard, &WriteGuard::changed, this, &WriteModeActions::refresh);
    refresh();
}

void WriteModeActions::showUnlockDialog()
{
    auto *dialog = new views::WriteModeDialog(m_guard, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->open();
}

void WriteModeActions::refresh()
{
    const WriteGuard::State state = m_guard->state();
    m_unlock->setEnabled(state == WriteGuard::State::Locked);
    // An archive: the menu says why writes stay off, not just that they do.
    const bool archive = state == WriteGuard::State::ReadOnlyProfile && !m_guard->readOnlyWhy().isEmpty();
    m_unlock->setText(archive ? tr("&Unlock Writes… (an archive is read-only)") : tr("&Unlock Writes…"));
    m_unlock->setToolTip(archive ? m_guard->readOnlyReason() : tr("Unlock writes with a reason"));
    m_lock->setEnabled(state == WriteGuard::State::Unlocked);
    m_banner->setWriteState(m_guard->summary());
}

} // namespace chronoscope
