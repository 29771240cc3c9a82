// Catch-up subscriptions end to end: the sandbox's SubscriptionReactor and our client's
// Subscription, in-process; and SIGTERM of the sandbox binary with subscriptions open.
#include "SandboxServer.h"
#include "client/LiveSubscription.h"
#include "client/StreamsClient.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <condition_variable>
#include <csignal>
#include <mutex>

using namespace chronoscope;

namespace {

using Kind = SubscriptionMessage::Kind;

/// Everything a subscription delivered, waited on from the test thread.
class Recorder
{
public:
    Subscription::MessageHandler onMessage()
    {
        return [this](SubscriptionMessage &&m) {
            std::lock_guard lock(m_mutex);
            m_messages.push_back(std::move(m));
            m_changed.notify_all();
        };
    }
    Subscription::EndHandler onEnd()
    {
        return [this](const ClientError &e) {
            std::lock_guard lock(m_mutex);
            m_end = e;
            m_ended = true;
            m_changed.notify_all();
        };
    }
    bool waitFor(const std::function<bool(const std::vector<SubscriptionMessage> &)> &done, int ms = 5000)
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::milliseconds(ms), [&] { return done(m_messages); });
    }
    bool waitEvents(int n) { return waitFor([n](const auto &v) { return count(v, Kind::Event) >= n; }); }
    bool waitEnd(int ms = 5000)
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::milliseconds(ms), [&] { return m_ended; });
    }
    std::vector<SubscriptionMessage> messages()
    {
        std::lock_guard lock(m_mutex);
        return m_messages;
    }
    ClientError end()
    {
        std::lock_guard lock(m_mutex);
        return m_end;
    }
    static int count(const std::vector<SubscriptionMessage> &v, Kind k)
    {
        return int(std::count_if(v.begin(), v.end(), [k](const SubscriptionMessage &m) { return m.kind == k; }));
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<SubscriptionMessage> m_messages;
    ClientError m_end;
    bool m_ended = false;
};

QList<EventData> events(int n, const QByteArray &type = "Tested")
{
    QList<EventData> list;
    for (int i = 0; i < n; ++i)
        list << EventData::json(type, "{\"n\":" + QByteArray::number(i) + '}');
    return list;
}

std::unique_ptr<StreamsClient> clientFor(int port)
{
    auto cs = ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port));
    // These tests watch subscriptions end when the server goes for good: a short patience.
    cs.settings.subscriptionPatienceMs = 1000;
    return std::make_unique<StreamsClient>(cs.settings);
}

} // namespace

class TestSandboxSubscriptions : public QObject
{
    Q_OBJECT

    sandbox::SandboxServer m_server;
    std::unique_ptr<StreamsClient> m_client;

    /// The sandbox side lets go of every subscription (no reactor left registered).
    bool drained(int ms = 5000)
    {
        QElapsedTimer t;
        t.start();
        while (m_server.liveSubscriptions() > 0 && t.elapsed() < ms)
            QTest::qWait(10);
        return m_server.liveSubscriptions() == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        const int port = m_server.start(QStringLiteral("127.0.0.1:0"), &error);
        QVERIFY2(port > 0, qPrintable(error));
        m_client = clientFor(port);
    }

    void streamCatchUpThenLive()
    {
        QVERIFY(!m_client->append("live-1", ExpectedState::noStream(), events(3)).error);
        Recorder rec;
        auto sub = m_client->subscribe(ReadRequest::forStream("live-1"), rec.onMessage(), rec.onEnd());
        QVERIFY(rec.waitFor([](const auto &v) { return Recorder::count(v, Kind::CaughtUp) == 1; }));
        const AppendResult more = m_client->append("live-1", ExpectedState::at(2), events(2, "Later"));
        QVERIFY(!more.error);
        QVERIFY(rec.waitEvents(5));
        const auto v = rec.messages();
        QCOMPARE(v.front().kind, Kind::Confirmation);
        QVERIFY(!v.front().subscriptionId.isEmpty());
        QCOMPARE(v[4].kind, Kind::CaughtUp); // confirmation, three catch-up events, caught_up
        QCOMPARE(v[4].streamRevision.value(), qint64(2));
        QList<quint64> revisions;
        for (const auto &m : v)
            if (m.kind == Kind::Event)
                revisions << m.event.originalEvent().revision;
        QCOMPARE(revisions, (QList<quint64>{0, 1, 2, 3, 4}));
        QCOMPARE(v.back().event.originalEvent().type, QByteArray("Later"));
        QCOMPARE(v.back().event.originalEvent().position.commit, more.position->commit);
        sub.reset();
        QCOMPARE(rec.end().kind, ClientError::Kind::Cancelled);
        QVERIFY(drained());
    }

    void streamFromRevisionIsExclusive()
    {
        QVERIFY(!m_client->append("rev-1", ExpectedState::noStream(), events(4)).error);
        Recorder rec;
        auto sub = m_client->subscribe(ReadRequest::forStream("rev-1").fromRevision(1), rec.onMessage(), rec.onEnd());
        QVERIFY(rec.waitEvents(2));
        QVERIFY(rec.waitFor([](const auto &v) { return Recorder::count(v, Kind::CaughtUp) == 1; }));
        const auto v = rec.messages();
        QCOMPARE(Recorder::count(v, Kind::Event), 2);
        QCOMPARE(v[1].event.originalEvent().revision, quint64(2));
    }

    void allFilteredWithCheckpoints()
    {
        // Window 8, multiplier 1: a checkpoint every 8 records considered.
        QVERIFY(!m_client->append("chk_match-1", ExpectedState::any(), events(2)).error);
        QVERIFY(!m_client->append("chk_noise-1", ExpectedState::any(), events(30)).error);
        ReadFilter filter = ReadFilter::streamPrefix({QStringLiteral("chk_match-")});
        filter.maxSearchWindow = 8;
        Recorder rec;
        auto sub = m_client->subscribe(ReadRequest::forAll().filtered(filter), rec.onMessage(), rec.onEnd());
        QVERIFY(rec.waitFor([](const auto &v) { return Recorder::count(v, Kind::CaughtUp) == 1; }));
        const auto catchUp = rec.messages();
        QVERIFY2(Recorder::count(catchUp, Kind::Checkpoint) >= 3, "32+ records considered: at least 3 checkpoints");
        quint64 last = 0;
        for (const auto &m : catchUp) {
            if (m.kind == Kind::Event)
                QVERIFY(m.event.originalEvent().streamId.startsWith("chk_match-"));
            if (m.kind == Kind::Checkpoint) {
                QVERIFY(m.position->commit >= last);
                last = m.position->commit;
            }
        }
        QCOMPARE(Recorder::count(catchUp, Kind::Event), 2);
        QCOMPARE(catchUp.back().kind, Kind::CaughtUp);
        QCOMPARE(catchUp.back().position->commit, last); // caught up where the last checkpoint said
        // Live: the 8th record after going live completes an interval, wherever it belongs.
        const AppendResult noise = m_client->append("chk_noise-1", ExpectedState::any(), events(8));
        QVERIFY(rec.waitFor([n = catchUp.size()](const auto &v) { return v.size() > n; }));
        const auto after = rec.messages();
        QCOMPARE(after.back().kind, Kind::Checkpoint);
        QCOMPARE(after.back().position->commit, noise.position->commit);
        const AppendResult hit = m_client->append("chk_match-2", ExpectedState::any(), events(1));
        QVERIFY(rec.waitEvents(3));
        QCOMPARE(rec.messages().back().event.originalEvent().position.commit, hit.position->commit);
    }

    void liveSubscriptionSignals()
    {
        QVERIFY(!m_client->append("qt-1", ExpectedState::noStream(), events(2)).error);
        LiveSubscription live(*m_client, ReadRequest::forStream("qt-1"));
        QSignalSpy confirmed(&live, &LiveSubscription::confirmed);
        QSignalSpy appeared(&live, &LiveSubscription::eventAppeared);
        QSignalSpy caughtUp(&live, &LiveSubscription::caughtUp);
        QSignalSpy ended(&live, &LiveSubscription::ended);
        QVERIFY(caughtUp.wait(5000));
        QCOMPARE(confirmed.count(), 1);
        QCOMPARE(appeared.count(), 2);
        QVERIFY(live.isCaughtUp());
        QVERIFY(!m_client->append("qt-1", ExpectedState::at(1), events(1, "Live")).error);
        QVERIFY(appeared.wait(5000));
        QCOMPARE(appeared.last().at(0).value<ResolvedEvent>().originalEvent().type, QByteArray("Live"));
        live.cancel();
        QVERIFY(ended.wait(5000));
        QCOMPARE(ended.last().at(0).toString(), ClientError::kindName(ClientError::Kind::Cancelled));
    }

    void invalidFilterOptions()
    {
        ReadFilter filter = ReadFilter::streamPrefix({QStringLiteral("x")});
        filter.checkpointIntervalMultiplier = 0;
        Recorder rec;
        auto sub = m_client->subscribe(ReadRequest::forAll().filtered(filter), rec.onMessage(), rec.onEnd());
        QVERIFY(rec.waitEnd());
        QCOMPARE(rec.end().kind, ClientError::Kind::InvalidArgument);
    }

    void tombstonedWhileLive()
    {
        QVERIFY(!m_client->append("doomed-1", ExpectedState::noStream(), events(1)).error);
        Recorder rec;
        auto sub = m_client->subscribe(ReadRequest::forStream("doomed-1"), rec.onMessage(), rec.onEnd());
        QVERIFY(rec.waitFor([](const auto &v) { return Recorder::count(v, Kind::CaughtUp) == 1; }));
        QVERIFY(!m_client->tombstoneStream("doomed-1", ExpectedState::any()).error);
        QVERIFY(rec.waitEnd());
        QCOMPARE(rec.end().kind, ClientError::Kind::StreamDeleted);
        QVERIFY(drained());
    }

    void resolvesLinks()
    {
        QVERIFY(!m_client->append("target-1", ExpectedState::noStream(), events(2)).error);
        QVERIFY(!m_client->append("links-1", ExpectedState::noStream(),
                                  {EventData::binary(SystemEventTypes::LinkTo, "1@target-1")}).error);
        Recorder rec;
        auto sub = m_client->subscribe(ReadRequest::forStream("links-1").resolvingLinks(), rec.onMessage(), rec.onEnd());
        QVERIFY(rec.waitEvents(1));
        const ResolvedEvent e = rec.messages()[1].event;
        QVERIFY(e.event && e.link);
        QCOMPARE(e.event->streamId, QByteArray("target-1"));
        QCOMPARE(e.event->revision, quint64(1));
    }

    void manySubscribeCancelCycles()
    {
        // Appends race with subscribing and cancelling: nothing may leak, crash or hang.
        std::atomic<bool> stop{false};
        std::thread writer([&] {
            auto client = clientFor(m_server.port());
            while (!stop)
                client->append("churn-1", ExpectedState::any(), events(1));
        });
        for (int i = 0; i < 150; ++i) {
            Recorder rec;
            auto sub = m_client->subscribe(i % 2 ? ReadRequest::forAll() : ReadRequest::forStream("churn-1"),
                                           rec.onMessage(), rec.onEnd());
            if (i % 3 == 0)
                QVERIFY(rec.waitFor([](const auto &v) { return !v.empty(); }));
            sub.reset(); // cancels and joins
            QCOMPARE(rec.end().kind, ClientError::Kind::Cancelled);
        }
        stop = true;
        writer.join();
        QVERIFY(drained());
    }

    void serverShutdownEndsSubscriptions()
    {
        sandbox::SandboxServer server;
        QString error;
        const int port = server.start(QStringLiteral("127.0.0.1:0"), &error);
        QVERIFY2(port > 0, qPrintable(error));
        auto client = clientFor(port);
        Recorder a, b;
        auto s1 = client->subscribe(ReadRequest::forAll(), a.onMessage(), a.onEnd());
        auto s2 = client->subscribe(ReadRequest::forStream("quiet-1"), b.onMessage(), b.onEnd());
        QVERIFY(a.waitFor([](const auto &v) { return Recorder::count(v, Kind::CaughtUp) == 1; }));
        QVERIFY(b.waitFor([](const auto &v) { return Recorder::count(v, Kind::CaughtUp) == 1; }));
        QElapsedTimer t;
        t.start();
        server.shutdown();
        QVERIFY2(t.elapsed() < 1500, "shutdown waited for the live subscriptions");
        QVERIFY(a.waitEnd());
        QVERIFY(b.waitEnd());
        QCOMPARE(a.end().kind, ClientError::Kind::Unavailable);
        QCOMPARE(server.liveSubscriptions(), size_t(0));
    }

    void sigtermWithLiveSubscriptions()
    {
        QProcess p;
        p.start(QStringLiteral(CHRONOSCOPE_SANDBOX_BIN),
                {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--insecure")});
        QVERIFY(p.waitForReadyRead(20000));
        const auto m = QRegularExpression(QStringLiteral("listening on 127\\.0\\.0\\.1:(\\d+)"))
                           .match(QString::fromUtf8(p.readAllStandardOutput()));
        QVERIFY(m.hasMatch());
        auto client = clientFor(m.captured(1).toInt());
        std::vector<std::unique_ptr<Recorder>> recs;
        std::vector<std::unique_ptr<Subscription>> subs;
        for (int i = 0; i < 5; ++i) {
            recs.push_back(std::make_unique<Recorder>());
            subs.push_back(client->subscribe(ReadRequest::forAll(), recs.back()->onMessage(), recs.back()->onEnd()));
            QVERIFY(recs.back()->waitFor([](const auto &v) { return Recorder::count(v, Kind::CaughtUp) == 1; }));
        }
        QElapsedTimer t;
        t.start();
        ::kill(pid_t(p.processId()), SIGTERM);
        QVERIFY(p.waitForFinished(5000));
        QVERIFY2(t.elapsed() < 1500, qPrintable(QStringLiteral("exit took %1 ms").arg(t.elapsed())));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        // Each subscription learns the server is gone (its reconnect attempts end it): allow for a
        // loaded machine, where the client's backoff runs late.
        for (auto &r : recs)
            QVERIFY(r->waitEnd(15000));
    }
};

QTEST_GUILESS_MAIN(TestSandboxSubscriptions)
#include "tst_sandboxsubscriptions.moc"
