#include "catalog/StreamListModel.h"
#include "streams/StreamBrowser.h"
#include "streams/StreamFilterProxy.h"
#include "support/TreePrint.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace chronoscope;
using test::printTree;
using views::StreamBrowser;
using views::StreamFilterProxy;

namespace {

StreamListQuery query(StreamListQuery::Match match, const QString &text, bool includeSystem = false)
{
    StreamListQuery q;
    q.match = match;
    q.text = text;
    q.includeSystem = includeSystem;
    return q;
}

} // namespace

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
        std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
        Fixture()
        {
            // Every test drives the browser's models under the model tester, attached before any data:
            // the list's rows, and the filter proxies of both modes (streams; categories and types).
            const auto proxies = browser.findChildren<StreamFilterProxy *>();
            QVERIFY(proxies.size() == 2);
            for (QAbstractItemModel *m : proxies)
                testers.push_back(std::make_unique<QAbstractItemModelTester>(
                    m, QAbstractItemModelTester::FailureReportingMode::QtTest));
            browser.setModel(&model);
            list = browser.findChild<QListView *>(QStringLiteral("streamList"));
            status = browser.findChild<QLabel *>(QStringLiteral("streamStatus"));
            cancel = browser.findChild<QPushButton *>(QStringLiteral("streamScanCancel"));
            testers.push_back(std::make_unique<QAbstractItemModelTester>(
                list->model(), QAbstractItemModelTester::FailureReportingMode::QtTest));
        }
    };

private Q_SLOTS:
    void filterProxyPassesTheModelTester()
    {
        StreamListModel model;
        StreamFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        // Source rows 0-5; system streams are hidden; unknown times keep the order found.
        model.appendBatch({"order-1", "$et-Placed", "customer-1", "$ce-order", "payment-1", "$ce-customer"});
        QCOMPARE(printTree(proxy), QStringLiteral("order-1\ncustomer-1\npayment-1\n"));

        // Sightings re-sort (newest first, unknown last) and append a stream not listed yet (row 6).
        model.updateSightings({{"payment-1", 3000, 1, 1000, StreamDeletion::None},
                               {"order-1", 2000, 2, 500, StreamDeletion::None},
                               {"order-2", 5000, 1, 5000, StreamDeletion::None}});
        QCOMPARE(printTree(proxy), QStringLiteral("order-2\npayment-1\norder-1\ncustomer-1\n"));
        proxy.setOrder(StreamFilterProxy::Order::Name);
        QCOMPARE(printTree(proxy), QStringLiteral("customer-1\norder-1\norder-2\npayment-1\n"));
        proxy.setOrder(StreamFilterProxy::Order::RecentlyCreated);
        QCOMPARE(printTree(proxy), QStringLiteral("order-2\npayment-1\norder-1\ncustomer-1\n"));

        // Filters, with rows arriving (7, 8) while one is set.
        proxy.setQuery(query(StreamListQuery::Match::Contains, QStringLiteral("ORDER")));
        QCOMPARE(printTree(proxy), QStringLiteral("order-2\norder-1\n"));
        model.appendBatch({"order-3", "shipment-1"});
        QCOMPARE(printTree(proxy), QStringLiteral("order-2\norder-1\norder-3\n"));
        proxy.setQuery(query(StreamListQuery::Match::Prefix, QStringLiteral("order-1")));
        QCOMPARE(printTree(proxy), QStringLiteral("order-1\n"));
        proxy.setQuery(query(StreamListQuery::Match::Regex, QStringLiteral("^(customer|shipment)-")));
        QCOMPARE(printTree(proxy), QStringLiteral("customer-1\nshipment-1\n"));
        proxy.setQuery(query(StreamListQuery::Match::Regex, QStringLiteral("(["))); // invalid: no filter
        QCOMPARE(printTree(proxy), QStringLiteral("order-2\npayment-1\norder-1\ncustomer-1\norder-3\nshipment-1\n"));

        // A deletion mark changes what a row shows.
        model.setDeletion("order-1", StreamDeletion::SoftDeleted);
        QCOMPARE(printTree(proxy),
                 QStringLiteral("order-2\npayment-1\norder-1  (deleted)\ncustomer-1\norder-3\nshipment-1\n"));

        // Categories: only `$ce-` streams, shown without the prefix.
        proxy.setQuery(query(StreamListQuery::Match::Contains, QString()));
        proxy.setRequiredPrefix("$ce-");
        QCOMPARE(printTree(proxy), QStringLiteral("order\ncustomer\n"));

        // A source reset, then rows again.
        model.clear();
        QCOMPARE(printTree(proxy), QString());
        model.appendBatch({"$ce-payment", "payment-9"});
        QCOMPARE(printTree(proxy), QStringLiteral("payment\n"));
        proxy.setRequiredPrefix({});
        proxy.setQuery(query(StreamListQuery::Match::Contains, QString(), true));
        QCOMPARE(printTree(proxy), QStringLiteral("$ce-payment\npayment-9\n"));
    }

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
