// Fault test: concurrent appenders against `chronoscope-sandbox --db`, SIGKILL in the middle,
// restart on the same file: every acknowledged append is there, the rest is whole or absent,
// the system projections resume without gaps or duplicates, and the store takes new writes.
#include "client/StreamsClient.h"

#include <QElapsedTimer>
#include <QSet>
#include <QThread>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <atomic>
#include <thread>

using namespace chronoscope;

namespace {

constexpr int kWriters = 8;
constexpr int kPerWriter = 1250; // 10 000 appends planned in all
constexpr int kKillAfter = 3000; // acknowledged appends before the SIGKILL

QUuid idOf(int writer, int n)
{
    return QUuid::createUuidV5(QUuid(), QStringLiteral("crash-%1-%2").arg(writer).arg(n));
}

QByteArray dataOf(int writer, int n)
{
    return "{\"writer\":" + QByteArray::number(writer) + ",\"n\":" + QByteArray::number(n) + ",\"pad\":\""
        + QByteArray(150 + (n % 50), char('a' + n % 26)) + "\"}";
}

QByteArray streamOf(int writer) { return "crash-" + QByteArray::number(writer); }

struct Sandbox
{
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    int port = 0;
};

/// Starts the sandbox on `db`; fails the test when it prints no "listening on" line.
bool start(Sandbox &s, const QString &db, QString *why)
{
    s.process->start(QStringLiteral(CHRONOSCOPE_SANDBOX_BIN),
                     {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--insecure"),
                      QStringLiteral("--db"), db, QStringLiteral("--system-projections")});
    QByteArray out;
    QElapsedTimer t;
    t.start();
    static const QRegularExpression line(QStringLiteral("^listening on 127\\.0\\.0\\.1:(\\d+)$"),
                                         QRegularExpression::MultilineOption);
    while (t.elapsed() < 20000) {
        s.process->waitForReadyRead(100);
        out += s.process->readAllStandardOutput();
        const auto m = line.match(QString::fromUtf8(out));
        if (m.hasMatch()) {
            s.port = m.captured(1).toInt();
            return true;
        }
        if (s.process->state() == QProcess::NotRunning)
            break;
    }
    *why = QStringLiteral("no 'listening on' line; stderr: ") + QString::fromUtf8(s.process->readAllStandardError());
    return false;
}

std::unique_ptr<StreamsClient> clientFor(int port)
{
    const auto cs = ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port));
    return std::make_unique<StreamsClient>(cs.settings);
}

} // namespace

class TestSandboxCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killNineKeepsEveryAcknowledgedAppend()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(QStringLiteral("sandbox.log"));
        Sandbox first;
        QString why;
        QVERIFY2(start(first, db, &why), qPrintable(why));

        std::atomic<int> ackedTotal{0};
        std::array<std::atomic<int>, kWriters> acked{};
        std::atomic<bool> corruptAck{false};
        QElapsedTimer clock;
        clock.start();
        std::vector<std::thread> writers;
        for (int w = 0; w < kWriters; ++w) {
            writers.emplace_back([&, w] {
                const auto client = clientFor(first.port);
                for (int n = 0; n < kPerWriter; ++n) {
                    const ExpectedState expected = n == 0 ? ExpectedState::noStream() : ExpectedState::at(quint64(n - 1));
                    const AppendResult r = client->append(streamOf(w), expected,
                                                          {EventData::json("Written", dataOf(w, n), {}, idOf(w, n))});
                    if (r.error)
                        return; // the sandbox is gone: this append's fate is unknown
                    if (r.nextExpectedRevision != quint64(n))
                        corruptAck = true;
                    acked[size_t(w)] = n + 1;
                    ++ackedTotal;
                }
            });
        }
        while (ackedTotal < kKillAfter && clock.elapsed() < 25000)
            QThread::msleep(2);
        const int ackedAtKill = ackedTotal;
        first.process->kill(); // SIGKILL: no chance to flush anything
        first.process->waitForFinished(5000);
        for (std::thread &t : writers)
            t.join();
        const qint64 writeMs = clock.elapsed();
        QVERIFY2(ackedAtKill >= kKillAfter, "too few appends acknowledged before the kill");
        QVERIFY(!corruptAck);
        qInfo("%d appends acknowledged in %lld ms (%d at the kill), %d writers", int(ackedTotal),
              static_cast<long long>(writeMs), ackedAtKill, kWriters);

        Sandbox second;
        QVERIFY2(start(second, db, &why), qPrintable(why));
        const QByteArray notes = second.process->readAllStandardError();
        if (!notes.isEmpty())
            qInfo("restart said: %s", notes.constData());
        const auto client = clientFor(second.port);

        int present = 0;
        std::array<int, kWriters> counts{};
        for (int w = 0; w < kWriters; ++w) {
            const ReadResult r = client->readAll(ReadRequest::forStream(streamOf(w)));
            QVERIFY2(!r.error, qPrintable(r.error.toString()));
            const int n = int(r.events.size());
            // Every acknowledged append is there; at most the one in flight follows.
            QVERIFY2(n >= acked[size_t(w)] && n <= acked[size_t(w)] + 1,
                     qPrintable(QStringLiteral("writer %1: %2 events, %3 acknowledged").arg(w).arg(n).arg(int(acked[size_t(w)]))));
            for (int i = 0; i < n; ++i) {
                const RecordedEvent &e = r.events[i].originalEvent();
                QCOMPARE(e.revision, quint64(i));
                QCOMPARE(e.id, idOf(w, i));
                QCOMPARE(e.data, dataOf(w, i));
                QCOMPARE(e.type, QByteArray("Written"));
            }
            counts[size_t(w)] = n;
            present += n;
        }

        // The projections resumed where the log left them: one link per event, none twice.
        ReadRequest category = ReadRequest::forStream("$ce-crash");
        category.resolvingLinks(true);
        const ReadResult links = client->readAll(category);
        QVERIFY2(!links.error, qPrintable(links.error.toString()));
        QCOMPARE(int(links.events.size()), present);
        QSet<QString> seen;
        for (const ResolvedEvent &e : links.events) {
            QVERIFY(e.event.has_value());
            seen.insert(QString::fromUtf8(e.event->streamId) + QLatin1Char('@') + QString::number(e.event->revision));
        }
        QCOMPARE(int(seen.size()), present);

        // And it takes new writes where each stream left off.
        for (int w = 0; w < kWriters; ++w) {
            const int n = counts[size_t(w)];
            const AppendResult r = client->append(streamOf(w), n ? ExpectedState::at(quint64(n - 1)) : ExpectedState::noStream(),
                                                  {EventData::json("Written", dataOf(w, n), {}, idOf(w, n))});
            QVERIFY2(!r.error, qPrintable(r.error.toString()));
            QCOMPARE(r.nextExpectedRevision.value(), quint64(n));
        }
        second.process->terminate();
        QVERIFY(second.process->waitForFinished(10000));
        QCOMPARE(second.process->exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSandboxCrash)
#include "tst_sandboxcrash.moc"
