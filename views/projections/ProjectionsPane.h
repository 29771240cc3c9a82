#pragma once

#include "base/JobTracker.h"
#include "correct/AuditEntry.h"
#include "correct/ProjectionCommand.h"
#include "json/JsonDiff.h"
#include "projections/ProjectionInspector.h"
#include "projections/ProjectionMonitor.h"

#include <QWidget>

class QAction;
class QLabel;
class QSpinBox;
class QTableView;
class QToolBar;

namespace chronoscope {
class AuditLog;
class WriteGuard;
} // namespace chronoscope

namespace chronoscope::views {

class ProjectionDetailView;
class ProjectionListModel;

/// The Projections pane (issue 13): every projection of the server with its statistics, lag and health,
/// refreshed by a ProjectionMonitor in a worker; the selected one's source, partitions, state and result;
/// and, with writes unlocked (WriteGuard), create, update, enable, disable, reset and delete, each confirmed
/// in a dialog and recorded in the audit log (ProjectionManager).
class ProjectionsPane : public QWidget
{
    Q_OBJECT
public:
    /// `guard` and `auditLog` are not owned and outlive the pane.
    ProjectionsPane(WriteGuard *guard, const AuditLog *auditLog, QWidget *parent = nullptr);
    ~ProjectionsPane() override;

    /// The server (both null: none). `op` is who the audit log names.
    void setClients(std::shared_ptr<const ProjectionsClient> projections, std::shared_ptr<const StreamsClient> streams,
                    const AuditOperator &op);

    ProjectionMonitor *monitor() const { return m_monitor; }
    ProjectionListModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    ProjectionDetailView *detail() const { return m_detail; }
    QSpinBox *stallSpin() const { return m_stall; }
    QLabel *messageLabel() const { return m_message; }
    QAction *action(ProjectionCommand::Action action) const;
    QAction *refreshAction() const { return m_refresh; }

    /// Selects the projection named `name` (once listed).
    void select(const QString &name);
    QString currentName() const;

    /// Opens the confirmation of `command` (window-modal, not blocking); confirmed, it runs in a worker.
    void request(const ProjectionCommand &command);
    bool isRunningCommand() const { return m_commandPending; }

    /// "2 stalled, 1 faulted" or empty when every projection is healthy.
    QString healthSummary() const;

    /// The QSettings key of the stall time in seconds.
    static QString stallSettingKey();

Q_SIGNALS:
    /// A management action while writes are locked: the app shows its unlock dialog.
    void unlockRequested();
    void commandFinished(const chronoscope::ProjectionCommandOutcome &outcome);
    /// The health of the projections changed (healthSummary()).
    void healthChanged(const QString &summary, const QString &details);
    /// A passing message for the status bar.
    void statusMessage(const QString &text);
    /// A compared partition: the server's state (before) vs the local fold's (after), for the diff pane.
    void diffRequested(const chronoscope::engine::DiffResult &diff, const QString &title, const QString &beforeLabel,
                       const QString &afterLabel, const QString &message);
    /// Open `stream` in the event list with the event at `revision` under the cursor (the event that made a
    /// partition wrong).
    void openEventRequested(const QByteArray &stream, qint64 revision);

protected:
    /// Hidden, the pane keeps only the status bar's health up to date (ProjectionMonitor::setHealthOnly):
    /// no lag reads, no re-reading of the selected projection; shown, it looks in full at once.
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void buildActions(QToolBar *bar);
    void onUpdated();
    void syncActions();
    void trigger(ProjectionCommand::Action action);
    void runConfirmed(const ProjectionCommand &command, const QString &typedProfileName);

    WriteGuard *m_guard;
    const AuditLog *m_auditLog;
    AuditOperator m_operator;
    ProjectionMonitor *m_monitor;
    ProjectionInspector *m_inspector;
    ProjectionListModel *m_model;
    QTableView *m_table;
    ProjectionDetailView *m_detail;
    QLabel *m_message;
    QSpinBox *m_stall;
    QAction *m_refresh;
    QList<QAction *> m_actions; ///< by ProjectionCommand::Action
    QString m_wanted;           ///< select() before it was listed
    QString m_lastHealth;
    QString m_shownAt; ///< the selected one's position and status when its detail was read
    bool m_commandPending = false;
    bool m_messageIsListError = false; ///< the message shown is the list's error (a look clears it)
    JobTracker m_commandJob{this};
};

} // namespace chronoscope::views
