// End to end: the real main window against a real sandbox server over a loopback port.
#include "DemoSandbox.h"
#include "ErrorBanner.h"
#include "MainWindow.h"
#include "StreamBrowser.h"

#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace chronoscope;

namespace {

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
        auto *table = window.findChild<QTableView *>(QStringLiteral("eventTable"));
        auto *version = window.findChild<QLabel *>(QStringLiteral("versionLabel"));
        QVERIFY(list && filter && table && version);

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
        QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() > 0, 45000);
        QCOMPARE(table->model()->columnCount(), 3);
        auto *title = window.findChild<QLabel *>(QStringLiteral("eventsTitle"));
        QVERIFY(title->text().startsWith(QStringLiteral("order-1 — last ")));
    }

    void openStreamSelectsItWhenListed()
    {
        MainWindow window;
        window.show();
        auto *table = window.findChild<QTableView *>(QStringLiteral("eventTable"));
        window.openStream("customer-1");
        window.connectTo(m_sandbox.connectionString());
        QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() > 0, 45000);
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

    void geometryPersists()
    {
        QSettings().clear();
        {
            MainWindow window;
            QCOMPARE(window.size(), QSize(1280, 800)); // the default without saved settings
            window.show();
            window.resize(900, 600);
            QTRY_COMPARE(window.size(), QSize(900, 600));
            window.close();
        }
        MainWindow again;
        QCOMPARE(again.size(), QSize(900, 600));
        QSettings().clear();
    }

    void demoModeSeedsInTheBackgroundAndLists()
    {
        MainWindow window;
        window.show();
        auto *list = window.findChild<QListView *>(QStringLiteral("streamList"));
        auto *progress = window.findChild<QProgressBar *>(QStringLiteral("seedProgress"));
        DemoHistory::Options options;
        options.eventCount = 3000;
        window.startDemo(options);
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
