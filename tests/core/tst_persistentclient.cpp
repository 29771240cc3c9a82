// PersistentSubscriptionsClient against the sandbox: every call, the typed errors, a consumer
// acking and nacking (park, retry), replaying parked messages, a restart on --db, and a cluster
// follower's not-leader answer followed to the leader.
#include "client/PersistentSubscriptionsClient.h"
#include "client/StreamsClient.h"
#include "connection/ConnectionSettings.h"

#include "SandboxCluster.h"
#include "SandboxServer.h"
#include "support/Eventually.h"

#include "persistent.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <mutex>

using namespace chronoscope;
using namespace chronoscope::sandbox;

namespace {

ConnectionSettings settingsFor(const QString &hosts, const QString &query = QStringLiteral("tls=false"))
{
    return ConnectionString::parse(QStringLiteral("kurrentdb://%1?%2").arg(hosts, query)).settings;
}

void appendTo(EventStore &store, const std::string &stream, int n)
{
    for (int i = 0; i < n; ++i)
        store.append(stream, EventStore::Expected::Any, 0,
                     {ProposedEvent{QUuid::createUuid(), "Tick", true, "{\"i\":" + std::to_string(i) + "}", {}, 0}});
}

PersistentSubscriptionSettings fast()
{
    PersistentSubscriptionSettings s;
    s.messageTimeoutMs = 10000;
    s.readBatchSize = 10;
    s.historyBufferSize = 100;
    s.liveBufferSize = 100;
    s.checkpointAfterMs = 0;
    s.minCheckpointCount = 1;
    s.maxCheckpointCount = 1;
    return s;
}

/// Collects what a consumer receives.
struct Received
{
    mutable std::mutex mutex;
    QList<PersistentEvent> events;
    QString confirmation;
    std::optional<ClientError> end;

    QList<PersistentEvent> waitFor(int n, int ms = 5000) const
    {
        QElapsedTimer t;
        t.start();
        for (;;) {
            {
                std::lock_guard lock(mutex);
                if (events.size() >= n || t.elapsed() > ms)
                    return events;
            }
            QThread::msleep(5);
        }
    }
    std::optional<ClientError> waitEnd(int ms = 5000) const
    {
        QElapsedTimer t;
        t.start();
        for (;;) {
            {
                std::lock_guard lock(mutex);
                if (end || t.elapsed() > ms)
                    return end;
            }
            QThread::msleep(5);
        }
    }
};

std::unique_ptr<PersistentSubscription> consume(const PersistentSubscriptionsClient &client, const PersistentGroup &g,
                                                Received *r, int buffer = 10)
{
    return client.subscribe(
        g, buffer,
        [r](PersistentEvent &&e) {
            std::lock_guard lock(r->mutex);
            r->events.push_back(std::move(e));
        },
        [r](const ClientError &e) {
            std::lock_guard lock(r->mutex);
            r->end = e;
        },
        [r](const QString &id) {
            std::lock_guard lock(r->mutex);
            r->confirmation = id;
        });
}

} // namespace

class TestPersistentClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyCallAndTypedErrors();
    void consumeAckNackReplay();
    void updateDropsAndMaxSubscribers();
    void survivesRestartOnDb();
    void followsNotLeaderToTheLeader();
};

void TestPersistentClient::everyCallAndTypedErrors()
{
    SandboxServer server;
    QString why;
    const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
    QVERIFY2(port > 0, qPrintable(why));
    PersistentSubscriptionsClient client(settingsFor(QStringLiteral("127.0.0.1:%1").arg(port)));
    QVERIFY(!client.error());

    // The server says it serves the calls, so official clients use gRPC.
    StreamsClient streams(settingsFor(QStringLiteral("127.0.0.1:%1").arg(port)));
    const ServerInfo features = streams.serverInfo();
    for (const char *m : {"create", "update", "delete", "read", "getinfo", "replayparked", "list", "restartsubsystem"})
        QVERIFY2(
            features.supports(QStringLiteral("event_store.client.persistent_subscriptions.PersistentSubscriptions"),
                              QString::fromLatin1(m)),
            m);

    PersistentSubscriptionSettings s = fast();
    s.consumerStrategy = QStringLiteral("PinnedByCorrelation");
    s.maxRetryCount = 3;
    s.resolveLinks = true;
    QVERIFY(!client.create(PersistentGroup::onStream("orders", QStringLiteral("emails")), s).error);
    QVERIFY(!client
                 .create(PersistentGroup::onAll(QStringLiteral("audit")), fast(),
                         ReadFilter::streamPrefix({QStringLiteral("order")}))
                 .error);
    const ClientError exists = client.create(PersistentGroup::onStream("orders", QStringLiteral("emails")), s).error;
    QCOMPARE(exists.kind, ClientError::Kind::PersistentSubscriptionExists);
    QCOMPARE(exists.groupName, QStringLiteral("emails"));
    QCOMPARE(exists.streamName, QByteArray("orders"));
    PersistentSubscriptionSettings bad = fast();
    bad.readBatchSize = 500;
    const ClientError failed = client.create(PersistentGroup::onStream("orders", QStringLiteral("x")), bad).error;
    QCOMPARE(failed.kind, ClientError::Kind::PersistentSubscriptionFailed);
    QVERIFY(failed.message.contains(QLatin1String("ReadBatchSize")));

    const PersistentInfoResult info = client.getInfo(PersistentGroup::onStream("orders", QStringLiteral("emails")));
    QVERIFY(!info.error);
    QCOMPARE(info.info.settings.consumerStrategy, QStringLiteral("PinnedByCorrelation"));
    QCOMPARE(info.info.settings.maxRetryCount, 3);
    QVERIFY(info.info.settings.resolveLinks);
    QCOMPARE(info.info.settings.startFrom, std::optional<quint64>(0));
    QCOMPARE(client.getInfo(PersistentGroup::onAll(QStringLiteral("audit"))).info.startFrom, QStringLiteral("C:0/P:0"));
    QCOMPARE(client.getInfo(PersistentGroup::onStream("orders", QStringLiteral("nope"))).error.kind,
             ClientError::Kind::PersistentSubscriptionNotFound);

    QCOMPARE(client.list().subscriptions.size(), 2);
    QCOMPARE(client.list(QByteArray("orders")).subscriptions.size(), 1);
    QCOMPARE(client.list(QByteArray("$all")).subscriptions.first().groupName, QStringLiteral("audit"));
    QCOMPARE(client.list(QByteArray("nothing")).error.kind, ClientError::Kind::PersistentSubscriptionNotFound);

    PersistentSubscriptionSettings changed = fast();
    changed.messageTimeoutMs = 777;
    changed.consumerStrategy = QStringLiteral("DispatchToSingle");
    QVERIFY(!client.update(PersistentGroup::onStream("orders", QStringLiteral("emails")), changed).error);
    const auto after = client.getInfo(PersistentGroup::onStream("orders", QStringLiteral("emails"))).info;
    QCOMPARE(after.settings.messageTimeoutMs, 777);
    QCOMPARE(after.settings.consumerStrategy, QStringLiteral("DispatchToSingle"));
    QCOMPARE(client.update(PersistentGroup::onStream("orders", QStringLiteral("nope")), changed).error.kind,
             ClientError::Kind::PersistentSubscriptionNotFound);

    QVERIFY(!client.replayParked(PersistentGroup::onStream("orders", QStringLiteral("emails"))).error);
    QCOMPARE(client.replayParked(PersistentGroup::onStream("orders", QStringLiteral("nope")), 3).error.kind,
             ClientError::Kind::PersistentSubscriptionNotFound);
    QVERIFY(!client.restartSubsystem().error);
    QCOMPARE(client.list().subscriptions.size(), 2); // reloaded from the config stream

    QVERIFY(!client.remove(PersistentGroup::onAll(QStringLiteral("audit"))).error);
    QCOMPARE(client.remove(PersistentGroup::onAll(QStringLiteral("audit"))).error.kind,
             ClientError::Kind::PersistentSubscriptionNotFound);
    QCOMPARE(client.list().subscriptions.size(), 1);

    // A server that is not there: a typed transport error, not a hang.
    PersistentSubscriptionsClient gone(settingsFor(QStringLiteral("127.0.0.1:1")));
    QCOMPARE(gone.list().error.kind, ClientError::Kind::Unavailable);
}

void TestPersistentClient::consumeAckNackReplay()
{
    SandboxServer server;
    QString why;
    const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
    QVERIFY2(port > 0, qPrintable(why));
    PersistentSubscriptionsClient client(settingsFor(QStringLiteral("127.0.0.1:%1").arg(port)));
    appendTo(server.store(), "orders", 3);
    const PersistentGroup g = PersistentGroup::onStream("orders", QStringLiteral("g"));
    QVERIFY(!client.create(g, fast()).error);
    Received r;
    auto sub = consume(client, g, &r);
    QVERIFY(sub);
    auto events = r.waitFor(3);
    QCOMPARE(events.size(), 3);
    QCOMPARE(r.confirmation, QStringLiteral("orders::g"));
    QCOMPARE(events[0].event.event->revision, quint64(0));
    QCOMPARE(events[0].event.event->type, QByteArray("Tick"));
    QVERIFY(sub->ack({events[0].ackId()}));
    QVERIFY(sub->nack({events[1].ackId()}, NackAction::Park, QStringLiteral("no address")));
    QVERIFY(sub->nack({events[2].ackId()}, NackAction::Retry, QStringLiteral("busy")));
    events = r.waitFor(4);
    QCOMPARE(events.size(), 4);
    QCOMPARE(events[3].event.event->revision, quint64(2));
    QCOMPARE(events[3].retryCount, 1);
    QVERIFY(sub->ack({events[3].ackId()}));
    QVERIFY(eventually([&] { return client.getInfo(g).info.parkedMessageCount == 1; }));
    const auto info = client.getInfo(g).info;
    QCOMPARE(info.connections.size(), 1);
    QCOMPARE(info.connections.first().totalItems, qint64(4));

    QVERIFY(!client.replayParked(g).error);
    events = r.waitFor(5);
    QCOMPARE(events.size(), 5);
    QCOMPARE(events[4].event.event->revision, quint64(1));
    QVERIFY(events[4].event.link); // through the parked stream's link
    QVERIFY(sub->ack({events[4].ackId()}));
    QVERIFY(eventually([&] { return client.getInfo(g).info.lastCheckpointedPosition == QLatin1String("2"); }));
    QCOMPARE(client.getInfo(g).info.parkedMessageCount, qint64(0));
    sub->cancel();
    QCOMPARE(r.waitEnd()->kind, ClientError::Kind::Cancelled);

    // Deleting the group ends its consumers.
    Received r2;
    auto sub2 = consume(client, g, &r2);
    QVERIFY(eventually([&] { return client.getInfo(g).info.connections.size() == 1; }));
    QVERIFY(!client.remove(g).error);
    QVERIFY(r2.waitEnd().has_value());
    QVERIFY(r2.end->isError());
    // Reading a group that does not exist.
    Received r3;
    auto sub3 = consume(client, PersistentGroup::onStream("orders", QStringLiteral("none")), &r3);
    QCOMPARE(r3.waitEnd()->kind, ClientError::Kind::PersistentSubscriptionNotFound);
}

void TestPersistentClient::updateDropsAndMaxSubscribers()
{
    SandboxServer server;
    QString why;
    const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
    QVERIFY2(port > 0, qPrintable(why));
    PersistentSubscriptionsClient client(settingsFor(QStringLiteral("127.0.0.1:%1").arg(port)));
    const PersistentGroup g = PersistentGroup::onStream("orders", QStringLiteral("g"));
    PersistentSubscriptionSettings s = fast();
    s.maxSubscriberCount = 1;
    QVERIFY(!client.create(g, s).error);
    Received a, b;
    auto first = consume(client, g, &a);
    QVERIFY(eventually([&] {
        std::lock_guard lock(a.mutex);
        return !a.confirmation.isEmpty();
    }));
    auto second = consume(client, g, &b);
    QCOMPARE(b.waitEnd()->kind, ClientError::Kind::MaximumSubscribersReached);
    QVERIFY(!client.update(g, s).error);
    QVERIFY(a.waitEnd().has_value());
    QVERIFY(a.end->isError());
}

void TestPersistentClient::survivesRestartOnDb()
{
    QTemporaryDir dir;
    SandboxServer server;
    std::string why, notice;
    QVERIFY(server.store().openLog(dir.filePath(QStringLiteral("db")).toStdString(), &why, &notice));
    QString error;
    const int port = server.start(QStringLiteral("127.0.0.1:0"), &error);
    QVERIFY2(port > 0, qPrintable(error));
    PersistentSubscriptionsClient client(settingsFor(QStringLiteral("127.0.0.1:%1").arg(port)));
    appendTo(server.store(), "orders", 3);
    const PersistentGroup g = PersistentGroup::onStream("orders", QStringLiteral("g"));
    QVERIFY(!client.create(g, fast()).error);
    {
        Received r;
        auto sub = consume(client, g, &r);
        const auto events = r.waitFor(3);
        QCOMPARE(events.size(), 3);
        sub->ack({events[0].ackId(), events[2].ackId()});
        sub->nack({events[1].ackId()}, NackAction::Park, QStringLiteral("bad"));
        QVERIFY(eventually([&] { return client.getInfo(g).info.lastCheckpointedPosition == QLatin1String("2"); }));
    }
    QVERIFY2(server.restart(&error), qPrintable(error));
    const auto info = client.getInfo(g);
    QVERIFY2(!info.error, qPrintable(info.error.toString()));
    QCOMPARE(info.info.lastCheckpointedPosition, QStringLiteral("2"));
    QCOMPARE(info.info.parkedMessageCount, qint64(1));
    Received r;
    auto sub = consume(client, g, &r);
    QVERIFY(!client.replayParked(g).error);
    const auto events = r.waitFor(1);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].event.event->revision, quint64(1));
}

void TestPersistentClient::followsNotLeaderToTheLeader()
{
    SandboxServer first;
    SandboxCluster cluster(first, 3);
    QString why;
    QVERIFY2(cluster.start(QStringLiteral("127.0.0.1:0"), &why), qPrintable(why));
    const QList<int> ports = cluster.ports();
    {
        // What the follower answers on the wire: not-leader, naming the leader.
        const auto stub = event_store::client::persistent_subscriptions::PersistentSubscriptions::NewStub(
            grpc::CreateChannel("127.0.0.1:" + std::to_string(ports[1]), grpc::InsecureChannelCredentials()));
        grpc::ClientContext ctx;
        ctx.AddMetadata("requires-leader", "true");
        event_store::client::persistent_subscriptions::ListReq req;
        req.mutable_options()->mutable_list_all_subscriptions();
        event_store::client::persistent_subscriptions::ListResp resp;
        QCOMPARE(stub->List(&ctx, req, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
        const auto &trailers = ctx.GetServerTrailingMetadata();
        const auto it = trailers.find("exception");
        QVERIFY(it != trailers.end());
        QCOMPARE(std::string(it->second.data(), it->second.size()), std::string("not-leader"));
    }
    // Straight to a follower, no discovery: it answers not-leader, the client goes to the leader.
    PersistentSubscriptionsClient client(settingsFor(QStringLiteral("127.0.0.1:%1").arg(ports[1])));
    QVERIFY(!client.create(PersistentGroup::onStream("orders", QStringLiteral("g")), fast()).error);
    QCOMPARE(client.list().subscriptions.size(), 1);
    cluster.shutdown();
}

QTEST_GUILESS_MAIN(TestPersistentClient)
#include "tst_persistentclient.moc"
