// The correlation chain reads `$bc-<id>` with the same bound as its `$all` scan: a stream (or a
// server) that goes on past it is cut there and says so, instead of growing the list for as long
// as events come. Against the in-process sandbox with its standard projections running.
#include "EventStore.h"
#include "SandboxServer.h"
#include "client/EventLookup.h"
#include "client/StreamsClient.h"

#include <QTest>

using namespace chronoscope;

class TestCorrelationBound : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void longByCorrelationStreamIsCutAtTheBound()
    {
        sandbox::SandboxServer server;
        server.store().configureProjections(true, true); // $by_correlation_id writes $bc-<id>
        QString why;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        std::vector<sandbox::ProposedEvent> events;
        for (int i = 0; i < 5; ++i)
            events.push_back({QUuid::createUuid(), "Shipped", true, "{\"n\":" + std::to_string(i) + "}",
                              R"({"$correlationId":"c-9"})", 0});
        QVERIFY(!server.store().append("order-1", sandbox::EventStore::Expected::Any, 0, events).error);

        StreamsClient client(
            ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port)).settings);
        QTRY_COMPARE_WITH_TIMEOUT(client.readAll(ReadRequest::forStream("$bc-c-9")).events.size(), size_t(5), 10000);

        const EventLookup::Chain all = EventLookup::correlationChain(client, QStringLiteral("c-9"), 5, nullptr);
        QVERIFY2(all.error.isEmpty(), qPrintable(all.error));
        QVERIFY(all.viaCategoryStream && !all.limitReached);
        QCOMPARE(all.events.size(), 5);

        const EventLookup::Chain cut = EventLookup::correlationChain(client, QStringLiteral("c-9"), 3, nullptr);
        QCOMPARE(cut.error,
                 QStringLiteral("more than 3 events share correlation id c-9 ($bc-c-9): only the first 3 are listed"));
        QVERIFY(cut.viaCategoryStream && cut.limitReached);
        QCOMPARE(cut.events.size(), 3);
        QCOMPARE(cut.events.last().data, QByteArrayLiteral("{\"n\":2}"));
    }
};

QTEST_GUILESS_MAIN(TestCorrelationBound)
#include "tst_correlationbound.moc"
