#pragma once

#include "DemoHistory.h"
#include "EventListModel.h"
#include "JobTracker.h"
#include "StreamListLoader.h"
#include "StreamListModel.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QMenu;
class QProgressBar;
class QSplitter;

namespace chronoscope {

class ConnectionController;
class DemoServer;
class StreamsClient;
struct ConnectionSettings;

namespace views {
class ErrorBanner;
class EventsPane;
class StreamBrowser;
}

/// The composition root: builds the window, owns the models and loaders, and wires them to the
/// views. It decides what happens when, never how anything is computed.
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
    /// Starts the in-process demo server, seeds it off the GUI thread, then connects to it.
    void startDemo(const DemoHistory::Options &options);
    /// Selects `stream` in the browser as soon as it is listed.
    void openStream(const QByteArray &stream);
    void showError(const QString &message, const QString &details = {});

    /// Nothing is loading: seeding, server info, stream scan and event list have all ended.
    bool isSettled() const;

Q_SIGNALS:
    /// Emitted whenever the window becomes settled (see isSettled()).
    void settled();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void installConnections(QMenu *file);
    void wire();
    void rescan();
    void fetchServerInfo();
    void onScanFinished(const ClientError &error);
    void onDemoProgress(quint64 seeded, quint64 total);
    void checkSettled();
    void restoreLayout();
    void saveLayout() const;

    // Members that run jobs come after the client so that their workers end first.
    std::shared_ptr<const StreamsClient> m_client;
    StreamListModel m_streams;
    StreamListLoader m_loader;
    EventListModel m_events;
    JobTracker m_infoJob{this};
    bool m_infoPending = false;

    DemoServer *m_demo = nullptr; // a child: destroyed after the members above
    views::ErrorBanner *m_banner;
    views::StreamBrowser *m_browser;
    views::EventsPane *m_eventsPane;
    QSplitter *m_splitter;
    QLabel *m_connectionLabel;
    QLabel *m_versionLabel;
    QProgressBar *m_progress;
    ConnectionController *m_connections = nullptr;
};

} // namespace chronoscope
