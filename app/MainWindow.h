#pragma once

#include "Panes.h"
#include "Workspace.h"
#include "base/NotificationLog.h"
#include "demo/DemoHistory.h"

#include <QMainWindow>

#include <memory>
#include <optional>

class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QToolBar;
class QToolButton;

namespace chronoscope {

class ArchiveActions;
class ConnectionController;
class CorrectionActions;
class DemoLanding;
class DemoReadModels;
class ReadModelLagDock;
class DemoServer;
class ExportActions;
class ReadModelDocks;
class LayoutStore;
class ProjectionDock;
class StreamsClient;
class SubscriptionsActions;
class ThemeManager;
class WindowActions;
class WriteModeActions;
struct ConnectionSettings;

namespace views {
class ConnectionStatus;
class ErrorBanner;
class NotificationsDialog;
class StatusMessage;
class LoadIndicator;
class StreamBrowser;
class TimelineView;
}

/// The composition root: owns the Workspace (client, stream list, timeline session, fold
/// controller), builds the docks around it and hands each what it shows. It decides what happens
/// when, never how anything is computed. Menus live in WindowActions, exports in ExportActions,
/// dock arrangement in LayoutStore, the demo's landing in DemoLanding.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Connects to a server and starts listing its streams; errors go to the error banner.
    void connectTo(const ConnectionSettings &settings);
    /// Parses `connectionString` and connects; a bad string is shown in the error banner.
    bool connectTo(const QString &connectionString);
    /// Starts the in-process demo server, seeds it off the GUI thread, then connects to it. With
    /// `land`, opens a payment the incident charged twice, cursor on the duplicate charge.
    void startDemo(const DemoHistory::Options &options, bool land = true);
    /// Selects `stream` in the browser as soon as it is listed (and so loads it).
    void openStream(const QByteArray &stream);
    /// Opens `stream` and puts the cursor on `revision` once it is loaded (correlation/causation
    /// navigation and the demo landing use it).
    void openStreamAt(const QByteArray &stream, qint64 revision);
    /// openStreamAt(), with the event list and the inspector brought to the front: for a pane's "open the event".
    void showEventAt(const QByteArray &stream, qint64 revision);
    /// A notice in the banner, shown once (see NotificationLog); `details` behind its Details button.
    void showError(const QString &message, const QString &details = {});
    /// A passing message in the status bar (0: until the next one).
    void showStatus(const QString &text, int timeoutMs = 0);
    /// The list of every notice of the session (non-modal).
    void showNotices();
    const NotificationLog &notices() const { return m_notices; }
    /// The connection in use, redacted (no credentials), and the version its server said.
    QString connectionText() const { return m_workspace.connectionText(); }
    QString serverVersion() const { return m_workspace.serverVersion(); }
    std::shared_ptr<const StreamsClient> client() const { return m_workspace.client(); }

    /// Nothing is loading: seeding, server info, stream scan and timeline have all ended.
    bool isSettled() const;

    Workspace *workspace() { return &m_workspace; }
    TimelineSession *session() { return m_workspace.session(); }
    const Panes &panes() const { return m_panes; }
    ConnectionController *connections() const { return m_connections; }
    ExportActions *exports() const { return m_exports; }
    /// File ▸ Open Archive… and Export Archive… (issue 15): archives opened offline, and written.
    ArchiveActions *archives() const { return m_archives; }
    /// The composer and its actions (F9).
    CorrectionActions *corrections() const { return m_corrections; }
    /// Write mode and the audit view (F9).
    WriteModeActions *writeMode() const { return m_writeMode; }
    /// The read-model row beside the fold and the drift report (issue 14), with their endpoints.
    ReadModelDocks *readModels() const { return m_readModels; }
    /// The Subscriptions pane (issue 18).
    SubscriptionsActions *subscriptions() const { return m_subscriptions; }
    /// The server's projections (issue 13).
    ProjectionDock *projections() const { return m_projections; }
    views::TimelineView *timelineView() const { return m_timeline; }
    views::StreamBrowser *streamBrowser() const { return m_browser; }
    ThemeManager *themes() const { return m_themes; }
    /// A bar across the window above the docks, on a line of its own, holding `banner`: not movable,
    /// not in the toolbar menu, hidden until whoever owns the banner shows it.
    QToolBar *addBannerBar(const QString &title, const QString &objectName, QWidget *banner);
    /// Back to the default dock arrangement.
    void resetLayout();
    /// Esc: stops the timeline load and the stream scan; what was read stays.
    void cancelLoading();
    /// Lists the server's streams again.
    void rescan();

Q_SIGNALS:
    /// Emitted whenever the window becomes settled (see isSettled()).
    void settled();

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// The event list and the inspector, shown and in front (over a pane tabbed with them).
    void raiseEventDocks();
    QDockWidget *addPane(const QString &objectName, const QString &title, QWidget *widget);
    void installPanes();
    void installConnections(QMenu *file);
    void installBanner();
    /// The Corrections menu (composer, write mode, audit log); placed in the menu bar by the caller.
    QMenu *installCorrections();
    void installSubscriptions();
    /// The Projections dock and its status-bar health button (issue 13).
    void installProjections();
    void wire();
    void wireWorkspace();
    void onScanFinished(const ClientError &error);
    void onDemoProgress(quint64 seeded, quint64 total);
    void onTimelineGrown();
    void onLoadFinished(const ClientError &error);
    void useDemoReducer();
    /// The demo's PostgreSQL and Redis read models, started once the demo server is seeded (MainWindowReadModels.cpp).
    void startDemoReadModels(const DemoHistory::Options &options, const QString &connection);
    void checkSettled();

    Workspace m_workspace;
    NotificationLog m_notices;
    bool m_streamRequested = false; ///< openStream() was asked: the demo does not land elsewhere

    DemoServer *m_demo = nullptr; // a child: destroyed after the members above
    DemoLanding *m_landing = nullptr;
    DemoReadModels *m_demoReadModels = nullptr;
    ReadModelLagDock *m_lagDock = nullptr;
    QString m_demoReducerPath;
    Panes m_panes;
    views::ErrorBanner *m_banner;
    QToolBar *m_bannerBar = nullptr;
    views::StreamBrowser *m_browser;
    views::TimelineView *m_timeline;
    views::ConnectionStatus *m_status;
    views::StatusMessage *m_message;
    QToolButton *m_noticeButton;
    views::NotificationsDialog *m_noticesDialog = nullptr;
    QProgressBar *m_progress;
    views::LoadIndicator *m_loadIndicator;
    ConnectionController *m_connections = nullptr;
    ThemeManager *m_themes;
    std::unique_ptr<LayoutStore> m_layout;
    WindowActions *m_actions = nullptr;
    ExportActions *m_exports = nullptr;
    ArchiveActions *m_archives = nullptr;
    CorrectionActions *m_corrections = nullptr;
    WriteModeActions *m_writeMode = nullptr;
    ReadModelDocks *m_readModels = nullptr;
    SubscriptionsActions *m_subscriptions = nullptr;
    ProjectionDock *m_projections = nullptr;
};

} // namespace chronoscope
