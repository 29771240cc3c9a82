// Issue 17 item 3: a server that never ends a read, one that never answers, and TLS with a wrong
// or expired certificate (HostileServer). Reads stay cancellable and bounded in memory; deadlines
// end stalled calls; bad certificates are refused with a TLS error while verification is on.

#include "client/StreamsClient.h"
#include "session/TimelineIndexLoader.h"
#include "support/HostileServer.h"
#include "support/LyingFrameServer.h"
#include "support/TestCertificates.h"
#include "timeline/TimelineIndex.h"
#include "wire/GrpcChannel.h"

#include <QElapsedTimer>
#include <QTest>

#include <chrono>
#include <mutex>
#include <thread>

using namespace chronoscope;
using chronoscope::test::HostileServer;
using B = HostileServer::Behaviour;

namespace {

/// Cancels `cancel` after `ms` from another thread; joins on destruction.
class CancelLater
{
public:
    CancelLater(CancellationPtr cancel, int ms)
        : m_thread([cancel, ms] {
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            cancel->cancel();
        })
    {}
    ~CancelLater() { m_thread.join(); }

private:
    std::thread m_thread;
};

/// Reads the hostile stream until `cancelAfterMs` cancels the read; `elapsedMs` is how long it took.
ReadSummary readUntilCancelled(const StreamsClient &client, int cancelAfterMs, qint64 *elapsedMs)
{
    auto cancel = std::make_shared<Cancellation>();
    QElapsedTimer t;
    t.start();
    ReadSummary s;
    {
        CancelLater later(cancel, cancelAfterMs);
        s = client.read(
            ReadRequest::forStream(HostileServer::streamName()), [](ResolvedEvent &&) { return true; }, cancel);
    }
    *elapsedMs = t.elapsed();
    return s;
}

/// A subscription's messages and ends, gathered from its thread.
struct Gathered
{
    std::mutex mutex;
    quint64 events = 0;
    QList<ClientError> ends;
    Subscription::MessageHandler onMessage()
    {
        return [this](SubscriptionMessage &&m) {
            std::lock_guard lock(mutex);
            events += m.kind == SubscriptionMessage::Kind::Event;
        };
    }
    Subscription::EndHandler onEnd()
    {
        return [this](const ClientError &e) {
            std::lock_guard lock(mutex);
            ends << e;
        };
    }
};

constexpr long kBoundKb = 64 * 1024;

} // namespace

class TestHostileCalls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void boundedReadOfAnEndlessStreamStopsAtItsCount()
    {
        HostileServer server(B::Endless);
        StreamsClient client(server.settings());
        QList<quint64> revisions;
        const ReadSummary s = client.read(ReadRequest::forStream(HostileServer::streamName()).count(100),
                                          [&](ResolvedEvent &&e) {
                                              revisions << e.originalEvent().revision;
                                              return true;
                                          });
        QVERIFY2(!s.error, qPrintable(s.error.toString()));
        QCOMPARE(s.eventCount, quint64(100));
        QCOMPARE(revisions.size(), 100);
        QCOMPARE(revisions.last(), quint64(99));
    }

    void endlessReadIsCancellableAndBounded()
    {
        HostileServer server(B::Endless);
        StreamsClient client(server.settings());
        const long before = test::residentKb();
        qint64 elapsed = 0;
        const ReadSummary s = readUntilCancelled(client, 1500, &elapsed);
        const long grown = test::residentKb() - before;
        qInfo() << "endless read:" << s.eventCount << "events in" << elapsed << "ms, RSS KiB +" << grown;
        QCOMPARE(s.error.kind, ClientError::Kind::Cancelled);
        QVERIFY(s.eventCount > 1000);
        QVERIFY(elapsed < 5000);
        QVERIFY2(grown < kBoundKb, "an endless read that keeps nothing must not grow");
    }

    void endlessTimelineLoadIsCancellable()
    {
        HostileServer server(B::Endless);
        StreamsClient client(server.settings());
        engine::TimelineIndex index;
        const long before = test::residentKb();
        auto cancel = std::make_shared<Cancellation>();
        ReadSummary s;
        {
            CancelLater later(cancel, 1500);
            s = engine::TimelineIndexLoader::load(client, ReadRequest::forTimeline(HostileServer::streamName()), index,
                                                  {}, cancel);
        }
        const long grown = test::residentKb() - before;
        qInfo() << "endless timeline load:" << index.size() << "events indexed, RSS KiB +" << grown;
        QCOMPARE(s.error.kind, ClientError::Kind::Cancelled);
        QVERIFY(index.size() > 0);
        QVERIFY2(grown < 4 * kBoundKb, "the index grows with what it holds, nothing more");
    }

    void endlessSubscriptionEndsOnceWhenCancelled()
    {
        HostileServer server(B::Endless);
        StreamsClient client(server.settings());
        Gathered g;
        const long before = test::residentKb();
        auto sub = client.subscribe(ReadRequest::forStream(HostileServer::streamName()), g.onMessage(), g.onEnd());
        QTest::qWait(1000);
        sub->cancel();
        sub->wait();
        qInfo() << "endless subscription:" << g.events << "events, RSS KiB +" << test::residentKb() - before;
        QCOMPARE(g.ends.size(), 1);
        QCOMPARE(g.ends.first().kind, ClientError::Kind::Cancelled);
        QVERIFY(g.events > 100);
        QVERIFY(test::residentKb() - before < kBoundKb);
    }

    void twoGigabyteMessageAnnounced()
    {
        test::LyingFrameServer server; // announces 2 GiB - 1, then sends zeros as the client's windows allow
        StreamsClient client(
            ConnectionString::parse(QStringLiteral("esdb://127.0.0.1:%1?tls=false").arg(server.port())).settings);
        const long before = test::residentKb();
        test::PeakRss rss;
        qint64 elapsed = 0;
        const ReadSummary s = readUntilCancelled(client, 3000, &elapsed);
        const long grown = rss.grownKb();
        qInfo() << "2 GiB announced:" << s.error.toString() << "after" << elapsed << "ms; body bytes accepted"
                << server.sent() << "reset" << server.reset() << "peak RSS KiB +" << grown << "after"
                << test::residentKb() - before;
        QCOMPARE(s.error.kind, ClientError::Kind::ProtocolError);
        QVERIFY(
            s.error.message.startsWith(QLatin1String("the server sent more than the client's channel memory quota")));
        QCOMPARE(s.eventCount, quint64(0));
        QVERIFY(server.sent() < 2 * quint64(GrpcChannel::kChannelMemoryQuota)); // the quota, not 2 GiB
        QVERIFY2(grown < 96 * 1024, "a message announced at 2 GiB is held to the channel's memory quota");
    }

    void stalledReadIsCancellable()
    {
        HostileServer server(B::Stall);
        StreamsClient client(server.settings());
        qint64 elapsed = 0;
        const ReadSummary s = readUntilCancelled(client, 300, &elapsed);
        QCOMPARE(s.error.kind, ClientError::Kind::Cancelled);
        QCOMPARE(s.eventCount, quint64(0));
        QVERIFY(elapsed < 3000);
    }

    void stalledUnaryCallsEndAtTheirDeadline()
    {
        HostileServer server(B::Stall);
        StreamsClient client(server.settings(500));
        QElapsedTimer t;
        t.start();
        const AppendResult a = client.append("hostile-1", ExpectedState::any(), {EventData::json("T", "{}")});
        qInfo() << "stalled append:" << a.error.toString() << t.elapsed() << "ms";
        QCOMPARE(a.error.kind, ClientError::Kind::DeadlineExceeded);
        QVERIFY(!a.nextExpectedRevision);
        const ServerInfo info = client.serverInfo();
        QCOMPARE(info.error.kind, ClientError::Kind::DeadlineExceeded);
        QVERIFY(t.elapsed() < 5000);
    }

    void stalledSubscriptionEndsOnceWhenCancelled()
    {
        HostileServer server(B::Stall);
        StreamsClient client(server.settings());
        Gathered g;
        auto sub = client.subscribe(ReadRequest::forStream(HostileServer::streamName()), g.onMessage(), g.onEnd());
        QTest::qWait(300);
        sub->cancel();
        sub->wait();
        QCOMPARE(g.ends.size(), 1);
        QCOMPARE(g.ends.first().kind, ClientError::Kind::Cancelled);
        QCOMPARE(g.events, quint64(0));
    }

    void tlsCertificates_data()
    {
        QTest::addColumn<QString>("certificate");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("valid (control)") << QStringLiteral("server") << true;
        QTest::newRow("wrong host") << QStringLiteral("wrong-host") << false;
        QTest::newRow("expired") << QStringLiteral("expired") << false;
    }
    void tlsCertificates()
    {
        QFETCH(QString, certificate);
        QFETCH(bool, accepted);
        test::TestCertificates certs;
        QVERIFY2(certs.ok(), qPrintable(certs.error()));
        const QByteArray crt = (certificate + QStringLiteral(".crt")).toLatin1();
        const QByteArray key = (certificate + QStringLiteral(".key")).toLatin1();
        HostileServer server(B::Good, certs.path(crt.constData()), certs.path(key.constData()));
        QVERIFY(server.ok());
        ConnectionSettings settings = server.settings();
        QVERIFY(settings.tls && settings.tlsVerifyCert);
        settings.tlsCaFile = certs.path("ca.crt");
        StreamsClient client(settings);
        const ReadResult r = client.readAll(ReadRequest::forStream(HostileServer::streamName()));
        qInfo() << certificate << ":" << r.error.toString();
        if (accepted) {
            QVERIFY2(!r.error, qPrintable(r.error.toString()));
            QCOMPARE(r.events.size(), 3);
            return;
        }
        QCOMPARE(r.error.kind, ClientError::Kind::TlsFailure);
        QVERIFY(r.error.message.contains(certificate == QLatin1String("expired") ? QLatin1String("has expired")
                                                                                 : QLatin1String("host name")));
        QVERIFY(r.events.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHostileCalls)
#include "tst_hostilecalls.moc"
