#include "MainWindow.h"

#include "ConnectionController.h"
#include "connection/ConnectionStatus.h"
#include "connection/ConnectionSettings.h"
#include "DemoReducer.h"
#include "DemoServer.h"
#include "common/ErrorBanner.h"
#include "ExportActions.h"
#include "InspectorDocks.h"
#include "LayoutStore.h"
#include "common/LoadIndicator.h"
#include "common/NotificationsDialog.h"
#include "connection/ProfileBanner.h"
#include "reducer/ReducerEditor.h"
#include "StateDocks.h"
#include "common/StatusMessage.h"
#include "streams/StreamBrowser.h"
#include "client/StreamsClient.h"
#include "ThemeManager.h"
#include "timeline/TimelineView.h"
#include "WindowActions.h"
#include "timeline/TimelineIndex.h"

#include <QCloseEvent>
#include <QDockWidget>
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
    m_browser->setModel(&m_streams);
    m_timeline->setObjectName(QStringLiteral("timelineView"));
    m_timeline->setSession(&m_session);
    addPane(QStringLiteral("streamsDock"), tr("Streams"), m_browser);
    addPane(QStringLiteral("timelineDock"), tr("Timeline"), m_timeline);
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
    m_exports = new ExportActions(this, file);
    file->addSeparator();
    m_actions = new WindowActions(this, file);
    wire();
    m_layout->restore();
}

MainWindow::~MainWindow() = default;

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
    for (QDockWidget *dock : createInspectorDocks(&m_session, this)) {
        addDockWidget(Qt::LeftDockWidgetArea, dock);
        if (auto *events = qobject_cast<EventsDock *>(dock))
            connect(events, &EventsDock::openStreamRequested, this, &MainWindow::openStreamAt);
    }
    for (QDockWidget *dock : createStateDocks(&m_session, this))
        addDockWidget(Qt::LeftDockWidgetArea, dock);
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
    connect(m_connections, &ConnectionController::connectRequested, this, [this, bar](const ConnectionSettings &s) {
        bar->setVisible(true);
        connectTo(s);
    });
    connect(m_connections, &ConnectionController::notice, this, [this](const QString &m) { showError(m); });
}

// The error banner spans the window above the docks, in a fixed bar that shows only with a message.
void MainWindow::installBanner()
{
    addToolBarBreak();
    QToolBar *bar = addToolBar(tr("Notifications"));
    bar->setObjectName(QStringLiteral("errorBannerBar"));
    bar->setMovable(false);
    bar->setFloatable(false);
    bar->toggleViewAction()->setVisible(false);
    bar->addWidget(m_banner)->setVisible(true);
    bar->setVisible(false);
    m_bannerBar = bar;
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
    connect(&m_loader, &StreamListLoader::started, this, [this]() {
        m_browser->setScanState(StreamBrowser::ScanState::Scanning);
    });
    connect(&m_loader, &StreamListLoader::streamsFound, &m_streams, &StreamListModel::appendBatch);
    connect(&m_loader, &StreamListLoader::sightingsUpdated, &m_streams, &StreamListModel::updateSightings);
    connect(&m_loader, &StreamListLoader::progress, m_browser, &StreamBrowser::setScannedEvents);
    connect(&m_loader, &StreamListLoader::finished, this, &MainWindow::onScanFinished);
    connect(m_browser, &StreamBrowser::cancelRequested, &m_loader, &StreamListLoader::cancel);
    connect(&m_loader, &StreamListLoader::sourceChanged, m_browser, &StreamBrowser::setSource);
    connect(m_browser, &StreamBrowser::queryChanged, this, [this](const StreamListQuery &query) {
        m_loader.setQuery(query);
        rescan();
    });

    // Selecting a stream loads it into the one session (the load before it is cancelled).
    connect(m_browser, &StreamBrowser::currentStreamChanged, this, [this](const QByteArray &stream) {
        if (stream != m_session.stream() || !m_session.isLoading())
            m_session.load(m_client, stream, SystemStreams::isLinkStream(stream));
    });
    connect(&m_session, &TimelineSession::loadingChanged, this, [this](bool loading) {
        if (loading)
            m_loadIndicator->start(tr("Loading %1…").arg(QString::fromUtf8(m_session.stream())));
        else
            m_loadIndicator->finish();
        checkSettled();
    });
    connect(&m_session, &TimelineSession::grown, this, &MainWindow::onTimelineGrown);
    connect(&m_session, &TimelineSession::loadFinished, this, &MainWindow::onLoadFinished);
    connect(m_loadIndicator, &views::LoadIndicator::cancelRequested, &m_session, &TimelineSession::cancel);
    connect(&m_session, &TimelineSession::liveEnded, this, [this](const ClientError &error) {
        showError(tr("Stopped following %1").arg(QString::fromUtf8(m_session.stream())), error.toString());
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
    m_loader.cancel();
    m_session.clear();
    m_streams.clear();
    auto client = std::make_shared<const StreamsClient>(settings);
    if (client->error()) {
        showError(tr("Cannot connect to %1").arg(settings.toRedactedString()), client->error().toString());
        return;
    }
    m_client = std::move(client);
    m_connectionText = settings.toRedactedString();
    m_serverVersion.clear();
    m_status->setConnecting(m_connectionText);
    m_message->clearMessage();
    for (const QString &warning : settings.warnings)
        showError(tr("Connection string warning"), warning);
    fetchServerInfo();
    rescan();
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
        connect(m_demo, &DemoServer::ready, this, [this](const QString &connection) {
            m_progress->setVisible(false);
            useDemoReducer();
            connectTo(connection);
        });
        connect(m_demo, &DemoServer::failed, this, [this](const QString &message) {
            m_progress->setVisible(false);
            showError(message);
            checkSettled();
        });
    }
    if (land && !m_streamRequested) {
        // The demo lands on the incident: a payment charged twice, cursor on the second charge.
        connect(m_demo, &DemoServer::incidentFound, this,
                [this](const DemoHistory::DoubleCharge &c) {
                    if (!m_streamRequested && m_browser->currentStream().isEmpty()) {
                        m_landing = true;
                        openStreamAt(c.paymentStream, qint64(c.duplicateRevision));
                    }
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
    auto *editor = findChild<ReducerEditor *>();
    if (path.isEmpty())
        showError(tr("The demo folds with the merge reducer"), error);
    else if (editor)
        editor->openFile(path, true);
}

void MainWindow::openStream(const QByteArray &stream)
{
    m_streamRequested = true;
    m_browser->selectStream(stream);
}

void MainWindow::openStreamAt(const QByteArray &stream, qint64 revision)
{
    m_pendingCursor = std::make_pair(stream, revision);
    if (m_session.stream() == stream && !m_session.index().isEmpty())
        onTimelineGrown();
    if (m_browser->currentStream() != stream)
        m_browser->selectStream(stream);
}

void MainWindow::onTimelineGrown()
{
    if (m_session.isLoading())
        m_loadIndicator->setText(tr("Loading %1: %2 events…")
                                     .arg(QString::fromUtf8(m_session.stream()), QLocale().toString(m_session.index().size())));
    if (!m_pendingCursor || m_pendingCursor->first != m_session.stream())
        return;
    if (const auto ordinal = m_session.index().findRevision(quint64(m_pendingCursor->second))) {
        m_session.cursor()->setPosition(qint64(*ordinal));
        m_pendingCursor.reset();
        if (std::exchange(m_landing, false))
            markDoubleCharge(*ordinal);
    }
}

// The demo's landing: A on the first charge, B on its duplicate, so that A vs B shows the incident.
void MainWindow::markDoubleCharge(quint64 duplicate)
{
    const engine::TimelineIndex &index = m_session.index();
    if (duplicate == 0 || index.typeId(duplicate - 1) != index.typeId(duplicate))
        return;
    m_session.cursor()->setMarkerA(qint64(duplicate - 1));
    m_session.cursor()->setMarkerB(qint64(duplicate));
    showStatus(tr("Demo: %1 was charged twice on day %2 (markers A and B): the incident")
                                 .arg(QString::fromUtf8(m_session.stream()))
                                 .arg(DemoHistory::kIncidentDay),
                             30000);
}

void MainWindow::onLoadFinished(const ClientError &error)
{
    if (error.kind == ClientError::Kind::Cancelled)
        showStatus(tr("Loading %1 cancelled after %2 events")
                                     .arg(QString::fromUtf8(m_session.stream()), QLocale().toString(m_session.index().size())),
                                 8000);
    else if (error)
        showError(tr("Reading %1 failed").arg(QString::fromUtf8(m_session.stream())), error.toString());
    if (m_pendingCursor && m_pendingCursor->first == m_session.stream()) {
        if (!error)
            showStatus(tr("Revision %1 is not in %2").arg(m_pendingCursor->second).arg(QString::fromUtf8(m_session.stream())), 8000);
        m_pendingCursor.reset();
    }
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
    return !(m_demo && m_demo->isStarting()) && !m_infoPending && !m_loader.isRunning() && !m_session.isLoading();
}

void MainWindow::resetLayout()
{
    m_layout->applyDefault();
}

void MainWindow::cancelLoading()
{
    m_session.cancel();
    m_loader.cancel();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_layout->save();
    m_loader.cancel();
    m_session.cancel();
    event->accept();
}

void MainWindow::rescan()
{
    if (!m_client)
        return;
    m_streams.clear();
    m_loader.start(m_client);
    m_browser->setClient(m_client);
}

void MainWindow::fetchServerInfo()
{
    m_infoPending = true;
    m_infoJob.start([this, client = m_client](const JobTracker::Job &job) {
        const ServerInfo info = client->serverInfo();
        const std::optional<EndPoint> node = client->currentNode();
        job.post([this, info, node]() {
            m_infoPending = false;
            if (info.error) {
                m_status->setUnreachable(info.error.toString());
                showError(tr("The server did not answer"), info.error.toString());
            } else {
                m_serverVersion = info.version;
                m_status->setConnected(node ? node->toString() : QString(), info.version);
            }
            checkSettled();
        });
    });
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
