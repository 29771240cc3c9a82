#include "catalog/StreamListModel.h"
#include "streams/StreamBrowser.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace chronoscope;
using views::StreamBrowser;

class TestStreamBrowser : public QObject
{
    Q_OBJECT

    struct Fixture
    {
        StreamListModel model;
        StreamBrowser browser;
        QListView *list = nullptr;
        QLabel *status = nullptr;
        QPushButton *cancel = nullptr;
        Fixture()
        {
            browser.setModel(&model);
            list = browser.findChild<QListView *>(QStringLiteral("streamList"));
            status = browser.findChild<QLabel *>(QStringLiteral("streamStatus"));
            cancel = browser.findChild<QPushButton *>(QStringLiteral("streamScanCancel"));
        }
    };

private Q_SLOTS:
    void filterIsDebounced()
    {
        Fixture f;
        QVERIFY(f.list && f.status && f.cancel);
        f.model.appendBatch({"order-1", "order-10", "customer-1", "payment-1", "order-2"});
        QCOMPARE(f.list->model()->rowCount(), 5);

        QElapsedTimer typed;
        typed.start();
        f.browser.findChild<QLineEdit *>(QStringLiteral("streamFilter"))->setText(QStringLiteral("ORDER-1"));
        QCOMPARE(f.list->model()->rowCount(), 5); // not yet: typing is debounced
        QTRY_COMPARE_WITH_TIMEOUT(f.list->model()->rowCount(), 2, 2000);
        QVERIFY(typed.elapsed() >= f.browser.filterDelayMs() - 20);
        QCOMPARE(f.status->text(), QStringLiteral("2 of 5 streams"));

        f.model.appendBatch({"order-100", "customer-2"}); // new rows are filtered as they come
        QCOMPARE(f.list->model()->rowCount(), 3);
        QCOMPARE(f.status->text(), QStringLiteral("3 of 7 streams"));
    }

    void statusFollowsTheScan()
    {
        Fixture f;
        QCOMPARE(f.status->text(), QStringLiteral("0 streams"));
        QVERIFY(f.cancel->isHidden());
        f.browser.setScanState(StreamBrowser::ScanState::Scanning);
        f.model.appendBatch({"a-1"});
        QCOMPARE(f.status->text(), QStringLiteral("1 stream (scanning…)"));
        QVERIFY(!f.cancel->isHidden());

        QSignalSpy cancelRequested(&f.browser, &StreamBrowser::cancelRequested);
        QTest::mouseClick(f.cancel, Qt::LeftButton);
        QCOMPARE(cancelRequested.size(), 1);

        f.browser.setScanState(StreamBrowser::ScanState::Cancelled);
        QCOMPARE(f.status->text(), QStringLiteral("1 stream (scan cancelled)"));
        QVERIFY(f.cancel->isHidden());
        f.model.appendBatch({"b-1"});
        f.browser.setScanState(StreamBrowser::ScanState::Complete);
        QCOMPARE(f.status->text(), QStringLiteral("2 streams"));
    }

    void selectsAStreamOnceListed()
    {
        Fixture f;
        QSignalSpy current(&f.browser, &StreamBrowser::currentStreamChanged);
        f.model.appendBatch({"a-1"});
        f.browser.selectStream("b-1");
        QCOMPARE(current.size(), 0);
        f.model.appendBatch({"c-1", "b-1"});
        QCOMPARE(current.size(), 1);
        QCOMPARE(current.at(0).at(0).toByteArray(), QByteArray("b-1"));
        QCOMPARE(f.browser.currentStream(), QByteArray("b-1"));
        QCOMPARE(f.list->currentIndex().data().toString(), QStringLiteral("b-1"));
    }

    void goingToAStreamClearsAFilterThatHidesIt()
    {
        Fixture f;
        f.model.appendBatch({"a-1", "b-1"});
        f.browser.setFilterText(QStringLiteral("a-"));
        QTRY_COMPARE(f.list->model()->rowCount(), 1);
        f.browser.selectStream("b-1");
        QCOMPARE(f.browser.filterText(), QString());
        QCOMPARE(f.list->model()->rowCount(), 2);
        QCOMPARE(f.browser.currentStream(), QByteArray("b-1"));
    }
};

QTEST_MAIN(TestStreamBrowser)
#include "tst_streambrowser.moc"
