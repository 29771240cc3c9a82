// End to end: the real main window against a real sandbox server over a loopback port.
#include "DemoReducer.h"
#include "ExportActions.h"
#include "MainWindow.h"
#include "ThemeManager.h"
#include "common/AboutDialog.h"
#include "common/ErrorBanner.h"
#include "connection/ConnectionStatus.h"
#include "fold/FoldController.h"
#include "state/DiffPane.h"
#include "streams/StreamBrowser.h"
#include "support/DemoSandbox.h"
#include "timeline/TimelineIndex.h"
#include "timeline/TimelineView.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDockWidget>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QPlainTextEdit>
#include <QTableView>
#include <QToolButton>
#include <QMenuBar>

#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>

using namespace chronoscope;

namespace {

QAction *action(QWidget &window, const char *name)
{
    auto *a = window.findChild<QAction *>(QLatin1String(name));
    if (!a)
        qWarning("no action %s", name);
    return a;
}

/// Shows the window connected to `sandbox` with `stream` loaded.
bool openLoaded(MainWindow &window, const QByteArray &stream, const DemoSandbox &sandbox)
{
    window.show();
    window.openStream(stream);
    window.connectTo(sandbox.settings());
    return QTest::qWaitFor([&] { return window.session()->stream() == stream && !window.session()->isLoading(); }, 45000);
}

QStringList rows(const QAbstractItemModel *model)
{
    QStringList out;
    for (int r = 0; r < model->rowCount(); ++r)
        out << model->index(r, 0).data().toString();
    return out;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings stay out of the user's config
        QVERIFY2(m_sandbox.start(2000), qPrintable(m_sandbox.error()));
    }

    void listsStreamsFiltersAndShowsEvents()
    {
        MainWindow window;
        window.show();
        QCOMPARE(window.windowTitle(), QStringLiteral("Chronoscope"));
        auto *list = window.findChild<QListView *>(QStringLiteral("streamList"));
        auto *filter = window.findChild<QLineEdit *>(QStringLiteral("streamFilter"));
        auto *timeline = window.findChild<views::TimelineView *>();
        auto *version = window.findChild<QLabel *>(QStringLiteral("versionLabel"));
        QVERIFY(list && filter && timeline && version);

        QSignalSpy settled(&window, &MainWindow::settled);
        window.connectTo(m_sandbox.settings());
        QTRY_VERIFY_WITH_TIMEOUT(rows(list->model()).contains(QStringLiteral("order-1")), 45000);
        QTRY_VERIFY_WITH_TIMEOUT(window.isSettled(), 45000);
        QVERIFY(!settled.isEmpty());
        QCOMPARE(version->text(), QStringLiteral("Server version 24.10.0"));

        const QStringList all = rows(list->model());
        QCOMPARE(all.size(), QSet<QString>(all.begin(), all.end()).size()); // de-duplicated
        QTest::keyClicks(filter, QStringLiteral("order-1"));
        QTRY_VERIFY_WITH_TIMEOUT(list->model()->rowCount() < all.size(), 2000);
        const QStringList shown = rows(list->model());
        QVERIFY(shown.contains(QStringLiteral("order-1")));
        for (const QString &name : shown)
            QVERIFY2(name.contains(QStringLiteral("order-1")), qPrintable(name));

        const QModelIndex order1 = list->model()->index(int(shown.indexOf(QStringLiteral("order-1"))), 0);
        list->setCurrentIndex(order1);
        // The timeline fills: every event of order-1 counted, the cursor on the latest one.
        TimelineSession *session = window.session();
        QTRY_VERIFY_WITH_TIMEOUT(!session->isLoading() && session->index().size() > 0, 45000);
        QCOMPARE(session->stream(), QByteArray("order-1"));
        QTRY_VERIFY_WITH_TIMEOUT(!timeline->isBinning() && timeline->histogram().events == session->index().size(),
                                 10000);
        QCOMPARE(session->cursor()->position(), qint64(session->index().size()) - 1);
        QCOMPARE(session->index().typeName(0), QByteArray("OrderPlaced"));
    }

    void openStreamSelectsItWhenListed()
    {
        MainWindow window;
        window.show();
        window.openStream("customer-1");
        window.connectTo(m_sandbox.connectionString());
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->index().size() > 0, 45000);
        QCOMPARE(window.session()->stream(), QByteArray("customer-1"));
        QCOMPARE(window.findChild<views::StreamBrowser *>()->currentStream(), QByteArray("customer-1"));
    }

    void badConnectionStringIsShownInTheWindow()
    {
        MainWindow window;
        window.show();
        QVERIFY(!window.connectTo(QStringLiteral("kurrentdb://localhost:notaport")));
        auto *banner = window.findChild<views::ErrorBanner *>();
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->message().startsWith(QStringLiteral("Invalid connection string")),
                 qPrintable(banner->message()));
    }

    void unreachableServerIsShownOnce()
    {
        MainWindow window;
        window.show();
        window.connectTo(QStringLiteral("kurrentdb://127.0.0.1:1?tls=false"));
        QTRY_VERIFY_WITH_TIMEOUT(window.isSettled(), 45000);
        auto *banner = window.findChild<views::ErrorBanner *>();
        QVERIFY(banner->isVisible());
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("streamStatus"))->text().contains(QStringLiteral("failed")));
    }

    void noticesAreShownOnceWithTheirDetails()
    {
        MainWindow window;
        window.show();
        auto *banner = window.findChild<views::ErrorBanner *>();
        auto *button = window.findChild<QToolButton *>(QStringLiteral("noticesButton"));
        QVERIFY(!button->isVisible());
        window.showError(QStringLiteral("Reading x failed"), QStringLiteral("UNAVAILABLE: connection refused"));
        window.showError(QStringLiteral("Reading x failed"), QStringLiteral("UNAVAILABLE: connection refused"));
        QCOMPARE(window.notices().count(), 1);
        QCOMPARE(window.notices().entry(0).count, 2);
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->findChild<QLabel *>(QStringLiteral("errorText"))->text(), QStringLiteral("Reading x failed (×2)"));
        // Details wait behind their button.
        auto *details = banner->findChild<QLabel *>(QStringLiteral("errorDetails"));
        QVERIFY(!details->isVisible());
        QTest::mouseClick(banner->findChild<QToolButton *>(QStringLiteral("errorDetailsButton")), Qt::LeftButton);
        QVERIFY(details->isVisible());
        QCOMPARE(details->text(), QStringLiteral("UNAVAILABLE: connection refused"));
        // Dismissed, a repeat stays dismissed; the status bar keeps the count.
        QTest::mouseClick(banner->findChild<QToolButton *>(QStringLiteral("errorDismissButton")), Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        window.showError(QStringLiteral("Reading x failed"), QStringLiteral("UNAVAILABLE: connection refused"));
        QVERIFY(!banner->isVisible());
        QCOMPARE(window.notices().entry(0).count, 3);
        QVERIFY(button->isVisible());
        QVERIFY2(button->text().contains(QStringLiteral("new")), qPrintable(button->text()));
        // Another notice is shown.
        window.showError(QStringLiteral("Listing the streams failed"));
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->message(), QStringLiteral("Listing the streams failed"));
        QVERIFY(!banner->findChild<QToolButton *>(QStringLiteral("errorDetailsButton"))->isVisible());
        // The list holds both, once each; opening it marks them seen.
        QTest::mouseClick(button, Qt::LeftButton);
        auto *dialog = window.findChild<QDialog *>(QStringLiteral("notificationsDialog"));
        QVERIFY(dialog && dialog->isVisible());
        QCOMPARE(window.notices().rowCount(), 2);
        QCOMPARE(window.notices().unseen(), 0);
        QVERIFY(!button->text().contains(QStringLiteral("new")));
        auto *detailsView = dialog->findChild<QPlainTextEdit *>(QStringLiteral("noticeDetails"));
        QVERIFY(detailsView->toPlainText().startsWith(QStringLiteral("Listing the streams failed")));
        auto *noticeList = dialog->findChild<QListView *>(QStringLiteral("noticeList"));
        noticeList->setCurrentIndex(window.notices().index(0));
        QVERIFY(detailsView->toPlainText().contains(QStringLiteral("UNAVAILABLE: connection refused")));
        QVERIFY(detailsView->toPlainText().contains(QStringLiteral("3 times")));
    }

    void statusBarSaysWhatTheServerConfirmed()
    {
        MainWindow window;
        window.show();
        auto *status = window.findChild<views::ConnectionStatus *>();
        QCOMPARE(status->state(), views::ConnectionStatus::State::NotConnected);
        window.connectTo(m_sandbox.settings());
        QCOMPARE(status->state(), views::ConnectionStatus::State::Connecting); // nothing confirmed yet
        QTRY_COMPARE_WITH_TIMEOUT(status->state(), views::ConnectionStatus::State::Connected, 30000);
        QVERIFY2(status->nodeText().contains(QStringLiteral("127.0.0.1:%1").arg(m_sandbox.server().port())),
                 qPrintable(status->nodeText()));
        QCOMPARE(status->versionText(), QStringLiteral("Server version 24.10.0"));

        window.connectTo(QStringLiteral("kurrentdb://127.0.0.1:1?tls=false"));
        QTRY_COMPARE_WITH_TIMEOUT(status->state(), views::ConnectionStatus::State::Unreachable, 45000);
        QVERIFY(status->nodeText().isEmpty());
        QVERIFY(!status->stateText().startsWith(QStringLiteral("Connected")));
    }

    void exportsWhatTheListShowsAndAFixture()
    {
        MainWindow window;
        QVERIFY(openLoaded(window, "order-3", m_sandbox));
        TimelineSession *session = window.session();
        const quint64 count = session->index().size();
        auto *exports = window.findChild<ExportActions *>();
        QVERIFY(action(window, "exportEventsAction")->isEnabled());
        QTemporaryDir dir;
        QSignalSpy finished(exports, &ExportActions::finished);

        const QString jsonl = dir.filePath(QStringLiteral("order-3.jsonl"));
        exports->exportEvents(jsonl, EventExport::Format::JsonLines);
        QVERIFY(finished.wait(15000));
        QCOMPARE(finished.last().at(1).toString(), QString());
        QFile file(jsonl);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(quint64(lines.size()), count);
        for (int i = 0; i < lines.size(); ++i) {
            const QJsonObject o = QJsonDocument::fromJson(lines[i]).object();
            QCOMPARE(o.value(QStringLiteral("streamId")).toString(), QStringLiteral("order-3"));
            QCOMPARE(o.value(QStringLiteral("revision")).toString().toULongLong(), session->index().revision(quint64(i)));
        }
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("statusMessage"))->text().startsWith(QStringLiteral("Exported to")));

        // An auditor's range: only the events from A to B are listed, and exported.
        auto *between = window.findChild<QToolButton *>(QStringLiteral("betweenMarkersButton"));
        QVERIFY(!between->isEnabled());
        session->cursor()->setMarkerA(3);
        session->cursor()->setMarkerB(1);
        QVERIFY(between->isEnabled());
        QTest::mouseClick(between, Qt::LeftButton);
        QVERIFY(between->isChecked());
        QCOMPARE(window.findChild<QTableView *>(QStringLiteral("eventTable"))->model()->rowCount(), 3);
        const QString range = dir.filePath(QStringLiteral("range.csv"));
        exports->exportEvents(range, EventExport::Format::Csv);
        QVERIFY(finished.wait(15000));
        QFile csv(range);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
        QCOMPARE(rows.size(), 4); // the header and events 1 to 3
        QVERIFY(rows[1].startsWith(QByteArray(QByteArray::number(session->index().revision(1)) + ',')));
        session->cursor()->clearMarkers();
        QVERIFY(!between->isChecked());
        QCOMPARE(quint64(window.findChild<QTableView *>(QStringLiteral("eventTable"))->model()->rowCount()), count);

        // A fixture: the events up to the cursor and the state the State pane shows there.
        session->cursor()->setPosition(2);
        FoldController *fold = window.workspace()->fold();
        QTRY_VERIFY_WITH_TIMEOUT(fold->cursorState().ordinal == 2 && fold->cursorState().ok(), 15000);
        const QString fixture = dir.filePath(QStringLiteral("order-3.fixture.json"));
        exports->exportFixture(fixture);
        QVERIFY(finished.wait(15000));
        QCOMPARE(finished.last().at(1).toString(), QString());
        QFile f(fixture);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(o.value(QStringLiteral("events")).toArray().size(), 3);
        QCOMPARE(o.value(QStringLiteral("reducer")).toString(), fold->reducerName());
        QCOMPARE(o.value(QStringLiteral("expectedState")), fold->cursorState().state);
    }

    void examinationReportVerifiesLater()
    {
        MainWindow window;
        QVERIFY(openLoaded(window, "order-3", m_sandbox));
        TimelineSession *session = window.session();
        QTRY_VERIFY_WITH_TIMEOUT(!window.serverVersion().isEmpty(), 15000);
        session->cursor()->setPosition(1);
        FoldController *fold = window.workspace()->fold();
        QTRY_VERIFY_WITH_TIMEOUT(fold->cursorState().ordinal == 1 && fold->cursorState().ok(), 15000);
        auto *exports = window.findChild<ExportActions *>();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("order-3.report.json"));
        QSignalSpy finished(exports, &ExportActions::finished);
        exports->exportReport(path, QStringLiteral("checked the totals"));
        QVERIFY(finished.wait(15000));
        QCOMPARE(finished.last().at(1).toString(), QString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(report.value(QStringLiteral("stream")).toString(), QStringLiteral("order-3"));
        QCOMPARE(report.value(QStringLiteral("serverVersion")).toString(), QStringLiteral("24.10.0"));
        QVERIFY(!report.value(QStringLiteral("connection")).toString().contains(QStringLiteral("changeit")));
        QCOMPARE(report.value(QStringLiteral("events")).toObject().value(QStringLiteral("count")).toString().toULongLong(),
                 session->index().size());
        QCOMPARE(report.value(QStringLiteral("stateAtCursor")), fold->cursorState().state);
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("order-3.report.html"))));

        // Later, against the same server: unchanged.
        QSignalSpy verified(exports, &ExportActions::verified);
        exports->verifyReport(path);
        QVERIFY(verified.wait(15000));
        QVERIFY2(verified.last().at(1).toBool(), qPrintable(verified.last().at(2).toString()));
        // Against another history with the same stream name: it does not match, and says so.
        DemoSandbox other;
        QVERIFY2(other.start(300), qPrintable(other.error()));
        window.connectTo(other.settings());
        exports->verifyReport(path);
        QVERIFY(verified.wait(15000));
        QVERIFY(!verified.last().at(1).toBool());
        QVERIFY(window.findChild<views::ErrorBanner *>()->message().startsWith(QStringLiteral("The report does not match")));
    }

    void defaultLayoutFitsA1024WideScreen()
    {
        // 1366×768 at 125 % is 1093 logical pixels: the docks' minimums must leave room for that.
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(800, 600);
        QTRY_VERIFY(window.width() > 800); // held at the minimum
        QVERIFY2(window.width() <= 1024 && window.minimumSizeHint().width() <= 1024,
                 qPrintable(QStringLiteral("%1 / %2").arg(window.width()).arg(window.minimumSizeHint().width())));
    }

    void geometryPersists()
    {
        QSettings().clear();
        {
            MainWindow window;
            QCOMPARE(window.size(), QSize(1280, 800)); // the default without saved settings
            window.show();
            window.resize(1200, 760); // above the docks' minimum (about 990×610)
            QTRY_COMPARE(window.size(), QSize(1200, 760));
            window.close();
        }
        MainWindow again;
        QCOMPARE(again.size(), QSize(1200, 760));
        QSettings().clear();
    }

    void docksLayoutPersistsAndResets()
    {
        QSettings().clear();
        const QStringList known = {QStringLiteral("streamsDock"),   QStringLiteral("timelineDock"),
                                   QStringLiteral("eventsDock"),    QStringLiteral("inspectorDock"),
                                   QStringLiteral("stateDock"),     QStringLiteral("diffDock"),
                                   QStringLiteral("reducerDock"),   QStringLiteral("composerDock"),
                                   QStringLiteral("auditDock"),     QStringLiteral("readModelLagDock"),
                                   QStringLiteral("readModelDock"), QStringLiteral("driftDock")};
        const QStringList names = known
            + QStringList{QStringLiteral("subscriptionsDock"), QStringLiteral("projectionsDock")};
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            for (const QString &name : names) {
                auto *dock = window.findChild<QDockWidget *>(name);
                QVERIFY2(dock, qPrintable(name));
                QVERIFY2(!dock->isFloating(), qPrintable(name));
            }
            // Every dock has its toggle in View ▸ Panes.
            QMenu *panes = window.findChild<QMenu *>();
            QStringList toggles;
            const auto menus = window.menuBar()->findChildren<QMenu *>();
            for (QMenu *m : menus) {
                if (m->title() == QStringLiteral("&Panes"))
                    panes = m;
            }
            const auto paneActions = panes->actions();
            for (QAction *a : paneActions)
                toggles << a->text();
            QCOMPARE(toggles.size(), names.size());
            QVERIFY(toggles.contains(QStringLiteral("Timeline")));
            auto *diff = window.findChild<QDockWidget *>(QStringLiteral("diffDock"));
            diff->toggleViewAction()->trigger();
            QVERIFY(diff->isHidden());
            window.close();
        }
        {
            MainWindow again;
            again.show();
            auto *diff = again.findChild<QDockWidget *>(QStringLiteral("diffDock"));
            QVERIFY(diff->isHidden()); // restored
            action(again, "resetLayout")->trigger();
            QVERIFY(!diff->isHidden());
            auto *timeline = again.findChild<QDockWidget *>(QStringLiteral("timelineDock"));
            auto *streams = again.findChild<QDockWidget *>(QStringLiteral("streamsDock"));
            QVERIFY(timeline->isVisible() && streams->isVisible());
            QVERIFY(streams->geometry().right() < timeline->geometry().left()); // streams on the left
        }
        // A state saved by another dock set (another version) is not restored.
        QSettings().setValue(QStringLiteral("mainWindow/dockState"), QByteArray("garbage"));
        MainWindow third;
        third.show();
        QVERIFY(!third.findChild<QDockWidget *>(QStringLiteral("diffDock"))->isHidden());
        QSettings().clear();
    }

    void timelineFollowsKeysAndMarkers()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openStream("order-3");
        window.connectTo(m_sandbox.settings());
        TimelineSession *session = window.session();
        QTRY_VERIFY_WITH_TIMEOUT(session->stream() == "order-3" && !session->isLoading(), 45000);
        const qint64 last = qint64(session->index().size()) - 1;
        QVERIFY(last >= 3);
        action(window, "focusTimeline")->trigger();
        auto *timeline = window.findChild<views::TimelineView *>();
        QVERIFY(timeline->hasFocus());
        QTest::keyClick(timeline, Qt::Key_Home);
        QTest::keyClick(timeline, Qt::Key_Right);
        QCOMPARE(session->cursor()->position(), qint64(1));
        QTest::keyClick(timeline, Qt::Key_A);
        QTest::keyClick(timeline, Qt::Key_End);
        QTest::keyClick(timeline, Qt::Key_B);
        QCOMPARE(session->cursor()->markerA(), qint64(1));
        QCOMPARE(session->cursor()->markerB(), last);
        // The Go menu drives the same cursor.
        action(window, "previousEvent")->trigger();
        QCOMPARE(session->cursor()->position(), last - 1);
        action(window, "firstEvent")->trigger();
        QCOMPARE(session->cursor()->position(), qint64(0));
        action(window, "clearMarkers")->trigger();
        QVERIFY(!session->cursor()->hasMarkers());
        QVERIFY(timeline->cursorText().startsWith(QStringLiteral("Event 1 of ")));
    }

    void cancelsALongLoad()
    {
        DemoSandbox big;
        QVERIFY2(big.start(0), qPrintable(big.error()));
        constexpr quint64 kEvents = 600000;
        std::vector<sandbox::ProposedEvent> batch(1000);
        for (quint64 n = 0; n < kEvents; n += batch.size()) {
            for (auto &e : batch) {
                e.id = QUuid::createUuid();
                e.type = "Tick";
                e.data = "{}";
            }
            big.server().store().append("big-1", sandbox::EventStore::Expected::Any, 0, batch);
        }
        MainWindow window;
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.openStream("big-1");
        window.connectTo(big.settings());
        TimelineSession *session = window.session();
        QSignalSpy grown(session, &TimelineSession::grown);
        QVERIFY(grown.wait(45000));
        auto *indicator = window.findChild<QWidget *>(QStringLiteral("loadIndicator"));
        QVERIFY(session->isLoading());
        QVERIFY(indicator->isVisible());
        QTest::keyClick(&window, Qt::Key_Escape);
        QVERIFY(!session->isLoading());
        QVERIFY(!indicator->isVisible());
        const quint64 kept = session->index().size();
        QVERIFY2(kept > 0 && kept < kEvents, qPrintable(QString::number(kept)));
        QTest::qWait(200);
        QCOMPARE(session->index().size(), kept); // nothing arrives after the cancel
        auto *message = window.findChild<QLabel *>(QStringLiteral("statusMessage"));
        QVERIFY2(message->isVisible() && message->text().contains(QStringLiteral("cancelled")), qPrintable(message->text()));
        // The message hides nothing: the connection state is still in the bar.
        QVERIFY(window.findChild<QWidget *>(QStringLiteral("connectionStatus"))->isVisible());
    }

    void demoLandsOnTheDoubleCharge()
    {
        MainWindow window;
        window.show();
        DemoHistory::Options options;
        options.eventCount = 16000;
        window.startDemo(options);
        TimelineSession *session = window.session();
        QTRY_VERIFY_WITH_TIMEOUT(session->stream().startsWith("payment-") && !session->isLoading()
                                     && session->cursor()->position() > 0,
                                 45000);
        // The cursor stands on a charge that repeats the one before it: the incident's double charge.
        const quint64 at = quint64(session->cursor()->position());
        QCOMPARE(session->index().typeName(at), QByteArray("PaymentProcessed"));
        QCOMPARE(session->index().typeName(at - 1), QByteArray("PaymentProcessed"));
        QCOMPARE(session->cursor()->markerA(), qint64(at - 1)); // A vs B: the two charges
        QCOMPARE(session->cursor()->markerB(), qint64(at));
        const qint64 day = (session->index().createdTicks(at) / kTicksPerMillisecond - options.startMs) / 86400000;
        QCOMPARE(day, qint64(DemoHistory::kIncidentDay));
        // The demo folds with its own reducer file (a user copy of it), and A vs B is on show.
        FoldController *fold = window.workspace()->fold();
        QTRY_COMPARE_WITH_TIMEOUT(fold->reducerName(), QStringLiteral("demo-orders"), 15000);
        QVERIFY(QFile::exists(DemoReducer::folder() + QStringLiteral("/demo-orders.reducer.json")));
        QCOMPARE(window.findChild<DiffPane *>()->mode(), DiffPane::Mode::Markers);
    }

    void demoKeepsTheUsersReducerEdits()
    {
        QString error;
        const QString path = DemoReducer::install(&error);
        QVERIFY2(!path.isEmpty(), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QByteArray text = file.readAll();
        QVERIFY(text.contains("\"name\": \"demo-orders\""));
        text.replace("\"name\": \"demo-orders\"", "\"name\": \"my-orders\"");
        QVERIFY(file.resize(0) && file.write(text) == text.size());
        file.close();
        QCOMPARE(DemoReducer::install(&error), path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("\"name\": \"my-orders\""));
        file.close();
        QVERIFY(QFile::remove(path)); // the next install brings the shipped one back
        QCOMPARE(DemoReducer::install(&error), path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("\"name\": \"demo-orders\""));
        file.close();

        // An unedited copy an earlier version installed is brought up to date (the refund template).
        const QString older = QFINDTESTDATA("data/demo-orders-before-corrections.reducer.json");
        QVERIFY(!older.isEmpty());
        QVERIFY(QFile::remove(path) && QFile::copy(older, path));
        QCOMPARE(DemoReducer::install(&error), path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("Refund this payment"));
    }

    void darkThemeIsAppliedAndRemembered()
    {
        QSettings().clear();
        MainWindow window;
        window.themes()->setTheme(ThemeManager::Theme::Dark);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 100);
        QVERIFY(window.findChild<QAction *>(QStringLiteral("theme2"))->isChecked());
        QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toInt(), int(ThemeManager::Theme::Dark));
        window.themes()->setTheme(ThemeManager::Theme::Light);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 150);
        window.themes()->setTheme(ThemeManager::Theme::System);
        QSettings().clear();
    }

    void aboutNamesTheLibraries()
    {
        QStringList names;
        const auto versions = views::AboutDialog::versions();
        for (const auto &[name, version] : versions) {
            names << name;
            QVERIFY2(!version.isEmpty(), qPrintable(name));
        }
        for (const char *expected : {"Chronoscope", "Qt", "gRPC", "Protocol Buffers", "simdjson", "QCustomPlot"})
            QVERIFY2(names.contains(QLatin1String(expected)), expected);
        QVERIFY(views::AboutDialog::versionsText().contains(QStringLiteral("QCustomPlot: 2.1.0")));
    }

    void demoModeSeedsInTheBackgroundAndLists()
    {
        MainWindow window;
        window.show();
        auto *list = window.findChild<QListView *>(QStringLiteral("streamList"));
        auto *progress = window.findChild<QProgressBar *>(QStringLiteral("seedProgress"));
        DemoHistory::Options options;
        options.eventCount = 3000;
        window.startDemo(options, false);
        QVERIFY(!window.isSettled());
        QVERIFY(progress->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(rows(list->model()).contains(QStringLiteral("order-1")), 45000);
        QTRY_VERIFY_WITH_TIMEOUT(window.isSettled(), 45000);
        QVERIFY(!progress->isVisible());
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("connectionLabel"))->text().contains(QStringLiteral("127.0.0.1")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
