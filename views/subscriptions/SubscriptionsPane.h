#pragma once

#include "base/JobTracker.h"
#include "correct/AuditEntry.h"
#include "correct/SubscriptionWrite.h"

#include <QWidget>

#include <memory>
#include <optional>

class QAction;
class QLabel;
class QPushButton;
class QTableView;
class QTimer;
class QToolBar;

namespace chronoscope {
class AuditLog;
class PersistentSubscriptionsClient;
class StreamsClient;
class WriteGuard;
} // namespace chronoscope

namespace chronoscope::views {

class SubscriptionDetails;
class SubscriptionsModel;

/// The Subscriptions pane (issue 18): every persistent subscription group of the server with its
/// status, strategy, clients, in-flight and parked messages, lag and checkpoint, read again every
/// few seconds in a worker while the pane is shown; the selected group's settings and clients.
/// Its actions: open the parked messages (openStreamRequested(), the window opens the stream like
/// any other), and the writes — replay parked, create, update, delete — each confirmed in a
/// SubscriptionWriteDialog and run through SubscriptionWriter (write guard, audit log) in a worker.
class SubscriptionsPane : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kRefreshMs = 3000;
    /// The selected group's parked messages listed in its details (oldest first).
    static constexpr int kParkedShown = 500;
    /// How long a write's outcome stays in the message line before the group count replaces it.
    static constexpr int kOutcomeShownMs = 15000;
    /// The timer's refresh reads the parked messages again only when the group's parked count moved, or after
    /// this long (each read resolves up to kParkedShown links); Refresh, a new selection and a write read them.
    static constexpr int kParkedMaxAgeMs = 30000;

    explicit SubscriptionsPane(QWidget *parent = nullptr);
    ~SubscriptionsPane() override;

    /// The connection's clients; null when there is none (an archive, nothing connected).
    void setClients(std::shared_ptr<const PersistentSubscriptionsClient> client,
                    std::shared_ptr<const StreamsClient> streams);
    /// What writes go through; none owned, all outlive the pane.
    void setWriteAccess(const WriteGuard *guard, const AuditLog *auditLog, const AuditOperator &op);
    void setAuditOperator(const AuditOperator &op) { m_operator = op; }

    /// Reads the groups again now (in a worker); refreshed() when they are shown.
    void refresh();
    bool isRefreshing() const { return m_refreshing; }
    /// How many times the parked messages were read (they are not read again while they cannot have changed).
    int parkedReads() const { return m_parkedReads; }
    bool isWriting() const { return m_writing; }

    SubscriptionsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    SubscriptionDetails *details() const { return m_details; }
    QLabel *messageLabel() const { return m_message; }
    std::optional<PersistentGroup> currentGroup() const;
    void selectGroup(const PersistentGroup &group);

    QAction *refreshAction() const { return m_refresh; }
    QAction *openParkedAction() const { return m_openParked; }
    QAction *replayAction() const { return m_replay; }
    QAction *createAction() const { return m_create; }
    QAction *editAction() const { return m_edit; }
    QAction *deleteAction() const { return m_delete; }

    /// Opens the confirmation of `kind` for the selected group (a new one for Create); the write
    /// runs when it is accepted. Refused at once, with the way to unlock, while writes are off.
    void startWrite(SubscriptionOperation::Kind kind);
    /// Runs a confirmed operation in a worker; operationFinished() with the outcome.
    void runOperation(const SubscriptionOperation &operation, const QString &typedProfileName = {});

Q_SIGNALS:
    void openStreamRequested(const QByteArray &stream);
    /// A parked message's original event (from the details' Parked tab).
    void openEventRequested(const QByteArray &stream, qint64 revision);
    /// The pane's "Unlock Writes…": the window shows its write-mode dialog.
    void unlockRequested();
    void refreshed();
    void operationFinished(const chronoscope::SubscriptionWriteOutcome &outcome);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void buildActions(QToolBar *bar);
    void onCurrentChanged();
    void syncActions();
    void showMessage(const QString &text, bool problem = false);

    std::shared_ptr<const PersistentSubscriptionsClient> m_client;
    std::shared_ptr<const StreamsClient> m_streams;
    const WriteGuard *m_guard = nullptr;
    const AuditLog *m_auditLog = nullptr;
    AuditOperator m_operator;
    SubscriptionsModel *m_model;
    QTableView *m_table;
    SubscriptionDetails *m_details;
    QLabel *m_message;
    QPushButton *m_unlock;
    QTimer *m_timer;
    QAction *m_refresh = nullptr;
    QAction *m_openParked = nullptr;
    QAction *m_replay = nullptr;
    QAction *m_create = nullptr;
    QAction *m_edit = nullptr;
    QAction *m_delete = nullptr;
    bool m_refreshing = false;
    bool m_writing = false;
    /// The parked messages shown: whose, the group's parked count when they were read (-1: read them again at
    /// the next refresh), and since when.
    struct ParkedShown
    {
        QByteArray stream;
        QString group;
        qint64 count = -1;
        qint64 readAtMs = 0;
    };
    ParkedShown m_parkedShown;
    int m_parkedReads = 0;
    qint64 m_messageHeldUntil = 0; ///< ms since the epoch: a write's outcome is shown until then
    // Last: their workers end before the members above go.
    JobTracker m_refreshJob{this};
    JobTracker m_writeJob{this};
};

} // namespace chronoscope::views
