// chronoscope-cli projections compare, as a script runs it: exit 0 all equal, 2 a partition differs or is
// missing, 1 an error; NDJSON per partition that is not equal, then the summary.
#include "CliRunner.h"
#include "EventStore.h"
#include "SandboxServer.h"
#include "UserProjections.h"
#include "client/ProjectionsClient.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;

namespace {

const char *kTotals = "fromCategory('order').foreachStream().when({\n"
                      "  $init: function () { return { total: 0 }; },\n"
                      "  ItemAdded: function (s, e) { s.total += e.body.price; },\n"
                      "  Refunded: function (s, e) { s.total -= e.body.amount; }\n"
                      "});\n";

} // namespace

class TestCliProjectionCompare : public QObject
{
    Q_OBJECT

    sandbox::SandboxServer m_server;
    CliRunner m_cli;
    QString m_connection;
    QTemporaryDir m_dir;

    CliRunner::Run cli(QStringList arguments) const
    {
        arguments.prepend(QStringLiteral("projections"));
        arguments << QStringLiteral("--connect") << m_connection;
        return m_cli.run(arguments);
    }
    QString file(const char *name, const QByteArray &text) const
    {
        const QString path = m_dir.filePath(QString::fromLatin1(name));
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(text);
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server.store().configureProjections(true, false);
        QString why;
        const int port = m_server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        m_connection = QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port);
        auto event = [](const char *type, const char *data) {
            return sandbox::ProposedEvent{QUuid::createUuid(), type, true, data, {}, 0};
        };
        const auto any = sandbox::EventStore::Expected::Any;
        QVERIFY(!m_server.store().append("order-1", any, 0, {event("ItemAdded", R"({"price":5})")}).error);
        QVERIFY(!m_server.store()
                     .append("order-2", any, 0,
                             {event("ItemAdded", R"({"price":9})"), event("Refunded", R"({"amount":9})")})
                     .error);
        const ProjectionsClient client(ConnectionString::parse(m_connection).settings);
        QVERIFY(!client.createContinuous(QStringLiteral("totals"), QString::fromUtf8(kTotals)).error);
        QVERIFY(m_server.store().userProjections()->waitIdle(10000));
    }

    void equalExitsZero()
    {
        // Against the server's own source, and against a file holding the same text.
        CliRunner::Run r = cli({QStringLiteral("compare"), QStringLiteral("totals"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.jsonLines().size(), 1);
        QCOMPARE(r.json().value(QLatin1String("outcome")).toString(), QStringLiteral("equal"));
        QCOMPARE(r.json().value(QLatin1String("partitions")).toString(), QStringLiteral("2"));
        r = cli({QStringLiteral("compare"), QStringLiteral("totals"), QStringLiteral("--source"),
                 file("same.js", kTotals)});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains(QLatin1String("same.js sha256")) && r.out.contains(QLatin1String("(the same)")),
                 r.describe().constData());
        QVERIFY2(r.out.contains(QLatin1String("2 partitions: 2 equal, 0 different")), r.describe().constData());
    }

    void differencesExitTwo()
    {
        QByteArray buggy = kTotals;
        buggy.replace("Refunded:", "Refund:");
        const QString path = file("buggy.js", buggy);
        CliRunner::Run r = cli({QStringLiteral("compare"), QStringLiteral("totals"), QStringLiteral("--source"), path,
                                QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 2, r.describe().constData());
        const QList<QJsonObject> lines = r.jsonLines();
        QCOMPARE(lines.size(), 2); // order-2, then the summary
        const QJsonObject two = lines.at(0);
        QCOMPARE(two.value(QLatin1String("partition")).toString(), QStringLiteral("order-2"));
        QCOMPARE(two.value(QLatin1String("status")).toString(), QStringLiteral("different"));
        QCOMPARE(two.value(QLatin1String("paths")).toArray(), QJsonArray{QStringLiteral("/total")});
        QCOMPARE(two.value(QLatin1String("local")).toObject().value(QLatin1String("total")).toDouble(), 9.0);
        QCOMPARE(two.value(QLatin1String("server")).toObject().value(QLatin1String("total")).toDouble(), 0.0);
        const QJsonObject summary = lines.at(1);
        QCOMPARE(summary.value(QLatin1String("outcome")).toString(), QStringLiteral("different"));
        QCOMPARE(summary.value(QLatin1String("different")).toString(), QStringLiteral("1"));
        QCOMPARE(summary.value(QLatin1String("exitCode")).toInt(), 2);
        QVERIFY(summary.value(QLatin1String("definition")).toObject().value(QLatin1String("differs")).toBool());

        r = cli({QStringLiteral("compare"), QStringLiteral("totals"), QStringLiteral("--source"), path});
        QVERIFY2(r.exitCode == 2, r.describe().constData());
        QVERIFY2(r.out.contains(QLatin1String("different          order-2  /total")), r.describe().constData());
        QVERIFY2(r.out.contains(QLatin1String("(differs)")), r.describe().constData());

        // A partition the file's source never makes: missing locally, exit 2 too.
        r = cli({QStringLiteral("compare"), QStringLiteral("totals"), QStringLiteral("--source"),
                 file("one.js",
                      "fromStream('order-1').when({ $init: function () { return { total: 0 }; }, "
                      "ItemAdded: function (s, e) { s.total += e.body.price; } });"),
                 QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 2, r.describe().constData());
    }

    void errorsExitOne()
    {
        CliRunner::Run r = cli({QStringLiteral("compare"), QStringLiteral("nope"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("no projection named 'nope'")), r.describe().constData());
        r = cli({QStringLiteral("compare"), QStringLiteral("totals"), QStringLiteral("--source"),
                 m_dir.filePath(QStringLiteral("absent.js"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("cannot read")), r.describe().constData());
        r = cli({QStringLiteral("compare"), QStringLiteral("totals"), QStringLiteral("--source"),
                 file("broken.js", "fromAll().when({ oops")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("cannot fold")), r.describe().constData());
        r = cli({QStringLiteral("compare")});
        QCOMPARE(r.exitCode, 1);
        r = cli({QStringLiteral("list"), QStringLiteral("--source"), QStringLiteral("x.js")});
        QCOMPARE(r.exitCode, 1);
        r = cli({QStringLiteral("compare"), QStringLiteral("totals"), QStringLiteral("--concurrency"),
                 QStringLiteral("0")});
        QCOMPARE(r.exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(TestCliProjectionCompare)
#include "tst_cliprojectioncompare.moc"
