// The stream browser against real sandboxes: `$streams` or the `$all` scan, categories and event
// types, server-side filters, system streams, metadata and deleted streams, and the orders.
#include "MainWindow.h"
#include "SandboxServer.h"
#include "catalog/StreamListLoader.h"
#include "catalog/StreamListModel.h"
#include "client/StreamsClient.h"
#include "session/TimelineSession.h"
#include "streams/StreamBrowser.h"
#include "streams/StreamFilterProxy.h"
#include "streams/StreamMetadataPanel.h"
#include "timeline/TimelineIndex.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QAbstractButton>
#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QSignalSpy>
#include <QTest>

using namespace chronoscope;
using views::StreamBrowser;

namespace {

/// A sandbox with a small known history, with or without the system projections.
struct Server
{
    sandbox::SandboxServer server;
    std::shared_ptr<const StreamsClient> client;

    bool start(bool projections)
    {
        server.store().setFrozenClock(1700000000000); // distinct, increasing times
        server.store().configureProjections(projections, projections);
        QString error;
        if (server.start(QStringLiteral("127.0.0.1:0"), &error) == 0)
            return false;
        client = std::make_shared<const StreamsClient>(settings());
        auto append = [&](const char *stream, std::initializer_list<const char *> types) {
            QList<EventData> events;
            for (const char *type : types)
                events << EventData::json(type, "{}");
            return !client->append(stream, ExpectedState::any(), events).error;
        };
        StreamMetadata meta;
        meta.maxCount = 10;
        meta.acl = StreamAcl{{QStringLiteral("ops")}, {QStringLiteral("$admins")}, {}, {}, {}, {}};
        meta.custom.insert(QStringLiteral("owner"), QStringLiteral("team-a"));
        return append("order-1", {"OrderPlaced", "OrderShipped"}) && append("customer-1", {"CustomerRegistered"})
            && append("order-2", {"OrderPlaced"}) && append("audit-1", {"Audited"})
            && !client->setStreamMetadata("audit-1", meta).error && append("gone-soft", {"Noted"})
            && !client->deleteStream("gone-soft", ExpectedState::any()).error && append("gone-hard", {"Noted"})
            && !client->tombstoneStream("gone-hard", ExpectedState::any()).error && append("order-1", {"OrderPaid"});
    }
    ConnectionSettings settings() const
    {
        return ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(server.port())).settings;
    }
};

QString rows(const QAbstractItemModel &model)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r)
        out << model.index(r, 0).data().toString();
    return out.join(QLatin1Char(' '));
}

/// The browser over a model its loader fills, wired as MainWindow wires them.
struct Listing
{
    StreamListModel model;
    StreamListLoader loader;
    StreamBrowser browser;
    QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::QtTest};
    QAbstractItemModelTester listTester{browser.listModel(), QAbstractItemModelTester::FailureReportingMode::QtTest};
    std::shared_ptr<const StreamsClient> client;

    explicit Listing(std::shared_ptr<const StreamsClient> c)
        : client(std::move(c))
    {
        browser.setModel(&model);
        QObject::connect(&loader, &StreamListLoader::streamsFound, &model, &StreamListModel::appendBatch);
        QObject::connect(&loader, &StreamListLoader::sightingsUpdated, &model, &StreamListModel::updateSightings);
        QObject::connect(&loader, &StreamListLoader::sourceChanged, &browser, &StreamBrowser::setSource);
        QObject::connect(&browser, &StreamBrowser::queryChanged, &loader, [this](const StreamListQuery &q) {
            loader.setQuery(q);
            scan();
        });
        browser.setClient(client);
    }
    bool scan()
    {
        model.clear();
        QSignalSpy finished(&loader, &StreamListLoader::finished);
        loader.start(client);
        return finished.wait(15000) && !finished.first().at(0).value<ClientError>();
    }
    /// The streams' rows without the pinned `$all` row.
    QString names() const
    {
        QString all = rows(*browser.listModel());
        return all.startsWith(QLatin1Char('$')) ? all.section(QLatin1Char(' '), 1) : all;
    }
    QString status() const { return browser.findChild<QLabel *>(QStringLiteral("streamStatus"))->text(); }
    void setFilter(int match, const QString &text)
    {
        browser.findChild<QComboBox *>(QStringLiteral("streamMatch"))->setCurrentIndex(match);
        browser.setFilterText(text);
    }
};

} // namespace

class TestStreamBrowserSources : public QObject
{
    Q_OBJECT

    Server m_projected;
    Server m_plain;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_projected.start(true));
        QVERIFY(m_plain.start(false));
    }

    void streamsProjectionOrScanListTheSameNames()
    {
        Listing fromStreams(m_projected.client);
        QVERIFY(fromStreams.scan());
        QCOMPARE(fromStreams.loader.source(), StreamListLoader::Source::StreamsProjection);
        QVERIFY2(fromStreams.status().contains(QStringLiteral("from $streams")), qPrintable(fromStreams.status()));

        Listing scanned(m_plain.client);
        QVERIFY(scanned.scan());
        QCOMPARE(scanned.loader.source(), StreamListLoader::Source::AllScan);
        QVERIFY2(scanned.status().contains(QStringLiteral("$all scan")), qPrintable(scanned.status()));

        // Recently changed, the default order: the same in both, deleted streams marked.
        const QString expected = QStringLiteral("order-1 gone-hard  (tombstoned) gone-soft  (deleted) audit-1 order-2 customer-1");
        QCOMPARE(scanned.names(), expected);
        QCOMPARE(fromStreams.names(), expected);
    }

    void ordersByCreationOrName()
    {
        for (Server *server : {&m_projected, &m_plain}) {
            Listing l(server->client);
            QVERIFY(l.scan());
            auto *order = l.browser.findChild<QComboBox *>(QStringLiteral("streamOrder"));
            order->setCurrentIndex(int(views::StreamFilterProxy::Order::RecentlyCreated));
            QCOMPARE(l.names(), QStringLiteral("gone-hard  (tombstoned) gone-soft  (deleted) audit-1 order-2 customer-1 order-1"));
            order->setCurrentIndex(int(views::StreamFilterProxy::Order::Name));
            QCOMPARE(l.names().section(QLatin1Char(' '), 0, 0), QStringLiteral("audit-1"));
        }
    }

    void prefixAndRegexFiltersGoToTheServer()
    {
        Listing l(m_plain.client);
        QVERIFY(l.scan());
        QSignalSpy rescanned(&l.loader, &StreamListLoader::finished);
        l.setFilter(int(StreamListQuery::Match::Prefix), QStringLiteral("order-"));
        QVERIFY(rescanned.wait(5000));
        QCOMPARE(l.loader.query().text, QStringLiteral("order-"));
        QCOMPARE(l.model.rowCount(), 2); // the server sent only those
        QCOMPARE(l.names(), QStringLiteral("order-1 order-2"));

        l.setFilter(int(StreamListQuery::Match::Regex), QStringLiteral("^(customer|audit)-\\d$"));
        QVERIFY(rescanned.wait(5000));
        QCOMPARE(l.model.rowCount(), 2);
        QCOMPARE(l.names(), QStringLiteral("audit-1 customer-1"));
    }

    void systemStreamsHiddenUnlessAsked()
    {
        Listing l(m_projected.client);
        l.loader.setQuery([] { StreamListQuery q; q.useStreamsProjection = false; return q; }());
        QVERIFY(l.scan());
        QVERIFY(!l.names().contains(QLatin1Char('$')));
        QSignalSpy rescanned(&l.loader, &StreamListLoader::finished);
        l.browser.findChild<QAbstractButton *>(QStringLiteral("showSystemStreams"))->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(!rescanned.isEmpty(), 5000); // Listing::scan() waits for it itself
        QVERIFY(l.loader.query().includeSystem);
        for (const char *name : {"$ce-order", "$et-OrderPlaced", "$$audit-1"})
            QVERIFY2(l.model.rowOf(name) >= 0, name);
        QVERIFY(l.names().contains(QStringLiteral("$ce-order")));
    }

    void metadataAndDeletionShownForTheSelectedStream_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QStringList>("expected");
        QTest::addRow("metadata") << QByteArray("audit-1")
                                  << QStringList{QStringLiteral("$maxCount 10"), QStringLiteral("$acl.$r ops"),
                                                 QStringLiteral("$acl.$w $admins"), QStringLiteral("owner team-a"),
                                                 QStringLiteral("Last revision 0")};
        QTest::addRow("soft deleted") << QByteArray("gone-soft") << QStringList{QStringLiteral("Deleted (soft)")};
        QTest::addRow("tombstoned") << QByteArray("gone-hard") << QStringList{QStringLiteral("Tombstoned")};
    }
    void metadataAndDeletionShownForTheSelectedStream()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QStringList, expected);
        Listing l(m_plain.client);
        QVERIFY(l.scan());
        l.browser.selectStream(stream);
        QCOMPARE(l.browser.currentStream(), stream);
        auto *panel = l.browser.metadataPanel();
        QTRY_VERIFY_WITH_TIMEOUT(!panel->text().contains(QStringLiteral("Reading")), 5000);
        const QString text = panel->text().simplified();
        for (const QString &line : expected)
            QVERIFY2(text.contains(line), qPrintable(text));
    }

    void categoriesAndEventTypesOpenTheirLinkStreams()
    {
        MainWindow window;
        window.connectTo(m_projected.settings());
        StreamBrowser *browser = window.streamBrowser();
        browser->setMode(StreamBrowser::Mode::Categories);
        QTRY_COMPARE_WITH_TIMEOUT(rows(*browser->listModel()), QStringLiteral("order gone audit customer"), 10000);
        browser->setMode(StreamBrowser::Mode::EventTypes);
        QTRY_VERIFY_WITH_TIMEOUT(rows(*browser->listModel()).contains(QStringLiteral("OrderPlaced")), 10000);

        QSignalSpy loaded(window.session(), &TimelineSession::loadFinished);
        auto *list = browser->findChild<QListView *>(QStringLiteral("streamList"));
        browser->setMode(StreamBrowser::Mode::Categories);
        list->setCurrentIndex(list->model()->index(0, 0));
        QCOMPARE(browser->currentStream(), QByteArray("$ce-order"));
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.session()->stream(), QByteArray("$ce-order"));
        const engine::TimelineIndex &index = window.session()->index();
        QCOMPARE(index.size(), quint64(4)); // links resolved: the order events themselves
        QStringList types;
        for (quint64 i = 0; i < index.size(); ++i)
            types << QString::fromUtf8(index.streamName(i) + '/' + index.typeName(i));
        QCOMPARE(types.join(QLatin1Char(' ')),
                 QStringLiteral("order-1/OrderPlaced order-1/OrderShipped order-2/OrderPlaced order-1/OrderPaid"));
    }

    void goToStreamOpensAnUnlistedStream()
    {
        MainWindow window;
        window.connectTo(m_plain.settings());
        StreamBrowser *browser = window.streamBrowser();
        QAction *goTo = window.findChild<QAction *>(QStringLiteral("goToStreamAction"));
        QVERIFY(goTo);
        QCOMPARE(goTo->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
        goTo->trigger();
        auto *dialog = browser->findChild<QInputDialog *>(QStringLiteral("goToStreamDialog"));
        QVERIFY(dialog);
        QSignalSpy changed(browser, &StreamBrowser::currentStreamChanged);
        dialog->setTextValue(QStringLiteral("not-written-yet"));
        dialog->accept();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(browser->currentStream(), QByteArray("not-written-yet"));
        QTRY_COMPARE(window.session()->stream(), QByteArray("not-written-yet"));
    }
};

QTEST_MAIN(TestStreamBrowserSources)
#include "tst_streambrowsersources.moc"
