#include "MainWindow.h"

#include "ConnectionController.h"
#include "ConnectionSettings.h"
#include "DemoServer.h"
#include "ErrorBanner.h"
#include "EventsPane.h"
#include "ProfileBanner.h"
#include "StreamBrowser.h"
#include "StreamsClient.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace chronoscope {

using views::StreamBrowser;

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_banner(new views::ErrorBanner(this))
    , m_browser(new StreamBrowser(this))
    , m_eventsPane(new views::EventsPane(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_connectionLabel(new QLabel(tr("Not connected"), this))
    , m_versionLabel(new QLabel(this))
    , m_progress(new QProgressBar(this))
{
    setWindowTitle(tr("Chronoscope"));
    m_browser->setObjectName(QStringLiteral("streamBrowser"));
    m_browser->setModel(&m_streams);
    m_eventsPane->setObjectName(QStringLiteral("eventsPane"));
    m_eventsPane->setModel(&m_events);

    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_browser);
    m_splitter->addWidget(m_eventsPane);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({340, 940});
    m_splitter->setChildrenCollapsible(false);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_connectionLabel->setObjectName(QStringLiteral("connectionLabel"));
    m_versionLabel->setObjectName(QStringLiteral("versionLabel"));
    m_progress->setObjectName(QStringLiteral("seedProgress"));
    m_progress->setMaximumWidth(220);
    m_progress->setVisible(false);
    statusBar()->addWidget(m_connectionLabel);
    statusBar()->addWidget(m_progress);
    statusBar()->addPermanentWidget(m_versionLabel);

    buildMenus();
    wire();
    restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    installConnections(file);
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *streams = menuBar()->addMenu(tr("&Streams"));
    QAction *find = streams->addAction(tr("&Filter Streams"), m_browser, &StreamBrowser::focusFilter);
    find->setShortcuts({QKeySequence::Find, QKeySequence(Qt::CTRL | Qt::Key_L)});
    QAction *reload = streams->addAction(tr("&Reload Stream List"), this, &MainWindow::rescan);
    reload->setShortcut(QKeySequence::Refresh);
    QAction *stop = streams->addAction(tr("&Stop Scanning"), &m_loader, &StreamListLoader::cancel);
    stop->setShortcut(Qt::Key_Escape);
}

// Connections (F1) live in ConnectionController; the window only offers its action and menu, shows
// its banner in a fixed top bar (above whatever the central area holds) and connects as asked.
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

    connect(m_browser, &StreamBrowser::currentStreamChanged, this,
            [this](const QByteArray &stream) { m_events.load(m_client, stream); });
    connect(&m_events, &EventListModel::loadingChanged, this, &MainWindow::checkSettled);
}

void MainWindow::connectTo(const ConnectionSettings &settings)
{
    m_loader.cancel();
    m_events.clear();
    m_streams.clear();
    auto client = std::make_shared<const StreamsClient>(settings);
    if (client->error()) {
        showError(tr("Cannot connect to %1").arg(settings.toRedactedString()), client->error().toString());
        return;
    }
    m_client = std::move(client);
    m_connectionLabel->setText(tr("Server: %1").arg(settings.toRedactedString()));
    for (const QString &warning : settings.warnings)
        statusBar()->showMessage(warning, 10000);
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

void MainWindow::startDemo(const DemoHistory::Options &options)
{
    if (!m_demo) {
        m_demo = new DemoServer(this);
        connect(m_demo, &DemoServer::progress, this, &MainWindow::onDemoProgress);
        connect(m_demo, &DemoServer::ready, this, [this](const QString &connection) {
            m_progress->setVisible(false);
            connectTo(connection);
        });
        connect(m_demo, &DemoServer::failed, this, [this](const QString &message) {
            m_progress->setVisible(false);
            showError(message);
            checkSettled();
        });
    }
    m_connectionLabel->setText(tr("Seeding the demo history…"));
    m_progress->setVisible(true);
    m_demo->start(options);
}

void MainWindow::openStream(const QByteArray &stream)
{
    m_browser->selectStream(stream);
}

void MainWindow::showError(const QString &message, const QString &details)
{
    m_banner->showError(message, details);
}

bool MainWindow::isSettled() const
{
    return !(m_demo && m_demo->isStarting()) && !m_infoPending && !m_loader.isRunning() && !m_events.isLoading();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    m_loader.cancel();
    event->accept();
}

void MainWindow::rescan()
{
    if (!m_client)
        return;
    m_streams.clear();
    m_loader.start(m_client);
}

void MainWindow::fetchServerInfo()
{
    m_infoPending = true;
    m_versionLabel->setText(tr("Server version: …"));
    m_infoJob.start([this, client = m_client](const JobTracker::Job &job) {
        const ServerInfo info = client->serverInfo();
        job.post([this, info]() {
            m_infoPending = false;
            if (info.error) {
                m_versionLabel->setText(tr("Server unreachable"));
                showError(tr("The server did not answer"), info.error.toString());
            } else {
                m_versionLabel->setText(info.version.isEmpty() ? tr("Server version unknown")
                                                               : tr("Server version %1").arg(info.version));
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

void MainWindow::restoreLayout()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray()))
        resize(1280, 800);
    m_splitter->restoreState(settings.value(QStringLiteral("mainWindow/splitter")).toByteArray());
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/splitter"), m_splitter->saveState());
}

} // namespace chronoscope
