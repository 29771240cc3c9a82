// The demo's user projection (issue 13 item 7): "order-totals" runs on the demo server with a deliberate
// bug (its refund handler misspelt), so comparing it with the shipped source finds exactly the refunded
// orders, at /paid and /refunded; the shipped source agrees with the demo reducer for every order.
#include "EventStore.h"
#include "SandboxServer.h"
#include "UserProjections.h"
#include "client/ProjectionsClient.h"
#include "client/StreamsClient.h"
#include "demo/DemoHistory.h"
#include "demo/DemoProjections.h"
#include "demo/DemoSeeder.h"
#include "json/JsonDiff.h"
#include "projections/ProjectionCompare.h"
#include "script/ReducerFile.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::projections;

namespace {

const DemoHistory::Options kOptions{10000, 4711, 1782864000000, 90};

/// The demo reducer's view of every order: orders[orderId] after folding the whole history.
QJsonObject demoReducerOrders(const StreamsClient &streams)
{
    engine::ReducerFile::LoadError error;
    const auto file = engine::ReducerFile::load(
        QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/resources/reducers/demo-orders.reducer.json"), &error);
    if (!file)
        return {};
    const auto reducer = file->createReducer(&error);
    reducer->reset();
    QList<RecordedEvent> events;
    streams.read(ReadRequest::forAll().filtered(ReadFilter::excludeSystemEvents()), [&](ResolvedEvent &&r) {
        if (r.event && !r.event->streamId.startsWith('$'))
            events.append(*r.event);
        return true;
    });
    std::vector<engine::FoldEvent> fold;
    for (qsizetype i = 0; i < events.size(); ++i)
        fold.push_back({&events.at(i), nullptr, quint64(i)});
    reducer->fold(fold.data(), qsizetype(fold.size()));
    return reducer->state().toObject().value(QLatin1String("orders")).toObject();
}

} // namespace

class TestDemoProjection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void driftsForExactlyTheRefundedOrders()
    {
        // As the app's demo server does it (app/DemoServer.cpp): seed, system projections, then ours.
        sandbox::SandboxServer server;
        sandbox::seedDemoHistory(server.store(), kOptions);
        server.store().configureProjections(true, true);
        std::string error;
        QVERIFY2(sandbox::createDemoProjections(server.store(), &error), error.c_str());
        QString why;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        QVERIFY(server.store().userProjections()->waitIdle(60000));

        // The refunded orders, from the history itself.
        QSet<QString> refunded;
        DemoHistory(kOptions).generate([&](const DemoEvent &e) {
            if (e.type == "PaymentRefunded")
                refunded.insert(QJsonDocument::fromJson(e.data).object().value(QLatin1String("orderId")).toString());
            return true;
        });
        QVERIFY(refunded.size() >= 10);

        const ConnectionSettings settings =
            ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port)).settings;
        const StreamsClient streams(settings);
        const ProjectionsClient projections(settings);
        ProjectionCompareOptions options;
        options.name = QString::fromLatin1(sandbox::kDemoProjectionName);
        options.localSource = QString::fromStdString(sandbox::demoOrderTotalsSource());
        QHash<QString, QJsonValue> local;
        const ProjectionCompareReport r =
            ProjectionCompare(streams, projections, options).run(nullptr, {}, [&](const PartitionComparison &c) {
                local.insert(c.partition, c.local);
            });
        QVERIFY2(r.complete(), qPrintable(r.error.toString() + r.problem));
        QVERIFY(r.definition.differs);
        QCOMPARE(r.definition.serverSource, QString::fromStdString(sandbox::deployedDemoOrderTotalsSource()));
        QSet<QString> differing;
        for (const PartitionComparison &c : r.differences) {
            differing.insert(c.partition);
            QCOMPARE(c.status, PartitionComparison::Status::Different);
            QCOMPARE(c.paths, (QStringList{QStringLiteral("/paid"), QStringLiteral("/refunded")}));
        }
        QCOMPARE(differing, refunded);
        QCOMPARE(r.counts.equal + r.counts.different, r.counts.partitions);

        // The shipped source is right: every order as the demo reducer has it.
        const QJsonObject orders = demoReducerOrders(streams);
        QCOMPARE(qsizetype(orders.size()), local.size());
        engine::DiffOptions exact;
        exact.buildTree = false;
        for (auto it = orders.begin(); it != orders.end(); ++it)
            QVERIFY2(engine::JsonDiff::diff(it.value(), local.value(it.key()), exact).isEmpty(), qPrintable(it.key()));

        // And the server did what its own source says: compared with it, nothing differs.
        options.localSource.reset();
        const ProjectionCompareReport own = ProjectionCompare(streams, projections, options).run();
        QVERIFY(own.complete());
        QCOMPARE(own.counts.differing(), quint64(0));
    }
};

QTEST_GUILESS_MAIN(TestDemoProjection)
#include "tst_demoprojection.moc"
