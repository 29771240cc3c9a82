// chronoscope-cli projections list | state, as a script runs it, against a sandbox running a user projection.
#include "CliRunner.h"
#include "EventStore.h"
#include "SandboxServer.h"
#include "UserProjections.h"
#include "client/ProjectionsClient.h"

#include <QJsonArray>
#include <QTest>

using namespace chronoscope;

class TestCliProjections : public QObject
{
    Q_OBJECT

    sandbox::SandboxServer m_server;
    CliRunner m_cli;
    QString m_connection;

    CliRunner::Run cli(QStringList arguments) const
    {
        arguments << QStringLiteral("--connect") << m_connection;
        return m_cli.run(arguments);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server.store().configureProjections(true, false);
        QString why;
        const int port = m_server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        m_connection = QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port);
        for (const char *customer : {"ann", "bob", "ann"}) {
            const std::string data = std::string("{\"customer\":\"") + customer + "\",\"amount\":2}";
            QVERIFY(!m_server.store()
                         .append("order-1", sandbox::EventStore::Expected::Any, 0,
                                 {sandbox::ProposedEvent{QUuid::createUuid(), "OrderPlaced", true, data, {}, 0}})
                         .error);
        }
        const ProjectionsClient client(ConnectionString::parse(m_connection).settings);
        QVERIFY(
            !client
                 .createContinuous(QStringLiteral("per-customer"),
                                   QStringLiteral("fromCategory('order').partitionBy(function (e) { return "
                                                  "e.body.customer; }).when({ $init: function () { return { n: 0 }; "
                                                  "}, OrderPlaced: function (s, e) { s.n += e.body.amount; } })"
                                                  ".transformBy(function (s) { return { twice: s.n * 2 }; });"))
                 .error);
    }

    void listJson()
    {
        const CliRunner::Run r = cli({QStringLiteral("projections"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const QJsonArray all = r.json().value(QLatin1String("projections")).toArray();
        QCOMPARE(all.size(), 6);
        const QJsonObject mine = all.last().toObject();
        QCOMPARE(mine.value(QLatin1String("name")).toString(), QStringLiteral("per-customer"));
        QCOMPARE(mine.value(QLatin1String("mode")).toString(), QStringLiteral("Continuous"));
        QCOMPARE(mine.value(QLatin1String("status")).toString(), QStringLiteral("Running"));
        QCOMPARE(mine.value(QLatin1String("eventsProcessedAfterRestart")).toString(), QStringLiteral("3"));
        QCOMPARE(mine.value(QLatin1String("partitionsCached")).toInt(), 2);
        QCOMPARE(mine.value(QLatin1String("progress")).toDouble(), 100.0);
    }

    void listText()
    {
        const CliRunner::Run r = cli({QStringLiteral("projections"), QStringLiteral("list")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains(QLatin1String("per-customer  Continuous  Running")), r.describe().constData());
    }

    void statePerPartition()
    {
        CliRunner::Run r = cli({QStringLiteral("projections"), QStringLiteral("state"), QStringLiteral("per-customer"),
                                QStringLiteral("--partition"), QStringLiteral("ann"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.json().value(QLatin1String("state")).toObject().value(QLatin1String("n")).toDouble(), 4.0);
        QCOMPARE(r.json().value(QLatin1String("partition")).toString(), QStringLiteral("ann"));
        r = cli({QStringLiteral("projections"), QStringLiteral("state"), QStringLiteral("per-customer"),
                 QStringLiteral("--partition"), QStringLiteral("bob"), QStringLiteral("--result"),
                 QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.json().value(QLatin1String("result")).toObject().value(QLatin1String("twice")).toDouble(), 4.0);
        r = cli({QStringLiteral("projections"), QStringLiteral("state"), QStringLiteral("per-customer"),
                 QStringLiteral("--partition"), QStringLiteral("nobody"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.json().value(QLatin1String("state")).toObject(), QJsonObject()); // an empty state is {}
    }

    void errors()
    {
        CliRunner::Run r = cli(
            {QStringLiteral("projections"), QStringLiteral("state"), QStringLiteral("nope"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.json().value(QLatin1String("outcome")).toString(), QStringLiteral("error"));
        QVERIFY2(r.err.contains(QLatin1String("no projection named 'nope'")), r.describe().constData());
        r = cli({QStringLiteral("projections"), QStringLiteral("state")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("needs the projection's name")), r.describe().constData());
        r = cli({QStringLiteral("projections"), QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 1);
        r = m_cli.run({QStringLiteral("projections"), QStringLiteral("list"), QStringLiteral("--connect"),
                       QStringLiteral("kurrentdb://127.0.0.1:1?tls=false")});
        QCOMPARE(r.exitCode, 1); // nobody there
    }
};

QTEST_GUILESS_MAIN(TestCliProjections)
#include "tst_cliprojections.moc"
