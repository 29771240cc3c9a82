// Soak (issue 17): a live tail and a catch-up subscription held against a sandbox that takes appends
// at a high rate while its leader is killed (a 5-node cluster) or the whole server is killed and
// started again on its log — every event must arrive exactly once, in order, and be the event that
// was appended there; the test process's memory (the client's) stays flat. CHRONOSCOPE_SOAK_SECONDS
// sets the length of the whole run (60 by default, in CI; the `soak` label's long run takes 1800).
#include "SoakServer.h"
#include "client/StreamsClient.h"
#include "connection/ConnectionSettings.h"
#include "session/LiveTail.h"

#include "script/ScriptWatchdog.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

using namespace chronoscope;
using namespace chronoscope::soak;

namespace {

qint64 residentMiB()
{
    return engine::ScriptWatchdog::residentBytes() >> 20; // what the script watchdog measures
}

/// Appends per second, 0 for as fast as the server takes them (CHRONOSCOPE_SOAK_RATE; the long run
/// caps it so the in-memory cluster's store stays within the machine).
int soakRate()
{
    return qEnvironmentVariableIntValue("CHRONOSCOPE_SOAK_RATE");
}

/// How many faults (leader kills or restarts) each run has: 3 unless CHRONOSCOPE_SOAK_FAULTS says more.
int soakFaults()
{
    bool ok = false;
    const int n = qEnvironmentVariableIntValue("CHRONOSCOPE_SOAK_FAULTS", &ok);
    return ok && n > 0 ? n : 3;
}

/// How long a restarted server stays down before it starts again (CHRONOSCOPE_SOAK_DOWN_MS; 0 by
/// default): reloading a long log on a loaded machine keeps the port closed for seconds.
int soakDownMs()
{
    return qEnvironmentVariableIntValue("CHRONOSCOPE_SOAK_DOWN_MS");
}

int soakSeconds()
{
    bool ok = false;
    const int s = qEnvironmentVariableIntValue("CHRONOSCOPE_SOAK_SECONDS", &ok);
    return ok && s > 0 ? s : 60;
}

/// The id of the soak's n-th event: fixed by n, so nothing needs keeping to check what arrives.
QUuid idFor(const QByteArray &stream, quint64 n)
{
    return QUuid::createUuidV5(QUuid(), QString::fromUtf8(stream) + QLatin1Char('/') + QString::number(n));
}

/// One consumer's check, as events arrive: the i-th arrival must be revision i with the i-th id.
/// Nothing grows with the events (the long run holds tens of millions).
struct Seen
{
    QByteArray stream;
    std::atomic<quint64> count{0};
    std::mutex mutex; // guards the two below
    QString firstDifference;
    QString ended;

    void add(const RecordedEvent &e)
    {
        const quint64 i = count++;
        if (e.revision != i || e.id != idFor(stream, i)) {
            std::lock_guard lock(mutex);
            if (firstDifference.isEmpty())
                firstDifference = QStringLiteral("arrival %1 is revision %2 (%3), expected revision %1 (%4)")
                                      .arg(i)
                                      .arg(e.revision)
                                      .arg(e.id.toString(), idFor(stream, i).toString());
        }
    }
    QString verdict(quint64 appended)
    {
        std::lock_guard lock(mutex);
        if (!firstDifference.isEmpty())
            return firstDifference;
        return count == appended ? QString()
                                 : QStringLiteral("%1 events arrived, %2 were appended").arg(count).arg(appended);
    }
};

} // namespace

class TestSoak : public QObject
{
    Q_OBJECT

    enum class Fault { KillLeader, RestartServer };

    void soak(int nodes, Fault fault, int seconds)
    {
        SoakServer server;
        QString error;
        QVERIFY2(server.start(nodes, &error), qPrintable(error));
        const ConnectionString::Result parsed = ConnectionString::parse(server.connectionString());
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
        const auto client = std::make_shared<const StreamsClient>(parsed.settings);
        const QByteArray stream = fault == Fault::KillLeader ? QByteArrayLiteral("soak-leader")
                                                             : QByteArrayLiteral("soak-restart");

        Seen tailSeen, subscriptionSeen;
        tailSeen.stream = subscriptionSeen.stream = stream;
        LiveTail tail(client, ReadRequest::forStream(stream), 50);
        connect(&tail, &engine::LiveFeed::appended, this, [&](const QList<RecordedEvent> &events) {
            for (const RecordedEvent &e : events)
                tailSeen.add(e);
        });
        connect(&tail, &engine::LiveFeed::ended, this, [&](const ClientError &e) {
            std::lock_guard lock(tailSeen.mutex);
            tailSeen.ended = e.isError() ? e.toString() : QStringLiteral("ended");
        });
        auto subscription = client->subscribe(
            ReadRequest::forAll().filtered(ReadFilter::streamPrefix({QString::fromUtf8(stream)})),
            [&](SubscriptionMessage &&m) {
                if (m.kind == SubscriptionMessage::Kind::Event && m.event.event && m.event.event->streamId == stream)
                    subscriptionSeen.add(*m.event.event);
            },
            [&](const ClientError &e) {
                std::lock_guard lock(subscriptionSeen.mutex);
                subscriptionSeen.ended = e.isError() ? e.toString() : QStringLiteral("ended");
            });

        // The appender: batches of 20 pinned to the revision before them; a batch whose answer was lost
        // is proposed again with the same ids and revision (the server's idempotency makes that safe).
        std::atomic<quint64> appended{0};
        std::atomic<bool> stop{false};
        std::atomic<int> retries{0};
        QString appendFailure;
        const int rate = soakRate();
        std::thread appender([&] {
            quint64 next = 0;
            QElapsedTimer since;
            since.start();
            while (!stop) {
                if (rate > 0 && next > quint64(since.elapsed()) * quint64(rate) / 1000) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    continue;
                }
                QList<EventData> batch;
                for (quint64 i = next; i < next + 20; ++i)
                    batch << EventData::json("Tick", QByteArrayLiteral("{\"n\":") + QByteArray::number(i) + '}', {},
                                             idFor(stream, i));
                const ExpectedState expected = next == 0 ? ExpectedState::noStream() : ExpectedState::at(next - 1);
                QElapsedTimer trying;
                trying.start();
                for (;;) {
                    const AppendResult r = client->append(stream, expected, batch);
                    if (!r.error.isError())
                        break;
                    if (r.error.kind == ClientError::Kind::WrongExpectedVersion || trying.elapsed() > 30000) {
                        appendFailure = r.error.toString();
                        stop = true;
                        return;
                    }
                    ++retries;
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                }
                next += quint64(batch.size());
                appended = next;
            }
        });

        // The faults at random points of the middle of the run, evenly spread (each within a fifth of
        // the gap between two of them of its place).
        const int faults = soakFaults();
        const int jitter = std::max(1, int(qint64(seconds) * 1000 / (faults + 1) / 5));
        QList<qint64> faultsAt;
        for (int i = 0; i < faults; ++i)
            faultsAt << qint64(seconds) * 1000 * (i + 1) / (faults + 1)
                    + QRandomGenerator::global()->bounded(-jitter, jitter);
        const qint64 rssStart = residentMiB();
        qint64 rssMiddle = -1;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < qint64(seconds) * 1000 && !stop) {
            QTest::qWait(100);
            if (rssMiddle < 0 && clock.elapsed() >= qint64(seconds) * 500)
                rssMiddle = residentMiB();
            if (!faultsAt.isEmpty() && clock.elapsed() >= faultsAt.first()) {
                faultsAt.removeFirst();
                const qint64 faultStart = clock.elapsed();
                if (fault == Fault::KillLeader) {
                    server.killLeader();
                } else {
                    QVERIFY2(server.restart(&error, soakDownMs()), qPrintable(error));
                }
                qInfo("fault at %.1f s after %llu events (server back after %.1f s); tail %llu, subscription %llu",
                      faultStart / 1000.0, quint64(appended), (clock.elapsed() - faultStart) / 1000.0,
                      quint64(tailSeen.count), quint64(subscriptionSeen.count));
            }
        }
        stop = true;
        appender.join();
        QVERIFY2(appendFailure.isEmpty(), qPrintable(appendFailure));
        const quint64 all = appended;
        const bool drained = QTest::qWaitFor([&] { return tailSeen.count >= all && subscriptionSeen.count >= all; },
                                             30000);
        const auto endedOf = [](Seen &seen) {
            std::lock_guard lock(seen.mutex);
            return seen.ended.isEmpty() ? QStringLiteral("no") : seen.ended;
        };
        QVERIFY2(drained,
                 qPrintable(QStringLiteral("30 s after the appends stopped: %1 appended, the live tail has %2 "
                                           "(ended: %3), the subscription %4 (ended: %5)")
                                .arg(all)
                                .arg(quint64(tailSeen.count))
                                .arg(endedOf(tailSeen))
                                .arg(quint64(subscriptionSeen.count))
                                .arg(endedOf(subscriptionSeen))));
        QTest::qWait(300); // anything arriving twice would arrive now
        const qint64 rssEnd = residentMiB();
        qInfo("%llu events in %.1f s (%.0f/s), %d retried appends; RSS %lld / %lld / %lld MiB (start / middle / end)",
              all, clock.elapsed() / 1000.0, double(all) * 1000.0 / double(clock.elapsed()), int(retries), rssStart,
              rssMiddle, rssEnd);
        QVERIFY2(all > 1000, "the soak appended at a high rate");
        QVERIFY2(tailSeen.ended.isEmpty(), qPrintable(tailSeen.ended));
        QVERIFY2(subscriptionSeen.ended.isEmpty(), qPrintable(subscriptionSeen.ended));
        const QString tailDiff = tailSeen.verdict(all);
        QVERIFY2(tailDiff.isEmpty(), qPrintable(QStringLiteral("live tail: ") + tailDiff));
        const QString subscriptionDiff = subscriptionSeen.verdict(all);
        QVERIFY2(subscriptionDiff.isEmpty(), qPrintable(QStringLiteral("subscription: ") + subscriptionDiff));
        // Flat: what the client holds does not grow with the events that went through it.
        QVERIFY2(rssEnd - rssMiddle < 64,
                 qPrintable(QStringLiteral("RSS grew from %1 to %2 MiB").arg(rssMiddle).arg(rssEnd)));
        subscription.reset();
    }

private Q_SLOTS:
    void leaderKilledWhileTailing() { soak(5, Fault::KillLeader, soakSeconds() / 2); }
    void serverRestartedWhileTailing() { soak(1, Fault::RestartServer, soakSeconds() / 2); }
};

QTEST_GUILESS_MAIN(TestSoak)
#include "tst_soak.moc"
