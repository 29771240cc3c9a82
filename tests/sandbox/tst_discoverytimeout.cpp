// gossipTimeout against a seed that accepts the TCP connection and then never speaks HTTP/2 (a
// hung node, a port taken by something else): each Gossip.Read gives up after about gossipTimeout,
// discovery goes on to the next seed, and with no other seed it fails after maxDiscoverAttempts
// rounds, discoveryInterval apart. Bounds are wide: the machine may be loaded.
#include "SandboxCluster.h"
#include "SandboxServer.h"
#include "client/StreamsClient.h"
#include "cluster/Discovery.h"
#include "support/SilentServer.h"

#include <QElapsedTimer>
#include <QTest>

using namespace chronoscope;
using test::SilentServer;

namespace {

ConnectionSettings settingsFor(const QString &connectionString)
{
    const auto cs = ConnectionString::parse(connectionString);
    if (!cs.ok())
        qFatal("bad connection string %s: %s", qPrintable(connectionString), qPrintable(cs.error));
    return cs.settings;
}

} // namespace

class TestDiscoveryTimeout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gossipReadGivesUpAfterGossipTimeout()
    {
        SilentServer silent;
        QVERIFY(silent.port() > 0);
        const Discovery discovery(settingsFor(
            QStringLiteral("esdb+discover://127.0.0.1:%1?tls=false&gossipTimeout=600").arg(silent.port())));
        QElapsedTimer t;
        t.start();
        const GossipResult g = discovery.readMembers(silent.endPoint());
        const qint64 elapsed = t.elapsed();
        QCOMPARE(g.error.kind, ClientError::Kind::DeadlineExceeded);
        QVERIFY2(silent.accepted() >= 1, "the seed must have been reached: a refused connection tests nothing here");
        QVERIFY2(elapsed >= 540, qPrintable(QString::number(elapsed)));
        QVERIFY2(elapsed < 600 + 4000, qPrintable(QString::number(elapsed)));
    }

    void nextSeedAnswersAfterTheSilentOne()
    {
        SilentServer silent;
        QVERIFY(silent.port() > 0);
        sandbox::SandboxServer first;
        sandbox::SandboxCluster cluster(first, 3);
        QString error;
        QVERIFY2(cluster.start(QStringLiteral("127.0.0.1:0"), &error), qPrintable(error));
        const EndPoint answering{QStringLiteral("127.0.0.1"), quint16(cluster.ports().at(1))};
        Discovery discovery(settingsFor(QStringLiteral("esdb://127.0.0.1:%1,%2:%3?tls=false&gossipTimeout=600")
                                            .arg(silent.port()).arg(answering.host).arg(answering.port)));
        QElapsedTimer t;
        t.start();
        // Naming the answering seed as the one that failed last puts it after the silent one.
        ClientError discoveryError;
        const auto chosen = discovery.discover(answering, &discoveryError);
        const qint64 elapsed = t.elapsed();
        QVERIFY2(chosen, qPrintable(discoveryError.toString()));
        QCOMPARE(int(chosen->port), cluster.ports().at(cluster.state().leader())); // nodePreference=leader
        QVERIFY(silent.accepted() >= 1);
        QVERIFY2(elapsed >= 540, "the silent seed was asked first and waited for");
        QVERIFY2(elapsed < 600 + 4000, qPrintable(QString::number(elapsed)));
    }

    void discoveryFailsAfterMaxAttemptsWithIntervals()
    {
        SilentServer silent;
        QVERIFY(silent.port() > 0);
        const auto cs = ConnectionString::parse(QStringLiteral("esdb+discover://127.0.0.1:%1?tls=false&maxDiscoverAttempts=3"
                                                               "&discoveryInterval=200&gossipTimeout=400").arg(silent.port()));
        QVERIFY(cs.ok());
        StreamsClient client(cs.settings);
        QElapsedTimer t;
        t.start();
        const AppendResult r = client.append("nowhere", ExpectedState::any(), {EventData::json("E", "{}")});
        const qint64 elapsed = t.elapsed();
        QCOMPARE(r.error.kind, ClientError::Kind::Unavailable);
        QVERIFY2(r.error.message.contains(QLatin1String("3 attempts")), qPrintable(r.error.message));
        QVERIFY2(r.error.message.contains(QLatin1String("deadline"), Qt::CaseInsensitive), qPrintable(r.error.message));
        QVERIFY(silent.accepted() >= 1);
        // Three gossip timeouts and the two intervals between them: 1600 ms.
        QVERIFY2(elapsed >= 1440, qPrintable(QString::number(elapsed)));
        QVERIFY2(elapsed < 1600 + 5000, qPrintable(QString::number(elapsed)));
    }
};

QTEST_GUILESS_MAIN(TestDiscoveryTimeout)
#include "tst_discoverytimeout.moc"
