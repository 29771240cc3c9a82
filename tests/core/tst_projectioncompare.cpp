// ProjectionCompare against the sandbox's user projections: equal, different (with paths), missing on
// either side, a fold bounded by the projection's reported position, definition drift, cancel, the
// partition's events and the first diverging one, and the GUI runner.
#include "EventStore.h"
#include "SandboxServer.h"
#include "UserProjections.h"
#include "client/ProjectionsClient.h"
#include "client/StreamsClient.h"
#include "projections/ProjectionCompare.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::projections;
using Status = PartitionComparison::Status;

namespace {

const char *kTotals = R"(fromCategory('order').foreachStream().when({
    $init: function () { return { total: 0, items: 0 }; },
    ItemAdded: function (s, e) { s.total += e.body.price; s.items += 1; },
    Refunded: function (s, e) { s.total -= e.body.amount; }
});)";

// The same, forgetting refunds: orders with a refund drift at /total.
const char *kForgetsRefunds = R"(fromCategory('order').foreachStream().when({
    $init: function () { return { total: 0, items: 0 }; },
    ItemAdded: function (s, e) { s.total += e.body.price; s.items += 1; }
});)";

// Other partitions: order-3 skipped, order-2 renamed.
const char *kOtherPartitions = R"(fromCategory('order').partitionBy(function (e) {
    if (e.streamId === 'order-3') return null;
    return e.streamId === 'order-2' ? 'order-2x' : e.streamId;
}).when({
    $init: function () { return { total: 0, items: 0 }; },
    ItemAdded: function (s, e) { s.total += e.body.price; s.items += 1; },
    Refunded: function (s, e) { s.total -= e.body.amount; }
});)";

sandbox::ProposedEvent event(const char *type, const std::string &data)
{
    return sandbox::ProposedEvent{QUuid::createUuid(), type, true, data, {}, 0};
}
sandbox::ProposedEvent item(int price)
{
    return event("ItemAdded", "{\"price\":" + std::to_string(price) + "}");
}
sandbox::ProposedEvent refund(int amount)
{
    return event("Refunded", "{\"amount\":" + std::to_string(amount) + "}");
}

ConnectionSettings settingsFor(int port)
{
    return ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port)).settings;
}

const PartitionComparison *find(const ProjectionCompareReport &r, const QString &partition)
{
    for (const PartitionComparison &c : r.differences)
        if (c.partition == partition)
            return &c;
    return nullptr;
}

} // namespace

class TestProjectionCompare : public QObject
{
    Q_OBJECT

    sandbox::SandboxServer *m_server = nullptr;
    std::unique_ptr<StreamsClient> m_streams;
    std::unique_ptr<ProjectionsClient> m_projections;

    ProjectionCompareReport compare(const char *localSource = nullptr, std::optional<Position> foldTo = {})
    {
        ProjectionCompareOptions options;
        options.name = QStringLiteral("totals");
        if (localSource)
            options.localSource = QString::fromUtf8(localSource);
        options.foldTo = foldTo;
        return ProjectionCompare(*m_streams, *m_projections, options).run();
    }

private Q_SLOTS:
    void init()
    {
        m_server = new sandbox::SandboxServer;
        m_server->store().configureProjections(true, false);
        QString why;
        const int port = m_server->start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        auto &store = m_server->store();
        const auto any = sandbox::EventStore::Expected::Any;
        QVERIFY(!store.append("order-1", any, 0, {item(10), item(5)}).error);
        QVERIFY(!store.append("order-2", any, 0, {item(20), refund(4)}).error);
        QVERIFY(!store.append("order-3", any, 0, {item(7), refund(7), item(1)}).error);
        QVERIFY(!store.append("customer-1", any, 0, {item(99)}).error); // not an order
        m_streams = std::make_unique<StreamsClient>(settingsFor(port));
        m_projections = std::make_unique<ProjectionsClient>(settingsFor(port));
        QVERIFY(!m_projections->createContinuous(QStringLiteral("totals"), QString::fromUtf8(kTotals)).error);
        QVERIFY(store.userProjections()->waitIdle(10000));
    }
    void cleanup()
    {
        m_projections.reset();
        m_streams.reset();
        delete m_server;
        m_server = nullptr;
    }

    void equalAgainstItsOwnSource()
    {
        QList<PartitionComparison> streamed;
        ProjectionCompareOptions options;
        options.name = QStringLiteral("totals");
        QList<ProjectionCompareProgress::Phase> phases;
        const ProjectionCompareReport r = ProjectionCompare(*m_streams, *m_projections, options)
                                              .run(
                                                  nullptr,
                                                  [&](const ProjectionCompareProgress &p) {
                                                      if (phases.isEmpty() || phases.constLast() != p.phase)
                                                          phases.append(p.phase);
                                                  },
                                                  [&](const PartitionComparison &c) { streamed.append(c); });
        QVERIFY2(r.complete(), qPrintable(r.error.toString() + r.problem));
        QVERIFY(r.positionBounded);
        QCOMPARE(r.counts.partitions, quint64(3));
        QCOMPARE(r.counts.equal, quint64(3));
        QCOMPARE(r.counts.differing(), quint64(0));
        QCOMPARE(r.eventsFolded, quint64(7));
        QCOMPARE(streamed.size(), 3);
        QVERIFY(!r.definition.localGiven);
        QVERIFY(r.definition.serverSource.contains(QLatin1String("Refunded")));
        QCOMPARE(r.definition.serverSha256, ProjectionCompare::sha256(QString::fromUtf8(kTotals)));
        QCOMPARE(phases.constLast(), ProjectionCompareProgress::Phase::Done);
        QVERIFY(phases.contains(ProjectionCompareProgress::Phase::Fetching));
    }

    void differentWithPathsAndDrift()
    {
        const ProjectionCompareReport r = compare(kForgetsRefunds);
        QVERIFY2(r.complete(), qPrintable(r.error.toString() + r.problem));
        QVERIFY(r.definition.localGiven);
        QVERIFY(r.definition.differs);
        QCOMPARE(r.definition.localSha256.size(), 64);
        QCOMPARE(r.counts.equal, quint64(1)); // order-1 has no refund
        QCOMPARE(r.counts.different, quint64(2));
        QCOMPARE(r.differences.size(), 2);
        const PartitionComparison *two = find(r, QStringLiteral("order-2"));
        QVERIFY(two);
        QCOMPARE(two->status, Status::Different);
        QCOMPARE(two->paths, QStringList{QStringLiteral("/total")});
        QCOMPARE(two->local.toObject().value(QLatin1String("total")).toDouble(), 20.0);
        QCOMPARE(two->server.toObject().value(QLatin1String("total")).toDouble(), 16.0);
        QCOMPARE(two->eventCount, quint64(2));
        QCOMPARE(two->streams, QStringList{QStringLiteral("order-2")});
        QCOMPARE(two->events.size(), 2);
        QCOMPARE(two->events.at(1).type, QByteArray("Refunded"));
        QCOMPARE(PartitionComparison::statusName(two->status), QStringLiteral("different"));

        // Which event made them part: the refund (second event of order-2).
        const PartitionDivergence d = ProjectionCompare::firstDivergence(*m_streams, QString::fromUtf8(kForgetsRefunds),
                                                                         QString::fromUtf8(kTotals), two->partition,
                                                                         two->events);
        QVERIFY2(!d.error && d.problem.isEmpty(), qPrintable(d.error.toString() + d.problem));
        QCOMPARE(d.index, 1);
        QCOMPARE(d.after.toObject().value(QLatin1String("total")).toDouble(), 16.0);
        QCOMPARE(d.eventsRead, 2);
        QVERIFY(!d.cancelled);

        // Its time is the event's; progress counts the events folded; a cancelled look says so and blames none.
        std::optional<RecordedEvent> refund;
        m_streams->read(
            ReadRequest::forStream(two->events.at(1).stream).fromRevision(two->events.at(1).revision).count(1),
            [&](ResolvedEvent &&e) {
                refund = e.event;
                return false;
            });
        QVERIFY(refund);
        QCOMPARE(d.createdMs, refund->createdMsecsSinceEpoch());
        QList<int> progress;
        const PartitionDivergence again = ProjectionCompare::firstDivergence(
            *m_streams, QString::fromUtf8(kForgetsRefunds), QString::fromUtf8(kTotals), two->partition, two->events,
            nullptr, [&](int done) { progress << done; });
        QCOMPARE(again.index, 1);
        QCOMPARE(progress, (QList<int>{1, 2}));
        const CancellationPtr cancel = std::make_shared<Cancellation>();
        const PartitionDivergence cancelled = ProjectionCompare::firstDivergence(
            *m_streams, QString::fromUtf8(kForgetsRefunds), QString::fromUtf8(kTotals), two->partition, two->events,
            cancel, [&](int) { cancel->cancel(); });
        QVERIFY(cancelled.cancelled);
        QCOMPARE(cancelled.index, -1);
        QCOMPARE(cancelled.eventsRead, 1);
    }

    void missingOnEitherSide()
    {
        const ProjectionCompareReport r = compare(kOtherPartitions);
        QVERIFY2(r.complete(), qPrintable(r.error.toString() + r.problem));
        QCOMPARE(r.counts.partitions, quint64(4)); // order-1, order-2x locally; order-2, order-3 on the server
        QCOMPARE(r.counts.equal, quint64(1));
        QCOMPARE(r.counts.missingOnServer, quint64(1));
        QCOMPARE(r.counts.missingLocally, quint64(2));
        QCOMPARE(find(r, QStringLiteral("order-2x"))->status, Status::MissingOnServer);
        QCOMPARE(find(r, QStringLiteral("order-2"))->status, Status::MissingLocally);
        QCOMPARE(find(r, QStringLiteral("order-3"))->status, Status::MissingLocally);
        QCOMPARE(find(r, QStringLiteral("order-3"))->server.toObject().value(QLatin1String("items")).toDouble(), 2.0);
    }

    void foldStopsAtTheReportedPosition()
    {
        // Stopped: its position stays while events go on being appended.
        QVERIFY(!m_projections->disable(QStringLiteral("totals")).error);
        const QString tag = m_projections->status(QStringLiteral("totals")).details.position;
        QVERIFY(!m_server->store().append("order-1", sandbox::EventStore::Expected::Any, 0, {item(1000)}).error);
        QVERIFY(!m_server->store().append("order-9", sandbox::EventStore::Expected::Any, 0, {item(3)}).error);

        const ProjectionCompareReport bounded = compare();
        QVERIFY2(bounded.complete(), qPrintable(bounded.error.toString() + bounded.problem));
        QCOMPARE(bounded.foldedTo, *ProjectionCompare::positionOfTag(tag));
        QCOMPARE(bounded.eventsFolded, quint64(7));
        QCOMPARE(bounded.counts.partitions, quint64(3));
        QCOMPARE(bounded.counts.differing(), quint64(0));

        // Folded to the head instead, the later events count: order-1 differs, order-9 is not on the server.
        const ProjectionCompareReport head = compare(nullptr, Position::end());
        QVERIFY(head.complete());
        QCOMPARE(head.eventsFolded, quint64(9));
        QCOMPARE(head.counts.different, quint64(1));
        QCOMPARE(find(head, QStringLiteral("order-1"))->paths,
                 (QStringList{QStringLiteral("/items"), QStringLiteral("/total")}));
        QCOMPARE(find(head, QStringLiteral("order-9"))->status, Status::MissingOnServer);
    }

    void cancelStops()
    {
        ProjectionCompareOptions options;
        options.name = QStringLiteral("totals");
        options.concurrency = 1;
        auto cancel = std::make_shared<Cancellation>();
        int seen = 0;
        const ProjectionCompareReport r =
            ProjectionCompare(*m_streams, *m_projections, options).run(cancel, {}, [&](const PartitionComparison &) {
                ++seen;
                cancel->cancel();
            });
        QVERIFY(r.cancelled);
        QVERIFY(!r.complete());
        QCOMPARE(seen, 1); // nothing is reported after the cancel
        QVERIFY(r.counts.partitions < 3);

        auto before = std::make_shared<Cancellation>();
        before->cancel();
        const ProjectionCompareReport early = ProjectionCompare(*m_streams, *m_projections, options).run(before);
        QVERIFY(early.cancelled);
        QCOMPARE(early.counts.partitions, quint64(0));
    }

    void notPartitioned()
    {
        const char *count = "fromCategory('order').when({ $init: function () { return { n: 0 }; },"
                            " ItemAdded: function (s, e) { s.n += 1; } });";
        QVERIFY(!m_projections->createContinuous(QStringLiteral("count"), QString::fromUtf8(count)).error);
        QVERIFY(m_server->store().userProjections()->waitIdle(10000));
        ProjectionCompareOptions options;
        options.name = QStringLiteral("count");
        ProjectionCompareReport r = ProjectionCompare(*m_streams, *m_projections, options).run();
        QVERIFY2(r.complete(), qPrintable(r.error.toString() + r.problem));
        QCOMPARE(r.counts.partitions, quint64(1));
        QCOMPARE(r.counts.equal, quint64(1));
        options.localSource = QString::fromUtf8(count).replace(QStringLiteral("s.n += 1"), QStringLiteral("s.n += 2"));
        r = ProjectionCompare(*m_streams, *m_projections, options).run();
        QCOMPARE(r.counts.different, quint64(1));
        QCOMPARE(r.differences.constFirst().partition, QString());
        QCOMPARE(r.differences.constFirst().paths, QStringList{QStringLiteral("/n")});
        QCOMPARE(r.differences.constFirst().server.toObject().value(QLatin1String("n")).toDouble(),
                 5.0); // ItemAdded: 2 + 1 + 2
    }

    void errors()
    {
        ProjectionCompareOptions options;
        options.name = QStringLiteral("nope");
        QCOMPARE(ProjectionCompare(*m_streams, *m_projections, options).run().error.kind, ClientError::Kind::NotFound);
        const ProjectionCompareReport broken = compare("fromCategory('order').when({ oops");
        QVERIFY(!broken.complete());
        QVERIFY(!broken.problem.isEmpty());
        QCOMPARE(ProjectionCompare::positionOfTag(QStringLiteral("C:12/P:10")), (Position{12, 10}));
        QVERIFY(!ProjectionCompare::positionOfTag(QStringLiteral("C:-1/P:-1")));
        QVERIFY(!ProjectionCompare::positionOfTag(QStringLiteral("order-1: 3")));
    }

    void runnerReportsOnItsThread()
    {
        ProjectionCompareRunner runner;
        std::shared_ptr<const StreamsClient> streams(m_streams.get(), [](const StreamsClient *) {});
        std::shared_ptr<const ProjectionsClient> projections(m_projections.get(), [](const ProjectionsClient *) {});
        runner.setClients(streams, projections);
        QSignalSpy finished(&runner, &ProjectionCompareRunner::finished);
        QSignalSpy batches(&runner, &ProjectionCompareRunner::partitionsCompared);
        ProjectionCompareOptions options;
        options.name = QStringLiteral("totals");
        options.localSource = QString::fromUtf8(kForgetsRefunds);
        runner.start(options);
        QVERIFY(runner.isRunning());
        QVERIFY(finished.wait(20000));
        QVERIFY(!runner.isRunning());
        const auto report = finished.at(0).at(0).value<ProjectionCompareReport>();
        QCOMPARE(report.counts.different, quint64(2));
        int partitions = 0;
        for (const QList<QVariant> &args : batches)
            partitions += int(args.at(0).value<QList<PartitionComparison>>().size());
        QCOMPARE(partitions, 3);
    }
};

QTEST_GUILESS_MAIN(TestProjectionCompare)
#include "tst_projectioncompare.moc"
