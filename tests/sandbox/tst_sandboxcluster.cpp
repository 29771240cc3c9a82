// A 3-node sandbox cluster in-process against our client: gossip, discovery with each node
// preference, the not-leader redirect, a leader killed in the middle of a long read, and a
// resignation through Operations.ResignNode.
#include "ClusterState.h"
#include "SandboxCluster.h"
#include "SandboxServer.h"
#include "client/StreamsClient.h"
#include "support/TestCertificates.h"

#include "operations.grpc.pb.h"
#include "streams.grpc.pb.h"

#include <QCryptographicHash>
#include <QFile>
#include <QElapsedTimer>
#include <QSet>
#include <QTest>

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <mutex>
#include <thread>

using namespace chronoscope;

namespace {

/// node 0 owns the store; the cluster adds nodes 1 and 2 serving it too.
struct Cluster
{
    explicit Cluster(int size = 3, int readOnlyReplicas = 0) : nodes(first, size, readOnlyReplicas) {}
    sandbox::SandboxServer first;
    sandbox::SandboxCluster nodes;

    QList<int> ports() const { return nodes.ports(); }
    int leaderPort() const { return nodes.ports().at(const_cast<Cluster *>(this)->nodes.state().leader()); }
    QString hosts() const
    {
        QStringList out;
        for (int p : ports())
            out << QStringLiteral("127.0.0.1:%1").arg(p);
        return out.join(QLatin1Char(','));
    }
};

std::unique_ptr<StreamsClient> clientFor(const QString &connectionString)
{
    const auto cs = ConnectionString::parse(connectionString);
    if (!cs.ok())
        qFatal("bad connection string %s: %s", qPrintable(connectionString), qPrintable(cs.error));
    return std::make_unique<StreamsClient>(cs.settings);
}

QList<EventData> numbered(int from, int n)
{
    QList<EventData> out;
    for (int i = from; i < from + n; ++i) {
        EventData e = EventData::json("Numbered", "{\"n\":" + QByteArray::number(i) + '}');
        e.id = QUuid::createUuidV5(QUuid(), QStringLiteral("cluster-%1").arg(i));
        out << e;
    }
    return out;
}

/// Appends `count` events to `stream` straight into the store, in batches.
void seed(sandbox::EventStore &store, const std::string &stream, int count)
{
    for (int from = 0; from < count; from += 1000) {
        std::vector<sandbox::ProposedEvent> batch;
        for (int i = from; i < std::min(count, from + 1000); ++i) {
            sandbox::ProposedEvent e;
            e.id = QUuid::createUuidV5(QUuid(), QStringLiteral("cluster-%1").arg(i));
            e.type = "Numbered";
            // ~500 bytes an event: what is left of a read when its node dies (MBs) is more than gRPC
            // and the sockets can have buffered on the way, so the read must really be cut.
            e.data = "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string(450, 'x') + "\"}";
            batch.push_back(std::move(e));
        }
        store.append(stream, sandbox::EventStore::Expected::Any, 0, batch);
    }
}

QByteArray idChecksum(const QList<QUuid> &ids)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QUuid &id : ids)
        hash.addData(id.toRfc4122());
    return hash.result().toHex();
}

} // namespace

class TestSandboxCluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gossipShowsOneLeaderAndFollowers()
    {
        Cluster c;
        QString error;
        QVERIFY2(c.nodes.start(QStringLiteral("127.0.0.1:0"), &error), qPrintable(error));
        // Asked through a follower: gossip is the same from every node.
        auto client = clientFor(QStringLiteral("esdb://127.0.0.1:%1?tls=false").arg(c.ports().at(1)));
        const GossipResult g = client->clusterMembers();
        QVERIFY2(!g.error, qPrintable(g.error.toString()));
        QCOMPARE(g.members.size(), 3);
        QSet<QUuid> ids;
        QSet<int> ports;
        int leaders = 0;
        int followers = 0;
        for (const ClusterMember &m : g.members) {
            QVERIFY(m.alive);
            QVERIFY(m.endPoint);
            QCOMPARE(m.endPoint->host, QStringLiteral("127.0.0.1"));
            QVERIFY(m.timeStamp > 0);
            ids << m.instanceId;
            ports << m.endPoint->port;
            leaders += m.state == ClusterMember::Leader;
            followers += m.state == ClusterMember::Follower;
        }
        QCOMPARE(leaders, 1);
        QCOMPARE(followers, 2);
        QCOMPARE(ids.size(), 3);
        const QList<int> started = c.ports();
        QCOMPARE(ports, QSet<int>(started.begin(), started.end()));
    }

    void discoveryByPreference_data()
    {
        QTest::addColumn<QString>("preference");
        QTest::addColumn<bool>("discover"); // +discover with one seed, or all three hosts as seeds
        QTest::addColumn<QString>("expected"); // leader, follower or any
        for (bool discover : {true, false}) {
            const char *form = discover ? "+discover" : "seeds";
            QTest::addRow("leader %s", form) << "leader" << discover << "leader";
            QTest::addRow("follower %s", form) << "follower" << discover << "follower";
            QTest::addRow("random %s", form) << "random" << discover << "any";
            // No read-only replica in the cluster: the official clients fall back to any node.
            QTest::addRow("readOnlyReplica %s", form) << "readOnlyReplica" << discover << "any";
        }
    }

    void discoveryByPreference()
    {
        QFETCH(QString, preference);
        QFETCH(bool, discover);
        QFETCH(QString, expected);
        Cluster c;
        QString error;
        QVERIFY2(c.nodes.start(QStringLiteral("127.0.0.1:0"), &error), qPrintable(error));
        const QString seeds = discover ? QStringLiteral("127.0.0.1:%1").arg(c.ports().at(2)) : c.hosts();
        QSet<int> chosen;
        for (int i = 0; i < 24; ++i) {
            auto client = clientFor(QStringLiteral("esdb%1://%2?tls=false&nodePreference=%3")
                                        .arg(discover ? QStringLiteral("+discover") : QString(), seeds, preference));
            const AppendResult r = client->append("pref-" + preference.toUtf8(), ExpectedState::any(), numbered(i, 1));
            QVERIFY2(!r.error, qPrintable(r.error.toString()));
            const auto node = client->currentNode();
            QVERIFY(node);
            chosen << node->port;
            if (expected == QLatin1String("leader"))
                QCOMPARE(int(node->port), c.leaderPort());
            else if (expected == QLatin1String("follower"))
                QVERIFY(int(node->port) != c.leaderPort() && c.ports().contains(node->port));
            else
                QVERIFY(c.ports().contains(node->port));
        }
        // Random picks (and the fallbacks) spread over the nodes; 24 draws all alike would be a bug.
        if (expected == QLatin1String("any"))
            QCOMPARE(chosen.size(), 3);
        if (expected == QLatin1String("follower"))
            QCOMPARE(chosen.size(), 2);
    }

    void discoveryGivesUpAfterMaxAttempts()
    {
        // A port nobody listens on: a node started and stopped again.
        int deadPort = 0;
        {
            sandbox::SandboxServer s;
            QString error;
            deadPort = s.start(QStringLiteral("127.0.0.1:0"), &error);
            QVERIFY(deadPort > 0);
        }
        auto client = clientFor(QStringLiteral("esdb+discover://127.0.0.1:%1?tls=false&maxDiscoverAttempts=4"
                                               "&discoveryInterval=100&gossipTimeout=1000").arg(deadPort));
        QElapsedTimer t;
        t.start();
        const AppendResult r = client->append("nowhere", ExpectedState::any(), numbered(0, 1));
        QCOMPARE(r.error.kind, ClientError::Kind::Unavailable);
        QVERIFY2(r.error.message.contains(QLatin1String("4 attempts")), qPrintable(r.error.message));
        QVERIFY2(t.elapsed() >= 300, "three intervals of 100 ms between four attempts");
        QVERIFY2(t.elapsed() < 5000, "connection refused is immediate; the gossip timeout is not waited for");
    }

    void followerAnswersNotLeaderWithLeaderEndpoint()
    {
        Cluster c;
        QString error;
        QVERIFY2(c.nodes.start(QStringLiteral("127.0.0.1:0"), &error), qPrintable(error));
        const int follower = c.ports().at(1);
        auto channel = grpc::CreateChannel(QStringLiteral("127.0.0.1:%1").arg(follower).toStdString(),
                                           grpc::InsecureChannelCredentials());
        auto stub = event_store::client::streams::Streams::NewStub(channel);
        event_store::client::streams::DeleteReq req;
        req.mutable_options()->mutable_stream_identifier()->set_stream_name("any-stream");
        req.mutable_options()->mutable_any();
        event_store::client::streams::DeleteResp resp;
        grpc::ClientContext ctx;
        ctx.AddMetadata("requires-leader", "true");
        const grpc::Status status = stub->Delete(&ctx, req, &resp);
        QCOMPARE(int(status.error_code()), int(grpc::StatusCode::NOT_FOUND));
        QCOMPARE(QString::fromStdString(status.error_message()), QStringLiteral("Leader info available"));
        std::map<std::string, std::string> trailers;
        for (const auto &kv : ctx.GetServerTrailingMetadata())
            trailers[std::string(kv.first.data(), kv.first.size())] = std::string(kv.second.data(), kv.second.size());
        QCOMPARE(trailers["exception"], std::string("not-leader"));
        QCOMPARE(trailers["leader-endpoint-host"], std::string("127.0.0.1"));
        QCOMPARE(trailers["leader-endpoint-port"], std::to_string(c.leaderPort()));

        // Without requires-leader the follower serves it (the real one forwards writes).
        grpc::ClientContext plain;
        QVERIFY(stub->Delete(&plain, req, &resp).error_code() != grpc::StatusCode::NOT_FOUND
                || plain.GetServerTrailingMetadata().find("exception") == plain.GetServerTrailingMetadata().end());
    }

    void appendToFollowerIsRedirectedToLeader()
    {
        Cluster c;
        QString error;
        QVERIFY2(c.nodes.start(QStringLiteral("127.0.0.1:0"), &error), qPrintable(error));
        // One host, no gossip: the client talks to the follower it was given, asking for the leader.
        auto client = clientFor(QStringLiteral("esdb://127.0.0.1:%1?tls=false").arg(c.ports().at(2)));
        const AppendResult r = client->append("redirected-1", ExpectedState::noStream(), numbered(0, 3));
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
        QCOMPARE(r.nextExpectedRevision, std::optional<quint64>(2));
        QCOMPARE(int(client->currentNode()->port), c.leaderPort());
        // Written once: the retry on the leader is the only write.
        const ReadResult read = client->readAll(ReadRequest::forStream("redirected-1"));
        QVERIFY(!read.error);
        QCOMPARE(read.events.size(), 3);
    }

    void leaderKilledMidRead_data()
    {
        QTest::addColumn<bool>("all");
        QTest::addColumn<bool>("forwards");
        QTest::addRow("stream forwards") << false << true;
        QTest::addRow("stream backwards") << false << false;
        QTest::addRow("$all forwards") << true << true;
        QTest::addRow("$all backwards") << true << false;
    }

    void leaderKilledMidRead()
    {
        QFETCH(bool, all);
        QFETCH(bool, forwards);
        constexpr int kEvents = 50000;
        Cluster c;
        seed(c.first.store(), "big-1", kEvents);
        QString error;
        QVERIFY2(c.nodes.start(QStringLiteral("127.0.0.1:0"), &error), qPrintable(error));
        auto client = clientFor(QStringLiteral("esdb://%1?tls=false&discoveryInterval=20").arg(c.hosts()));
        const int oldLeader = c.leaderPort();
        const Direction d = forwards ? Direction::Forwards : Direction::Backwards;
        const ReadRequest request = all ? ReadRequest::forAll(d) : ReadRequest::forStream("big-1", d);
        QList<QUuid> ids;
        ids.reserve(kEvents);
        bool killed = false;
        int readingFrom = 0;
        const ReadSummary s = client->read(request, [&](ResolvedEvent &&e) -> bool {
            ids << e.originalEvent().id;
            if (ids.size() == kEvents / 5 && !killed) {
                readingFrom = client->currentNode() ? int(client->currentNode()->port) : 0;
                c.nodes.killLeader();
                killed = true;
                // Let the server go away before reading on: the rest of the read must come from elsewhere.
                std::this_thread::sleep_for(std::chrono::milliseconds(150));
            }
            return true;
        });
        QVERIFY2(!s.error, qPrintable(s.error.toString()));
        QVERIFY(killed);
        QCOMPARE(readingFrom, oldLeader);
        QCOMPARE(ids.size(), kEvents);
        QCOMPARE(int(s.eventCount), kEvents);
        QCOMPARE(QSet<QUuid>(ids.begin(), ids.end()).size(), kEvents); // no duplicate
        QList<QUuid> expected;
        for (int i = 0; i < kEvents; ++i)
            expected << QUuid::createUuidV5(QUuid(), QStringLiteral("cluster-%1").arg(forwards ? i : kEvents - 1 - i));
        QCOMPARE(idChecksum(ids), idChecksum(expected)); // no gap, in order
        QVERIFY(client->currentNode());
        QVERIFY(int(client->currentNode()->port) != oldLeader);
        QCOMPARE(int(client->currentNode()->port), c.leaderPort());
    }

    void leaderKilledMidSubscription_data()
    {
        QTest::addColumn<bool>("all");
        QTest::addRow("stream") << false;
        QTest::addRow("$all") << true;
    }

    // Caught up on 3 000 events, the leader dies; 500 more are appended (through the new leader)
    // while the subscription reconnects: it must deliver all 3 500, in order, each once.
    void leaderKilledMidSubscription()
    {
        QFETCH(bool, all);
        constexpr int kSeeded = 3000;
        constexpr int kLive = 500;
        Cluster c;
        seed(c.first.store(), "sub-1", kSeeded);
        QString error;
        QVERIFY2(c.nodes.start(QStringLiteral("127.0.0.1:0"), &error), qPrintable(error));
        auto client = clientFor(QStringLiteral("esdb://%1?tls=false&discoveryInterval=20").arg(c.hosts()));
        const int oldLeader = c.leaderPort();

        std::mutex mutex;
        std::condition_variable changed;
        QList<QUuid> ids;
        int caughtUp = 0;
        bool ended = false;
        ClientError end;
        const ReadRequest request = all ? ReadRequest::forAll() : ReadRequest::forStream("sub-1");
        auto subscription = client->subscribe(
            request,
            [&](SubscriptionMessage &&m) {
                std::lock_guard lock(mutex);
                if (m.kind == SubscriptionMessage::Kind::Event && m.event.originalEvent().type == "Numbered")
                    ids << m.event.originalEvent().id;
                else if (m.kind == SubscriptionMessage::Kind::CaughtUp)
                    ++caughtUp;
                changed.notify_all();
            },
            [&](const ClientError &e) {
                std::lock_guard lock(mutex);
                ended = true;
                end = e;
                changed.notify_all();
            });
        {
            std::unique_lock lock(mutex);
            QVERIFY(changed.wait_for(lock, std::chrono::seconds(15), [&] { return caughtUp > 0 || ended; }));
            QVERIFY2(!ended, qPrintable(end.toString()));
            QCOMPARE(ids.size(), kSeeded);
        }
        c.nodes.killLeader();
        QVERIFY(c.leaderPort() != oldLeader);
        for (int from = kSeeded; from < kSeeded + kLive; from += 100) {
            // Appends are not retried by the client (as with the official ones): the call that meets
            // the lost node fails (unavailable, or cancelled as the node stops) and the next
            // reconnects. Pinned to the expected revision, a retry of an append that did land is an
            // idempotent success, never a duplicate.
            AppendResult r;
            for (int attempt = 0; attempt < 3; ++attempt) {
                r = client->append("sub-1", ExpectedState::at(quint64(from) - 1), numbered(from, 100));
                if (r.error.kind != ClientError::Kind::Unavailable && r.error.kind != ClientError::Kind::Cancelled)
                    break;
            }
            QVERIFY2(!r.error, qPrintable(r.error.toString()));
        }
        {
            std::unique_lock lock(mutex);
            changed.wait_for(lock, std::chrono::seconds(15), [&] { return ids.size() >= kSeeded + kLive || ended; });
            QVERIFY2(!ended, qPrintable(end.toString()));
            QCOMPARE(ids.size(), kSeeded + kLive);
            QVERIFY(caughtUp >= 2); // the resubscription caught up again before going live
        }
        subscription->cancel();
        subscription->wait();
        QCOMPARE(end.kind, ClientError::Kind::Cancelled);
        QList<QUuid> expected;
        for (int i = 0; i < kSeeded + kLive; ++i)
            expected << QUuid::createUuidV5(QUuid(), QStringLiteral("cluster-%1").arg(i));
        QCOMPARE(QSet<QUuid>(ids.begin(), ids.end()).size(), kSeeded + kLive); // no duplicate
        QCOMPARE(idChecksum(ids), idChecksum(expected));                       // no gap, in order
    }

    void resignThroughOperations()
    {
        Cluster c;
        QString error;
        QVERIFY2(c.nodes.start(QStringLiteral("127.0.0.1:0"), &error), qPrintable(error));
        auto client = clientFor(QStringLiteral("esdb+discover://127.0.0.1:%1?tls=false").arg(c.ports().at(1)));
        QVERIFY(!client->append("resign-1", ExpectedState::noStream(), numbered(0, 1)).error);
        const int oldLeader = c.leaderPort();
        QCOMPARE(int(client->currentNode()->port), oldLeader);

        auto channel = grpc::CreateChannel(QStringLiteral("127.0.0.1:%1").arg(oldLeader).toStdString(),
                                           grpc::InsecureChannelCredentials());
        event_store::client::Empty empty;
        grpc::ClientContext ctx;
        QVERIFY(event_store::client::operations::Operations::NewStub(channel)->ResignNode(&ctx, empty, &empty).ok());

        const GossipResult g = client->clusterMembers();
        QVERIFY(!g.error);
        int leaders = 0;
        for (const ClusterMember &m : g.members) {
            leaders += m.state == ClusterMember::Leader;
            if (m.state == ClusterMember::Leader)
                QVERIFY(int(m.endPoint->port) != oldLeader);
            if (int(m.endPoint->port) == oldLeader)
                QCOMPARE(m.state, int(ClusterMember::Follower));
        }
        QCOMPARE(leaders, 1);
        // The client still talks to the old leader: its next write gets not-leader, then goes to the new one.
        const AppendResult r = client->append("resign-1", ExpectedState::at(0), numbered(1, 1));
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
        QCOMPARE(int(client->currentNode()->port), c.leaderPort());
        QVERIFY(c.leaderPort() != oldLeader);
    }

    void shutdownThroughOperationsElectsAnother()
    {
        Cluster c;
        QString error;
        QVERIFY2(c.nodes.start(QStringLiteral("127.0.0.1:0"), &error), qPrintable(error));
        const int oldLeader = c.leaderPort();
        auto channel = grpc::CreateChannel(QStringLiteral("127.0.0.1:%1").arg(oldLeader).toStdString(),
                                           grpc::InsecureChannelCredentials());
        event_store::client::Empty empty;
        grpc::ClientContext ctx;
        QVERIFY(event_store::client::operations::Operations::NewStub(channel)->Shutdown(&ctx, empty, &empty).ok());
        auto client = clientFor(QStringLiteral("esdb://%1?tls=false").arg(c.hosts()));
        const AppendResult r = client->append("after-shutdown", ExpectedState::any(), numbered(0, 1));
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
        QVERIFY(int(client->currentNode()->port) != oldLeader);
        const GossipResult g = client->clusterMembers();
        QVERIFY(!g.error);
        for (const ClusterMember &m : g.members)
            if (int(m.endPoint->port) == oldLeader)
                QVERIFY(!m.alive);
    }

    void readOnlyReplicaServesReadsAndNeverLeads()
    {
        Cluster c(2, 1); // nodes 0 and 1 may lead, node 2 is a read-only replica
        seed(c.first.store(), "replicated-1", 5);
        QString error;
        QVERIFY2(c.nodes.start(QStringLiteral("127.0.0.1:0"), &error), qPrintable(error));
        const int replica = c.ports().at(2);
        for (int i = 0; i < 5; ++i) {
            auto client = clientFor(QStringLiteral("esdb+discover://127.0.0.1:%1?tls=false&nodePreference=readOnlyReplica")
                                        .arg(c.ports().at(0)));
            const ReadResult r = client->readAll(ReadRequest::forStream("replicated-1"));
            QVERIFY2(!r.error, qPrintable(r.error.toString()));
            QCOMPARE(r.events.size(), 5);
            QCOMPARE(int(client->currentNode()->port), replica);
        }
        c.nodes.killLeader();
        QCOMPARE(c.leaderPort(), c.ports().at(1)); // the other voter, not the replica
        c.nodes.killLeader();
        QCOMPARE(c.nodes.state().leader(), -1);
        // No leader left to name: a call asking for one gets the real server's answer without leader info.
        auto leaderless = clientFor(QStringLiteral("esdb://127.0.0.1:%1?tls=false").arg(replica));
        QCOMPARE(leaderless->append("replicated-1", ExpectedState::any(), numbered(5, 1)).error.kind,
                 ClientError::Kind::Unknown);
    }

    void secureClusterWithTlsAndOperationsAuthorization()
    {
        test::TestCertificates certs;
        QVERIFY2(certs.ok(), qPrintable(certs.error()));
        Cluster c;
        const QString tlsError = c.first.enableSecurity({certs.path("server.crt"), certs.path("server.key"), {}, false});
        QVERIFY2(tlsError.isEmpty(), qPrintable(tlsError));
        QString error;
        QVERIFY2(c.nodes.start(QStringLiteral("127.0.0.1:0"), &error), qPrintable(error));
        // Every node serves TLS with the first node's certificate and checks credentials.
        auto client = clientFor(QStringLiteral("esdb+discover://admin:changeit@127.0.0.1:%1?tls=true&tlsCAFile=%2"
                                               "&nodePreference=follower").arg(c.ports().at(0)).arg(certs.path("ca.crt")));
        const AppendResult r = client->append("secure-1", ExpectedState::noStream(), numbered(0, 1));
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
        QVERIFY(int(client->currentNode()->port) != c.leaderPort());
        auto anonymous = clientFor(QStringLiteral("esdb://127.0.0.1:%1?tls=true&tlsCAFile=%2")
                                       .arg(c.ports().at(1)).arg(certs.path("ca.crt")));
        QCOMPARE(anonymous->append("secure-1", ExpectedState::any(), numbered(1, 1)).error.kind,
                 ClientError::Kind::AccessDenied);

        QFile ca(certs.path("ca.crt"));
        QVERIFY(ca.open(QIODevice::ReadOnly));
        grpc::SslCredentialsOptions ssl;
        ssl.pem_root_certs = ca.readAll().toStdString();
        auto channel = grpc::CreateChannel(QStringLiteral("127.0.0.1:%1").arg(c.leaderPort()).toStdString(),
                                           grpc::SslCredentials(ssl));
        auto operations = event_store::client::operations::Operations::NewStub(channel);
        event_store::client::Empty empty;
        const int oldLeader = c.leaderPort();
        grpc::ClientContext anon;
        QCOMPARE(int(operations->ResignNode(&anon, empty, &empty).error_code()), int(grpc::StatusCode::PERMISSION_DENIED));
        QCOMPARE(c.leaderPort(), oldLeader); // refused: nothing changed
        grpc::ClientContext ops;
        ops.AddMetadata("authorization", "Basic " + QByteArray("ops:changeit").toBase64().toStdString());
        QVERIFY(operations->ResignNode(&ops, empty, &empty).ok());
        QVERIFY(c.leaderPort() != oldLeader);
    }

    void readWaitsForALostNodeToComeBack()
    {
        // One host, no cluster: the read reconnects with backoff until the server is back.
        int port = 0;
        {
            sandbox::SandboxServer probe;
            QString error;
            port = probe.start(QStringLiteral("127.0.0.1:0"), &error);
            QVERIFY(port > 0);
        }
        sandbox::SandboxServer later;
        seed(later.store(), "back-1", 10);
        std::thread starter([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            QString error;
            later.start(QStringLiteral("127.0.0.1:%1").arg(port), &error);
        });
        auto client = clientFor(QStringLiteral("esdb://127.0.0.1:%1?tls=false").arg(port));
        QElapsedTimer t;
        t.start();
        const ReadResult r = client->readAll(ReadRequest::forStream("back-1"));
        const qint64 elapsed = t.elapsed();
        starter.join();
        QVERIFY2(later.port() == port, "the port was taken in between; nothing to test");
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
        QCOMPARE(r.events.size(), 10);
        QVERIFY(elapsed >= 350);
    }

    void readGivesUpOnADeadNodeAfterBackingOff()
    {
        int port = 0;
        {
            sandbox::SandboxServer probe;
            QString error;
            port = probe.start(QStringLiteral("127.0.0.1:0"), &error);
            QVERIFY(port > 0);
        }
        auto client = clientFor(QStringLiteral("esdb://127.0.0.1:%1?tls=false").arg(port));
        QElapsedTimer t;
        t.start();
        const ReadResult r = client->readAll(ReadRequest::forStream("nowhere"));
        QCOMPARE(r.error.kind, ClientError::Kind::Unavailable);
        // Six waits, each at least half of 50, 100, 200, 400, 800, 1600 ms: 1575 ms or more; a
        // connection refused is immediate, so without backoff this would take a few milliseconds.
        QVERIFY2(t.elapsed() >= 1500, qPrintable(QString::number(t.elapsed())));
        QVERIFY2(t.elapsed() < 10000, qPrintable(QString::number(t.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestSandboxCluster)
#include "tst_sandboxcluster.moc"
