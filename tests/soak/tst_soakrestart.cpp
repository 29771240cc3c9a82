// Issue 17's soak, one fault at a time: a live tail and a `$all` subscription held while the server
// is killed and stays down for seconds before it starts again on its log (as one reloading a long
// log on a loaded machine does). Both must go on after the restart, each event once and in order.
// (They used to end after Subscription::kMaxReconnects attempts, about 5 s of backoff, while the
// appender still waited: the long soak's "not both caught up".)
#include "SoakServer.h"
#include "client/StreamsClient.h"
#include "connection/ConnectionSettings.h"

#include <QElapsedTimer>
#include <QTest>

#include <mutex>

using namespace chronoscope;
using namespace chronoscope::soak;

namespace {

/// What one subscription delivered of the stream, and how it ended.
struct Received
{
    std::mutex mutex;
    QList<quint64> revisions;
    QString ended;

    auto onMessage(const QByteArray &stream)
    {
        return [this, stream](SubscriptionMessage &&m) {
            if (m.kind != SubscriptionMessage::Kind::Event || !m.event.event || m.event.event->streamId != stream)
                return;
            std::lock_guard lock(mutex);
            revisions << m.event.event->revision;
        };
    }
    auto onEnd()
    {
        return [this](const ClientError &e) {
            std::lock_guard lock(mutex);
            ended = e.isError() ? e.toString() : QStringLiteral("ended");
        };
    }
    bool hasEnded()
    {
        std::lock_guard lock(mutex);
        return !ended.isEmpty();
    }
    qsizetype count()
    {
        std::lock_guard lock(mutex);
        return revisions.size();
    }
};

QList<EventData> batch(quint64 from, int n)
{
    QList<EventData> events;
    for (quint64 i = from; i < from + quint64(n); ++i)
        events << EventData::json("Tick", QByteArrayLiteral("{\"n\":") + QByteArray::number(i) + '}', {},
                                  QUuid::createUuidV5(QUuid(), QString::number(i)));
    return events;
}

} // namespace

class TestSoakRestart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void subscriptionsOutlastASlowRestart()
    {
        SoakServer server;
        QString error;
        QVERIFY2(server.start(1, &error), qPrintable(error));
        const auto parsed = ConnectionString::parse(server.connectionString());
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
        const StreamsClient client(parsed.settings);
        const QByteArray stream("restart-slow");

        Received tail, all;
        auto tailSub = client.subscribe(ReadRequest::forStream(stream), tail.onMessage(stream), tail.onEnd());
        auto allSub = client.subscribe(ReadRequest::forAll().filtered(
                                           ReadFilter::streamPrefix({QString::fromUtf8(stream)})),
                                       all.onMessage(stream), all.onEnd());
        QVERIFY(!client.append(stream, ExpectedState::noStream(), batch(0, 10)).error.isError());
        QTRY_COMPARE_WITH_TIMEOUT(tail.count(), 10, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(all.count(), 10, 10000);

        // Down for 7 s: longer than the most the seven backoff waits before giving up add up to
        // (50 + 100 + ... + 1600 + 2000 ms = 5.15 s), well within the default patience (30 s).
        QElapsedTimer down;
        down.start();
        QVERIFY2(server.restart(&error, 7000), qPrintable(error));
        QVERIFY(down.elapsed() >= 7000);
        // The same ids each try: a try whose answer was lost is not appended twice.
        const QList<EventData> more = batch(10, 10);
        AppendResult appended;
        QElapsedTimer trying;
        trying.start();
        while ((appended = client.append(stream, ExpectedState::at(9), more)).error.isError()
               && trying.elapsed() < 20000)
            QTest::qWait(50);
        QVERIFY2(!appended.error.isError(), qPrintable(appended.error.toString()));

        QTRY_VERIFY_WITH_TIMEOUT(tail.count() >= 20 || tail.hasEnded(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(all.count() >= 20 || all.hasEnded(), 20000);
        QTest::qWait(200); // a repeat would arrive now
        QList<quint64> expected;
        for (quint64 i = 0; i < 20; ++i)
            expected << i;
        std::lock_guard lockTail(tail.mutex);
        QVERIFY2(tail.ended.isEmpty(), qPrintable(QStringLiteral("the stream subscription ended: ") + tail.ended));
        QCOMPARE(tail.revisions, expected);
        std::lock_guard lockAll(all.mutex);
        QVERIFY2(all.ended.isEmpty(), qPrintable(QStringLiteral("the $all subscription ended: ") + all.ended));
        QCOMPARE(all.revisions, expected);
    }

    void subscriptionEndsWhenTheServerStaysAway()
    {
        // The patience is bounded: with it at 1 s, a server that never comes back ends the
        // subscription after the backoff's attempts (Unavailable), not never.
        SoakServer server;
        QString error;
        QVERIFY2(server.start(1, &error), qPrintable(error));
        auto parsed = ConnectionString::parse(server.connectionString());
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
        parsed.settings.subscriptionPatienceMs = 1000;
        const StreamsClient client(parsed.settings);
        Received rec;
        auto sub = client.subscribe(ReadRequest::forStream("gone"), rec.onMessage("gone"), rec.onEnd());
        QTest::qWait(300);
        server.stop();
        QTRY_VERIFY_WITH_TIMEOUT(rec.hasEnded(), 20000);
        std::lock_guard lock(rec.mutex);
        QVERIFY2(rec.ended.startsWith(QStringLiteral("unavailable")), qPrintable(rec.ended));
    }
};

QTEST_GUILESS_MAIN(TestSoakRestart)
#include "tst_soakrestart.moc"
