#include "MainWindow.h"

#include "ArchiveActions.h"
#include "ConnectionController.h"
#include "CorrectionActions.h"
#include "DemoLanding.h"
#include "DemoReadModels.h"
#include "DemoReducer.h"
#include "DemoServer.h"
#include "ExportActions.h"
#include "InspectorDocks.h"
#include "LayoutStore.h"
#include "ProjectionDock.h"
#include "ReadModelDocks.h"
#include "ReadModelLagDock.h"
#include "StateDocks.h"
#include "SubscriptionsActions.h"
#include "ThemeManager.h"
#include "WindowActions.h"
#include "WriteModeActions.h"
#include "client/StreamsClient.h"
#include "common/ErrorBanner.h"
#include "common/LoadIndicator.h"
#include "common/NotificationsDialog.h"
#include "common/StatusMessage.h"
#include "connection/ConnectionSettings.h"
#include "connection/ConnectionStatus.h"
#include "connection/ProfileBanner.h"
#include "connection/SessionCredentialStore.h"
#include "correct/AuditView.h"
#include "inspector/EventInspector.h"
#include "projections/ProjectionsPane.h"
#include "reducer/ReducerEditor.h"
#include "state/DiffPane.h"
#include "state/StatePane.h"
#include "streams/StreamBrowser.h"
#include "subscriptions/SubscriptionsPane.h"
#include "timeline/TimelineIndex.h"
#include "timeline/TimelineView.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QProgressBar>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>

#include <utility>

namespace chronoscope {

using views::StreamBrowser;

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_banner(new views::ErrorBanner(this))
    , m_browser(new StreamBrowser(this))
    , m_timeline(new views::TimelineView(this))
    , m_status(new views::ConnectionStatus(this))
    , m_message(new views::StatusMessage(this))
    , m_noticeButton(new QToolButton(this))
    , m_progress(new QProgressBar(this))
    , m_loadIndicator(new views::LoadIndicator(this))
    , m_themes(new ThemeManager(this))
    , m_layout(std::make_unique<LayoutStore>(this))
{
    setWindowTitle(tr("Chronoscope"));
    m_themes->restore();
    setDockNestingEnabled(true);
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks | GroupedDragging);
    m_browser->setObjectName(QStringLiteral("streamBrowser"));
    m_browser->setModel(m_workspace.streams());
    m_timeline->setObjectName(QStringLiteral("timelineView"));
    m_timeline->setSession(session());
    m_panes.streams = addPane(QStringLiteral("streamsDock"), tr("Streams"), m_browser);
    m_panes.timeline = addPane(QStringLiteral("timelineDock"), tr("Timeline"), m_timeline);
    installPanes();

    m_progress->setObjectName(QStringLiteral("seedProgress"));
    m_progress->setMaximumWidth(220);
    m_progress->setVisible(false);
    m_loadIndicator->setObjectName(QStringLiteral("loadIndicator"));
    // Nothing here goes through QStatusBar::showMessage(), which would hide these widgets.
    statusBar()->addWidget(m_progress);
    statusBar()->addWidget(m_loadIndicator);
    statusBar()->addWidget(m_message, 1);
    statusBar()->addPermanentWidget(m_noticeButton);
    statusBar()->addPermanentWidget(m_status);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    installConnections(file);
    installBanner();
    m_archives = new ArchiveActions(this, &m_workspace, file);
    m_exports = new ExportActions(this, &m_workspace, m_panes.events, m_connections->credentials(), file);
    m_archives->addExport(file, m_exports->signingKey());
    file->addSeparator();
    QMenu *corrections = installCorrections();
    installSubscriptions(); // before the View menu, which lists the panes
    installProjections();
    m_actions = new WindowActions(this, m_panes, file);
    menuBar()->insertMenu(menuBar()->actions().constLast(), corrections); // before Help
    wire();
    wireWorkspace();
    m_layout->restore();
}

MainWindow::~MainWindow()
{
    // The docks show what the workspace holds: they go first.
    m_workspace.cancelLoading();
    for (QDockWidget *dock : m_panes.all())
        delete dock;
}

QDockWidget *MainWindow::addPane(const QString &objectName, const QString &title, QWidget *widget)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(widget);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    return dock;
}

// The panes over the session: the event list and inspector (F3, F4), then state, diff and reducer
// (F6, F7). LayoutStore arranges the docks by objectName, whoever made them.
void MainWindow::installPanes()
{
    TimelineSession *session = m_workspace.session();
    FoldController *fold = m_workspace.fold();
    m_panes.events = new EventsDock(session, this);
    m_panes.inspector = new InspectorDock(session, this);
    const StateDocks state = createStateDocks(fold, session, this);
    m_panes.state = state.state;
    m_panes.diff = state.diff;
    m_panes.reducer = state.reducer;
    addDockWidget(Qt::LeftDockWidgetArea, m_panes.events);
    addDockWidget(Qt::LeftDockWidgetArea, m_panes.inspector);
    for (QDockWidget *dock : state.docks())
        addDockWidget(Qt::LeftDockWidgetArea, dock);
    m_panes.readModelLag = m_lagDock = new ReadModelLagDock(this);
    addDockWidget(Qt::LeftDockWidgetArea, m_lagDock);
    // Causes and correlations outside the loaded timeline open their stream.
    connect(m_panes.inspector->inspector(), &views::EventInspector::openStreamRequested, this,
            &MainWindow::openStreamAt);
    // Read models (issue 14): the row beside the fold and the drift report.
    m_readModels = new ReadModelDocks(this, &m_workspace, m_panes.diff);
    m_panes.readModel = m_readModels->rowDock();
    m_panes.drift = m_readModels->driftDock();
    addDockWidget(Qt::LeftDockWidgetArea, m_panes.readModel);
    addDockWidget(Qt::LeftDockWidgetArea, m_panes.drift);
}

// Connections (F1) live in ConnectionController; the window only offers its action and menu, shows
// its banner in a fixed top bar and connects as asked.
void MainWindow::installConnections(QMenu *file)
{
    m_connections = new ConnectionController(this);
    file->addAction(m_connections->connectAction());
    file->addMenu(m_connections->recentMenu());
    file->addSeparator();
    QToolBar *bar = addToolBar(tr("Connection Profile"));
    bar->setObjectName(QStringLiteral("profileBannerBar"));
    bar->setMovable(false);
    bar->setFloatable(false);
    bar->toggleViewAction()->setVisible(false);
    bar->addWidget(m_connections->banner())->setVisible(true); // a toolbar shows widgets by action
    bar->setVisible(false); // until a profile is connected
    connect(m_connections, &ConnectionController::connectRequested, this,
            [this, bar](const ConnectionSettings &s, const WriteProfile &profile) {
                bar->setVisible(true);
                connectTo(s);
                m_workspace.writeGuard()->setProfile(profile); // the profile decides what writes may do
                m_readModels->useProfile(profile.name, m_connections); // its read-model endpoints
            });
    connect(m_connections, &ConnectionController::notice, this, [this](const QString &m) { showError(m); });
}

// Corrections (F9): the composer dock and its menu. The guard, audit log and drafts are the workspace's.
QMenu *MainWindow::installCorrections()
{
    auto *menu = new QMenu(tr("&Corrections"), this);
    menu->setObjectName(QStringLiteral("correctionsMenu"));
    m_corrections = new CorrectionActions(this, &m_workspace, m_panes, menu);
    m_panes.composer = m_corrections->dock();
    addDockWidget(Qt::LeftDockWidgetArea, m_panes.composer);
    menu->addSeparator();
    m_writeMode = new WriteModeActions(this, m_workspace.writeGuard(), m_workspace.auditLog(), m_connections->banner(),
                                       menu);
    m_panes.audit = m_writeMode->auditDock();
    connect(m_corrections, &CorrectionActions::unlockRequested, m_writeMode, &WriteModeActions::showUnlockDialog);
    connect(m_writeMode->auditView(), &views::AuditView::openEventRequested, this, &MainWindow::showEventAt);
    // Every append attempt wrote to the audit log: the view shows it at once.
    connect(m_corrections->session(), &CorrectionSession::appendFinished, m_writeMode->auditView(),
            &views::AuditView::reload);
    connect(m_corrections->session(), &CorrectionSession::readBackFinished, m_writeMode->auditView(),
            &views::AuditView::reload);
    return menu;
}

// Persistent subscriptions (issue 18): the pane's parked messages open like any stream; its writes
// use the workspace's guard and audit log, and show in the audit view.
void MainWindow::installSubscriptions()
{
    m_subscriptions = new SubscriptionsActions(this, &m_workspace);
    m_panes.subscriptions = m_subscriptions->dock();
    addDockWidget(Qt::LeftDockWidgetArea, m_panes.subscriptions);
    views::SubscriptionsPane *pane = m_subscriptions->pane();
    connect(pane, &views::SubscriptionsPane::openStreamRequested, this, [this](const QByteArray &stream) {
        m_browser->goToStream(stream);
        raiseEventDocks();
    });
    connect(pane, &views::SubscriptionsPane::openEventRequested, this, &MainWindow::showEventAt);
    connect(pane, &views::SubscriptionsPane::unlockRequested, m_writeMode, &WriteModeActions::showUnlockDialog);
    connect(pane, &views::SubscriptionsPane::operationFinished, m_writeMode->auditView(), &views::AuditView::reload);
    connect(&m_workspace, &Workspace::archiveOpened, m_subscriptions, &SubscriptionsActions::clearConnection);
}

void MainWindow::installProjections()
{
    m_projections = new ProjectionDock(&m_workspace, this);
    m_panes.projections = m_projections;
    addDockWidget(Qt::LeftDockWidgetArea, m_projections);
    statusBar()->addPermanentWidget(m_projections->healthButton());
    views::ProjectionsPane *pane = m_projections->pane();
    connect(pane, &views::ProjectionsPane::unlockRequested, m_writeMode, &WriteModeActions::showUnlockDialog);
    connect(pane, &views::ProjectionsPane::statusMessage, this, [this](const QString &m) { showStatus(m, 8000); });
    // Every projection change wrote to the audit log.
    connect(pane, &views::ProjectionsPane::commandFinished, m_writeMode->auditView(), &views::AuditView::reload);
    // A compared partition: server vs local fold in the diff pane.
    connect(pane, &views::ProjectionsPane::diffRequested, this,
            [this](const engine::DiffResult &diff, const QString &title, const QString &before, const QString &after,
                   const QString &message) {
                m_panes.diff->pane()->showProjection(diff, title, before, after, message);
                m_panes.diff->reveal();
            });
    // The event that made a partition wrong: its stream in the event list, the event under the cursor.
    connect(pane, &views::ProjectionsPane::openEventRequested, this, &MainWindow::showEventAt);
}

// The error banner spans the window above the docks, in a fixed bar that shows only with a message.
void MainWindow::installBanner()
{
    m_bannerBar = addBannerBar(tr("Notifications"), QStringLiteral("errorBannerBar"), m_banner);
    m_banner->installEventFilter(this);
    connect(m_banner, &views::ErrorBanner::showAllRequested, this, &MainWindow::showNotices);

    // A status-bar count of the session's notices, the way back to dismissed ones.
    m_noticeButton->setObjectName(QStringLiteral("noticesButton"));
    m_noticeButton->setAutoRaise(true);
    m_noticeButton->setVisible(false);
    connect(m_noticeButton, &QToolButton::clicked, this, &MainWindow::showNotices);
    auto update = [this] {
        m_noticeButton->setVisible(m_notices.count() > 0);
        m_noticeButton->setText(m_notices.unseen() > 0 ? tr("⚠ %1 new").arg(m_notices.unseen())
                                                        : tr("⚠ %1").arg(m_notices.count()));
        m_noticeButton->setToolTip(tr("%n notice(s) this session: click to list them", nullptr, m_notices.count()));
    };
    connect(&m_notices, &NotificationLog::unseenChanged, this, update);
    connect(&m_notices, &QAbstractItemModel::rowsInserted, this, update);
    connect(&m_notices, &QAbstractItemModel::modelReset, this, update);
}

QToolBar *MainWindow::addBannerBar(const QString &title, const QString &objectName, QWidget *banner)
{
    addToolBarBreak();
    QToolBar *bar = addToolBar(title);
    bar->setObjectName(objectName);
    bar->setMovable(false);
    bar->setFloatable(false);
    bar->toggleViewAction()->setVisible(false);
    bar->addWidget(banner)->setVisible(true); // a toolbar shows widgets by action
    bar->setVisible(false);
    return bar;
}

void MainWindow::showNotices()
{
    if (!m_noticesDialog)
        m_noticesDialog = new views::NotificationsDialog(&m_notices, this);
    m_noticesDialog->show();
    m_noticesDialog->raise();
    m_noticesDialog->activateWindow();
}

void MainWindow::showStatus(const QString &text, int timeoutMs)
{
    m_message->showMessage(text, timeoutMs);
}

void MainWindow::wire()
{
    StreamListLoader *loader = m_workspace.loader();
    connect(loader, &StreamListLoader::started, this,
            [this]() { m_browser->setScanState(StreamBrowser::ScanState::Scanning); });
    connect(loader, &StreamListLoader::progress, m_browser, &StreamBrowser::setScannedEvents);
    connect(loader, &StreamListLoader::finished, this, &MainWindow::onScanFinished);
    connect(m_browser, &StreamBrowser::cancelRequested, loader, &StreamListLoader::cancel);
    connect(loader, &StreamListLoader::sourceChanged, m_browser, &StreamBrowser::setSource);
    connect(m_browser, &StreamBrowser::queryChanged, this, [this, loader](const StreamListQuery &query) {
        loader->setQuery(query);
        rescan();
    });

    // Selecting a stream loads it into the one session (the load before it is cancelled).
    connect(m_browser, &StreamBrowser::currentStreamChanged, &m_workspace, &Workspace::load);
    TimelineSession *session = m_workspace.session();
    connect(session, &TimelineSession::loadingChanged, this, [this, session](bool loading) {
        if (loading)
            m_loadIndicator->start(tr("Loading %1…").arg(QString::fromUtf8(session->stream())));
        else
            m_loadIndicator->finish();
        checkSettled();
    });
    connect(session, &TimelineSession::grown, this, &MainWindow::onTimelineGrown);
    connect(session, &TimelineSession::loadFinished, this, &MainWindow::onLoadFinished);
    connect(m_loadIndicator, &views::LoadIndicator::cancelRequested, session, &TimelineSession::cancel);
    connect(session, &TimelineSession::liveEnded, this, [this, session](const ClientError &error) {
        showError(tr("Stopped following %1").arg(QString::fromUtf8(session->stream())), error.toString());
    });
    connect(m_workspace.cursorRequest(), &CursorRequest::missing, this,
            [this](const QByteArray &stream, qint64 revision) {
                showStatus(tr("Revision %1 is not in %2").arg(revision).arg(QString::fromUtf8(stream)), 8000);
            });
}

// The connection's life as the status bar tells it.
void MainWindow::wireWorkspace()
{
    connect(&m_workspace, &Workspace::connected, this, [this](const QString &connection) {
        m_status->setConnecting(connection);
        m_message->clearMessage();
        m_browser->setClient(m_workspace.client());
    });
    connect(&m_workspace, &Workspace::serverAnswered, this, [this](const QString &node, const QString &version) {
        m_status->setConnected(node, version);
        checkSettled();
    });
    // An archive instead of a server (ArchiveActions shows its banner): nothing to list or ask.
    connect(&m_workspace, &Workspace::archiveOpened, this, [this](const QString &path) {
        m_status->setOffline(tr("Offline: archive %1").arg(QFileInfo(path).fileName()));
        m_message->clearMessage();
        m_connections->banner()->clearProfile();
        m_browser->setClient({});
        m_browser->setScanState(StreamBrowser::ScanState::Complete);
        checkSettled();
    });
    connect(&m_workspace, &Workspace::archiveFailed, this, &MainWindow::checkSettled);
    connect(&m_workspace, &Workspace::archiveCancelled, this, &MainWindow::checkSettled);
    connect(&m_workspace, &Workspace::serverUnreachable, this, [this](const ClientError &error) {
        m_status->setUnreachable(error.toString());
        showError(tr("The server did not answer"), error.toString());
        checkSettled();
    });
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    // Dismissing the banner hides it; its bar follows. (Showing goes through showError(): the
    // toolbar itself shows its widgets whenever it lays them out.)
    if (watched == m_banner && event->type() == QEvent::HideToParent)
        m_bannerBar->hide();
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::connectTo(const ConnectionSettings &settings)
{
    if (const ClientError error = m_workspace.connectTo(settings)) {
        showError(tr("Cannot connect to %1").arg(settings.toRedactedString()), error.toString());
        return;
    }
    m_subscriptions->setConnection(settings);
    m_projections->useConnection(settings);
    for (const QString &warning : settings.warnings)
        showError(tr("Connection string warning"), warning);
}

bool MainWindow::connectTo(const QString &connectionString)
{
    const ConnectionString::Result parsed = ConnectionString::parse(connectionString);
    if (!parsed.ok()) {
        showError(tr("Invalid connection string: %1").arg(parsed.error),
                  tr("Expected e.g. kurrentdb://localhost:2113?tls=false"));
        return false;
    }
    connectTo(parsed.settings);
    return true;
}

void MainWindow::startDemo(const DemoHistory::Options &options, bool land)
{
    if (!m_demo) {
        m_demo = new DemoServer(this);
        connect(m_demo, &DemoServer::progress, this, &MainWindow::onDemoProgress);
        connect(m_demo, &DemoServer::ready, this, [this, options](const QString &connection) {
            m_progress->setVisible(false);
            useDemoReducer();
            connectTo(connection);
            startDemoReadModels(options, connection);
        });
        connect(m_demo, &DemoServer::failed, this, [this](const QString &message) {
            m_progress->setVisible(false);
            showError(message);
            checkSettled();
        });
    }
    if (land && !m_streamRequested) {
        // The demo lands on the incident (DemoLanding), unless a stream was chosen meanwhile.
        if (!m_landing) {
            m_landing = new DemoLanding(&m_workspace, this);
            connect(m_landing, &DemoLanding::openRequested, this, &MainWindow::openStreamAt);
            connect(m_landing, &DemoLanding::landed, this,
                    [this](const QString &message) { showStatus(message, 30000); });
        }
        connect(
            m_demo, &DemoServer::incidentFound, m_landing,
            [this](const DemoHistory::DoubleCharge &c) {
                if (!m_streamRequested && m_browser->currentStream().isEmpty())
                    m_landing->land(c);
            },
            Qt::SingleShotConnection);
    }
    m_status->setStarting(tr("Seeding the demo history…"));
    m_progress->setVisible(true);
    m_demo->start(options);
}

// The demo folds with its own reducer file (orders and payments, the double-charge invariant).
void MainWindow::useDemoReducer()
{
    QString error;
    const QString path = DemoReducer::install(&error);
    if (path.isEmpty())
        showError(tr("The demo folds with the merge reducer"), error);
    else
        m_panes.reducer->editor()->openFile(path, true);
    m_demoReducerPath = path;
}

void MainWindow::openStream(const QByteArray &stream)
{
    m_streamRequested = true;
    m_browser->selectStream(stream);
}

void MainWindow::openStreamAt(const QByteArray &stream, qint64 revision)
{
    m_workspace.cursorRequest()->request(stream, revision);
    if (m_browser->currentStream() != stream)
        m_browser->selectStream(stream);
}

void MainWindow::showEventAt(const QByteArray &stream, qint64 revision)
{
    openStreamAt(stream, revision);
    raiseEventDocks();
}

void MainWindow::raiseEventDocks()
{
    // Asked for from a pane that may lie over them: the event list and the inspector come to the front.
    for (QDockWidget *dock :
         {static_cast<QDockWidget *>(m_panes.events), static_cast<QDockWidget *>(m_panes.inspector)}) {
        dock->show();
        dock->raise();
    }
}

void MainWindow::onTimelineGrown()
{
    const TimelineSession *session = m_workspace.session();
    if (session->isLoading())
        m_loadIndicator->setText(
            tr("Loading %1: %2 events…")
                .arg(QString::fromUtf8(session->stream()), QLocale().toString(session->index().size())));
}

void MainWindow::onLoadFinished(const ClientError &error)
{
    const TimelineSession *session = m_workspace.session();
    if (error.kind == ClientError::Kind::Cancelled)
        showStatus(tr("Loading %1 cancelled after %2 events")
                       .arg(QString::fromUtf8(session->stream()), QLocale().toString(session->index().size())),
                   8000);
    else if (error)
        showError(tr("Reading %1 failed").arg(QString::fromUtf8(session->stream())), error.toString());
}

// Each notice is shown once: a repeat raises the count of the one on show, or only the count in
// the notices list when it was dismissed.
void MainWindow::showError(const QString &message, const QString &details)
{
    const auto [row, isNew] = m_notices.add(message, details);
    if (isNew) {
        m_banner->showError(message, details);
        m_bannerBar->show();
    } else if (m_banner->message() == message && m_banner->details() == details) {
        m_banner->setRepeats(m_notices.entry(row).count);
    }
}

bool MainWindow::isSettled() const
{
    return !(m_demo && m_demo->isStarting()) && !(m_demoReadModels && m_demoReadModels->isStarting())
        && !m_workspace.isBusy();
}

void MainWindow::resetLayout()
{
    m_layout->applyDefault();
}

void MainWindow::cancelLoading()
{
    m_workspace.cancelLoading();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_layout->save();
    m_workspace.cancelLoading();
    m_lagDock->stop();
    event->accept();
}

void MainWindow::rescan()
{
    if (!m_workspace.client())
        return;
    m_workspace.rescan();
    m_browser->setClient(m_workspace.client());
}

void MainWindow::onScanFinished(const ClientError &error)
{
    using State = StreamBrowser::ScanState;
    if (error.kind == ClientError::Kind::Cancelled) {
        m_browser->setScanState(State::Cancelled);
    } else if (error) {
        m_browser->setScanState(State::Failed);
        showError(tr("Listing the streams failed"), error.toString());
    } else {
        m_browser->setScanState(State::Complete);
    }
    checkSettled();
}

void MainWindow::onDemoProgress(quint64 seeded, quint64 total)
{
    // The bar counts in thousands: QProgressBar is int-based and demo histories reach 10M.
    m_progress->setRange(0, int(std::max<quint64>(1, total / 1000)));
    m_progress->setValue(int(std::min(seeded, total) / 1000));
    m_progress->setFormat(tr("%1 of %2 events").arg(QLocale().toString(seeded), QLocale().toString(total)));
}

void MainWindow::checkSettled()
{
    if (isSettled())
        Q_EMIT settled();
}

} // namespace chronoscope
