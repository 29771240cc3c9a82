#pragma once

#include <QObject>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;

namespace chronoscope {

class AuditLog;
class WriteGuard;

namespace views {
class AuditView;
class ProfileBanner;
class WriteModeIndicator;
} // namespace views

/// Write mode and the audit log in the window (F9): the Corrections menu's Unlock Writes… / Lock
/// Writes / Audit Log / Verify Audit Log, the status bar's write-mode indicator, the audit dock, and
/// the profile banner kept true to the guard. MainWindow hands in the guard and the log it owns.
class WriteModeActions : public QObject
{
    Q_OBJECT
public:
    WriteModeActions(QMainWindow *window, WriteGuard *guard, const AuditLog *log, views::ProfileBanner *banner,
                     QMenu *corrections);

    QDockWidget *auditDock() const { return m_auditDock; }
    views::AuditView *auditView() const { return m_auditView; }
    views::WriteModeIndicator *indicator() const { return m_indicator; }

public Q_SLOTS:
    /// Opens the unlock dialog (window-modal, not blocking).
    void showUnlockDialog();

private:
    void refresh();

    QMainWindow *m_window;
    WriteGuard *m_guard;
    views::ProfileBanner *m_banner;
    views::AuditView *m_auditView;
    QDockWidget *m_auditDock;
    views::WriteModeIndicator *m_indicator;
    QAction *m_unlock;
    QAction *m_lock;
};

} // namespace chronoscope
