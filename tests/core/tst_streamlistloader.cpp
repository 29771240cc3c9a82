#include "catalog/StreamListLoader.h"
#include "client/StreamsClient.h"
#include "support/DemoSandbox.h"
#include "support/SilentServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace chronoscope;

namespace {

/// How many threads of this process belong to a QThreadPool (Qt names them "Thread (pooled)"; gRPC's own
/// threads come and go under other names), or -1 where /proc is not there to tell.
int pooledThreads()
{
    QDir tasks(QStringLiteral("/proc/self/task"));
    if (!tasks.exists())
        return -1;
    int n = 0;
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(task + QStringLiteral("/comm")));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == "Thread (pooled)")
            ++n;
    }
    return n;
}

/// pooledThreads() once it holds still: a thread its pool has just joined can linger in /proc a moment.
int settledPooledThreads()
{
    int n = pooledThreads();
    for (int same = 0; same < 5;) {
        QTest::qWait(20);
        const int m = pooledThreads();
        same = m == n ? same + 1 : 0;
        n = m;
    }
    return n;
}

} // namespace

class TestStreamListLoader : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;
    QList<QByteArray> m_expected; ///< distinct stream names, most recently written first
    quint64 m_nonSystemEvents = 0;

    static QList<QByteArray> concat(const QSignalSpy &spy)
    {
        QList<QByteArray> out;
        for (const auto &args : spy)
            out += args.at(0).value<QList<QByteArray>>();
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(2000), qPrintable(m_sandbox.error()));
        m_client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        const ReadResult all = m_client->readAll(
            ReadRequest::forAll(Direction::Backwards).filtered(ReadFilter::excludeSystemEvents()));
        QVERIFY(!all.error);
        QSet<QByteArray> seen;
        for (const ResolvedEvent &e : all.events) {
            const QByteArray &name = e.originalEvent().streamId;
            if (!seen.contains(name)) {
                seen.insert(name);
                m_expected << name;
            }
        }
        m_nonSystemEvents = quint64(all.events.size());
        QVERIFY(m_expected.contains("order-1"));
    }

    void listsEveryStreamOnceNewestFirst()
    {
        StreamListLoader loader;
        loader.setBatchIntervalMs(0); // a batch per event: the worst case for de-duplication
        QSignalSpy found(&loader, &StreamListLoader::streamsFound);
        QSignalSpy sightings(&loader, &StreamListLoader::sightingsUpdated);
        QSignalSpy progress(&loader, &StreamListLoader::progress);
        QSignalSpy finished(&loader, &StreamListLoader::finished);

        loader.start(m_client);
        QVERIFY(loader.isRunning());
        QVERIFY(finished.wait(45000));
        QVERIFY(!loader.isRunning());
        QVERIFY(!finished.at(0).at(0).value<ClientError>());
        QCOMPARE(concat(found), m_expected);
        QVERIFY(found.size() > 1);
        QCOMPARE(progress.last().at(0).toULongLong(), m_nonSystemEvents);

        QHash<QByteArray, StreamSighting> last;
        for (const auto &args : std::as_const(sightings))
            for (const StreamSighting &s : args.at(0).value<QList<StreamSighting>>())
                last.insert(s.name, s);
        quint64 total = 0;
        for (const StreamSighting &s : std::as_const(last))
            total += s.eventsSeen;
        QCOMPARE(total, m_nonSystemEvents);
        const StreamSighting order1 = last.value("order-1");
        const ReadResult order1Events = m_client->readAll(ReadRequest::forStream("order-1", Direction::Backwards));
        QCOMPARE(order1.eventsSeen, quint64(order1Events.events.size()));
        QCOMPARE(order1.lastEventMs, order1Events.events.first().originalEvent().createdMsecsSinceEpoch());
    }

    void batchesAtMostEveryInterval()
    {
        StreamListLoader loader; // default 100 ms: 2 000 events arrive in far less
        QSignalSpy found(&loader, &StreamListLoader::streamsFound);
        QSignalSpy finished(&loader, &StreamListLoader::finished);
        loader.start(m_client);
        QVERIFY(finished.wait(45000));
        QVERIFY(found.size() <= 3);
        QCOMPARE(concat(found), m_expected);
    }

    void latestRequestWins()
    {
        StreamListLoader loader;
        loader.setBatchIntervalMs(0);
        QSignalSpy found(&loader, &StreamListLoader::streamsFound);
        QSignalSpy finished(&loader, &StreamListLoader::finished);
        loader.start(m_client);
        loader.start(m_client); // the first scan's results must never show up
        QVERIFY(finished.wait(45000));
        QTest::qWait(300);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(concat(found), m_expected);
    }

    void cancelEndsAtOnceAndDropsTheRest()
    {
        StreamListLoader loader;
        loader.setBatchIntervalMs(0);
        QSignalSpy found(&loader, &StreamListLoader::streamsFound);
        QSignalSpy finished(&loader, &StreamListLoader::finished);
        loader.start(m_client);
        loader.cancel();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).value<ClientError>().kind, ClientError::Kind::Cancelled);
        QVERIFY(!loader.isRunning());
        const auto before = found.size();
        QTest::qWait(300);
        QCOMPARE(found.size(), before);
        QCOMPARE(finished.size(), 1);
        loader.cancel(); // nothing running: no second finished
        QCOMPARE(finished.size(), 1);
    }

    void unreachableServerFails()
    {
        auto client = std::make_shared<const StreamsClient>(
            ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:1?tls=false")).settings);
        StreamListLoader loader;
        QSignalSpy finished(&loader, &StreamListLoader::finished);
        loader.start(client);
        QVERIFY(finished.wait(45000));
        const auto error = finished.at(0).at(0).value<ClientError>();
        QVERIFY(error.isError());
        QVERIFY(error.kind != ClientError::Kind::Cancelled);
    }

    void destroyingWhileScanningIsSafe_data()
    {
        QTest::addColumn<bool>("silentServer");
        // The worker between two batches of a real scan; the worker blocked in a call to a server that
        // accepted the connection and never answers (only cancelling the call ends it).
        QTest::addRow("scanning") << false;
        QTest::addRow("waiting for a silent server") << true;
    }

    void destroyingWhileScanningIsSafe()
    {
        QFETCH(bool, silentServer);
        test::SilentServer silent;
        QVERIFY(silent.port() > 0);
        // The scan's own client: once the loader is gone, nothing but the worker may still hold it.
        auto client = std::make_shared<const StreamsClient>(
            silentServer
                ? ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(silent.port()))
                      .settings
                : m_sandbox.settings());
        const std::weak_ptr<const StreamsClient> clientAlive = client;
        const int threadsBefore = settledPooledThreads();

        auto loader = std::make_unique<StreamListLoader>();
        loader->setBatchIntervalMs(0);
        QObject observer;
        bool destroying = false;
        int signalsWhileDestroying = 0;
        auto count = [&] {
            if (destroying)
                ++signalsWhileDestroying;
        };
        connect(loader.get(), &StreamListLoader::streamsFound, &observer, count);
        connect(loader.get(), &StreamListLoader::progress, &observer, count);
        connect(loader.get(), &StreamListLoader::finished, &observer, count);
        QSignalSpy progress(loader.get(), &StreamListLoader::progress);
        loader->start(std::move(client));
        if (silentServer) {
            QTRY_VERIFY_WITH_TIMEOUT(silent.accepted() > 0, 10000); // the call is under way, and will hang
            QTest::qWait(100);
            QCOMPARE(progress.size(), 0);
        } else {
            QVERIFY(progress.wait(10000)); // returns at the first batch: the scan is under way
        }
        QVERIFY(loader->isRunning());
        QVERIFY(!clientAlive.expired());
        if (threadsBefore >= 0)
            QVERIFY(pooledThreads() > threadsBefore); // the worker's

        QElapsedTimer destruction;
        destruction.start();
        destroying = true;
        loader.reset(); // cancels the scan and waits for its worker
        const qint64 destructionMs = destruction.elapsed();
        QVERIFY2(destructionMs < 3000, qPrintable(QStringLiteral("destruction took %1 ms").arg(destructionMs)));
        // The worker has returned and its job (with the client it held) is freed, …
        QVERIFY(clientAlive.expired());
        // … the tracker's threads are gone, …
        if (threadsBefore >= 0)
            QCOMPARE(settledPooledThreads(), threadsBefore);
        // … the dying loader told its observers nothing, and whatever the worker had queued for it is
        // dropped (a queued call reaching the freed loader would be a use after free: the asan preset
        // fails the test there).
        QCOMPARE(signalsWhileDestroying, 0);
        QTest::qWait(300);
        QCOMPARE(signalsWhileDestroying, 0);
    }
};

QTEST_GUILESS_MAIN(TestStreamListLoader)
#include "tst_streamlistloader.moc"
