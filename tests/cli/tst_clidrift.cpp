// `chronoscope-cli drift` as a nightly job runs it: a process against the sandbox's demo orders and a real
// PostgreSQL (and Redis) read model started here. A faithful read model exits 0; a seeded drift exits 2 with
// exactly the seeded aggregates in the NDJSON, each with the fold's and the row's values; a wrong password,
// an unreachable read model, a bad mapping and bad arguments exit 1 with a message that says which.
#include "CliRunner.h"
#include "client/StreamsClient.h"
#include "connection/ConnectionProfiles.h"
#include "support/DemoOrdersTable.h"
#include "support/DemoSandbox.h"
#include "support/PostgresServer.h"
#include "support/RedisServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace chronoscope;

namespace {

QString sql(const QString &v)
{
    return QLatin1Char('\'') + QString(v).replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
}

/// A loopback port nothing listens on.
quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

class TestCliDrift : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = PostgresServer::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY2(m_sandbox.start(3000), qPrintable(m_sandbox.error()));
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
        const StreamsClient client(m_sandbox.settings());
        demoorders::Table table = demoorders::create(client, m_pg);
        QVERIFY2(table.error.isEmpty(), qPrintable(table.error));
        QVERIFY(table.orders.size() > 30);
        m_orders = table.orders;
        m_states = table.states;
        m_reducer = m_dir.filePath(QStringLiteral("drift.reducer.json"));
        writeReducer(m_reducer, QString::fromUtf8(demoorders::mapping()));
        m_cli.setEnv(QStringLiteral("CHRONOSCOPE_READMODEL_PASSWORD"), m_pg.password());
    }

    void aFaithfulReadModelExitsZero()
    {
        const CliRunner::Run r = m_cli.run(args({QStringLiteral("--json")}));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const QList<QJsonObject> lines = r.jsonLines();
        QCOMPARE(lines.size(), 1);
        const QJsonObject summary = lines.constFirst();
        QCOMPARE(summary.value(QStringLiteral("outcome")).toString(), QStringLiteral("no-drift"));
        QCOMPARE(summary.value(QStringLiteral("equal")).toInteger(), m_orders.size());
        QCOMPARE(summary.value(QStringLiteral("aggregates")).toInteger(), m_orders.size());
        QVERIFY(summary.value(QStringLiteral("events")).toInteger() > m_orders.size());
        QCOMPARE(summary.value(QStringLiteral("exitCode")).toInt(), 0);
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err)); // no progress: stderr is not a terminal

        const CliRunner::Run text = m_cli.run(args({}));
        QVERIFY2(text.exitCode == 0
                     && text.out.startsWith(QStringLiteral("no drift: %1 aggregates").arg(m_orders.size())),
                 text.describe().constData());
    }

    void aSeededDriftExitsTwoWithExactlyThoseAggregates()
    {
        const QStringList currency{m_orders.at(3), m_orders.at(4)};
        const QString items = m_orders.at(10);
        const QStringList gone = m_orders.mid(20, 2);
        QString drift;
        for (const QString &id : currency)
            drift += QStringLiteral("UPDATE orders SET currency = 'XXX' WHERE order_id = %1;\n").arg(sql(id));
        drift +=
            QStringLiteral("UPDATE orders SET items = coalesce(items, 0) + 1 WHERE order_id = %1;\n").arg(sql(items));
        for (const QString &id : gone)
            drift += QStringLiteral("DELETE FROM orders WHERE order_id = %1;\n").arg(sql(id));
        drift += QStringLiteral("INSERT INTO orders (order_id, currency) VALUES ('ghost-1', 'EUR');\n");
        QString out;
        QVERIFY2(m_pg.psql(drift, &out), qPrintable(out));

        const CliRunner::Run r = m_cli.run(args({QStringLiteral("--json")}));
        QVERIFY2(r.exitCode == 2, r.describe().constData());
        QList<QJsonObject> lines = r.jsonLines();
        QCOMPARE(lines.size(), 7); // six aggregates, then the summary
        const QJsonObject summary = lines.takeLast();
        QCOMPARE(summary.value(QStringLiteral("outcome")).toString(), QStringLiteral("drift"));
        QCOMPARE(summary.value(QStringLiteral("different")).toInt(), 3);
        QCOMPARE(summary.value(QStringLiteral("missingRow")).toInt(), 2);
        QCOMPARE(summary.value(QStringLiteral("rowWithoutEvents")).toInt(), 1);
        QCOMPARE(summary.value(QStringLiteral("unreadable")).toInt(), 0);
        QCOMPARE(summary.value(QStringLiteral("equal")).toInteger(), m_orders.size() - 5);
        QCOMPARE(summary.value(QStringLiteral("exitCode")).toInt(), 2);

        QHash<QString, QJsonObject> found;
        for (const QJsonObject &o : lines)
            found.insert(o.value(QStringLiteral("aggregateId")).toString(), o);
        QCOMPARE(found.size(), 6);
        for (const QString &id : currency) {
            const QJsonObject o = found.value(id);
            QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("different"));
            QCOMPARE(o.value(QStringLiteral("stream")).toString(), QStringLiteral("order-") + id);
            const QJsonArray paths = o.value(QStringLiteral("paths")).toArray();
            QCOMPARE(paths.size(), 1);
            const QJsonObject p = paths.at(0).toObject();
            QCOMPARE(p.value(QStringLiteral("path")).toString(), QStringLiteral("/state/currency"));
            QCOMPARE(p.value(QStringLiteral("fold")), m_states.value(id).value(QStringLiteral("currency")));
            QCOMPARE(p.value(QStringLiteral("row")).toString(), QStringLiteral("XXX"));
        }
        const QJsonObject p = found.value(items).value(QStringLiteral("paths")).toArray().at(0).toObject();
        QCOMPARE(p.value(QStringLiteral("path")).toString(), QStringLiteral("/state/items"));
        QCOMPARE(p.value(QStringLiteral("row")).toInteger(),
                 m_states.value(items).value(QStringLiteral("items")).toInteger() + 1);
        for (const QString &id : gone)
            QCOMPARE(found.value(id).value(QStringLiteral("kind")).toString(), QStringLiteral("missing-row"));
        QCOMPARE(found.value(QStringLiteral("ghost-1")).value(QStringLiteral("kind")).toString(),
                 QStringLiteral("row-without-events"));

        // Text: a table with the fold's and the row's values, and the summary.
        const CliRunner::Run text = m_cli.run(args({}));
        QVERIFY2(text.exitCode == 2, text.describe().constData());
        QVERIFY2(text.out.startsWith(QStringLiteral("aggregate")), text.describe().constData());
        QVERIFY2(text.out.contains(
                     QRegularExpression(QStringLiteral("order-%1 +different +/state/currency +\"\\w+\" +\"XXX\"")
                                            .arg(QRegularExpression::escape(currency.at(0))))),
                 text.describe().constData());
        QVERIFY2(text.out.contains(QStringLiteral("order-ghost-1")), text.describe().constData());
        QVERIFY2(text.out.contains(QStringLiteral("drift in 6 aggregates of order (read model orders): 3 different, "
                                                  "2 missing row, 1 row without events, 0 unreadable")),
                 text.describe().constData());
    }

    void theProfilesEndpointAndItsMessages()
    {
        {
            QSettings settings(m_cli.settingsFile(), QSettings::IniFormat);
            ConnectionProfiles profiles(&settings);
            ConnectionProfile p{QStringLiteral("nightly"),
                                m_sandbox.connectionString(),
                                {},
                                QStringLiteral("#3b82f6"),
                                false,
                                true,
                                {},
                                {}};
            QVERIFY(profiles.save(p).isEmpty());
            QVERIFY(profiles.setReadModels(QStringLiteral("nightly"), {demoorders::endpoint(m_pg)}).isEmpty());
            settings.sync();
        }
        const QStringList base{QStringLiteral("drift"),
                               QStringLiteral("--profile"),
                               QStringLiteral("nightly"),
                               QStringLiteral("--reducer"),
                               m_reducer,
                               QStringLiteral("--read-model"),
                               QStringLiteral("orders"),
                               QStringLiteral("--json")};
        const CliRunner::Run r = m_cli.run(base);
        QVERIFY2(r.exitCode == 2 && r.jsonLines().size() == 7, r.describe().constData()); // the drift seeded above

        // A mapping whose endpoint the profile does not have.
        const QString other = m_dir.filePath(QStringLiteral("other.reducer.json"));
        writeReducer(other,
                     QString::fromUtf8(demoorders::mapping())
                         .replace(QStringLiteral("\"endpoint\": \"test\""), QStringLiteral("\"endpoint\": \"cache\"")));
        QStringList missing = base;
        missing[4] = other;
        const CliRunner::Run m = m_cli.run(missing);
        QVERIFY2(m.exitCode == 1
                     && m.json()
                            .value(QStringLiteral("message"))
                            .toString()
                            .contains(QStringLiteral("no read-model endpoint named \"cache\"")),
                 m.describe().constData());
    }

    void aWrongPasswordExitsOneAndIsNeverShown()
    {
        CliRunner cli;
        const QString wrong = QStringLiteral("not-the-password-4711");
        cli.setEnv(QStringLiteral("CHRONOSCOPE_READMODEL_PASSWORD"), wrong);
        const CliRunner::Run r = cli.run(args({QStringLiteral("--json")}));
        QVERIFY2(r.exitCode == 1, r.describe().constData());
        const QString message = r.json().value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(QStringLiteral("authentication-failed")), r.describe().constData());
        QVERIFY2(message.contains(QStringLiteral("postgresql chronoscope@127.0.0.1")), r.describe().constData());
        QVERIFY(!r.out.contains(wrong) && !r.err.contains(wrong) && !r.out.contains(m_pg.password()));
    }

    void anUnreachableReadModelExitsOne()
    {
        const QString url = QStringLiteral(
                                "postgresql://chronoscope@127.0.0.1:%1/readmodel?sslmode=disable&connect_timeout=2")
                                .arg(closedPort());
        const CliRunner::Run r = m_cli.run(args({QStringLiteral("--json")}, url));
        QVERIFY2(r.exitCode == 1, r.describe().constData());
        QVERIFY2(r.json().value(QStringLiteral("message")).toString().contains(QStringLiteral("unreachable")),
                 r.describe().constData());

        // The event store unreachable: exit 1, and no drift claimed.
        QStringList dead = args({QStringLiteral("--json")});
        dead[2] = QStringLiteral("esdb://127.0.0.1:%1?tls=false").arg(closedPort());
        const CliRunner::Run e = m_cli.run(dead);
        QVERIFY2(e.exitCode == 1 && e.jsonLines().size() == 1
                     && e.json()
                            .value(QStringLiteral("message"))
                            .toString()
                            .contains(QStringLiteral("cannot read the events")),
                 e.describe().constData());
    }

    void badArgumentsAndMappingsExitOne()
    {
        const auto expectError = [this](const QStringList &arguments, const QString &words) {
            const CliRunner::Run r = m_cli.run(arguments);
            QVERIFY2(r.exitCode == 1 && r.err.contains(words), r.describe().constData());
        };
        expectError({QStringLiteral("drift"), QStringLiteral("--connect"), m_sandbox.connectionString()},
                    QStringLiteral("give --reducer"));
        expectError(args({QStringLiteral("--redis"), QStringLiteral("127.0.0.1:1")}),
                    QStringLiteral("--postgres or --redis, not both"));
        QStringList withPassword = args({});
        withPassword[withPassword.indexOf(QStringLiteral("--postgres")) + 1] =
            QStringLiteral("postgresql://chronoscope:secret@127.0.0.1:%1/readmodel").arg(m_pg.port());
        expectError(withPassword, QStringLiteral("--postgres holds a password"));
        QStringList unknown = args({});
        unknown[unknown.indexOf(QStringLiteral("orders"))] = QStringLiteral("nope");
        expectError(unknown, QStringLiteral("has no read model \"nope\""));
        QStringList redisForPg = args({});
        redisForPg.removeAt(redisForPg.indexOf(QStringLiteral("--postgres")) + 1);
        redisForPg.removeAt(redisForPg.indexOf(QStringLiteral("--postgres")));
        redisForPg << QStringLiteral("--redis") << QStringLiteral("127.0.0.1:6379");
        expectError(redisForPg, QStringLiteral("the mapping orders reads postgresql"));
        expectError(args({QStringLiteral("--workers"), QStringLiteral("0")}), QStringLiteral("--workers"));

        const QString bad = m_dir.filePath(QStringLiteral("bad.reducer.json"));
        writeReducer(bad,
                     QString::fromUtf8(demoorders::mapping())
                         .replace(QStringLiteral("\"idColumn\""), QStringLiteral("\"idColumm\"")));
        QStringList badMapping = args({});
        badMapping[badMapping.indexOf(m_reducer)] = bad;
        expectError(badMapping, QStringLiteral("readModels.orders"));

        // A query the server refuses: exit 1 with PostgreSQL's own words.
        const QString typo = m_dir.filePath(QStringLiteral("typo.reducer.json"));
        writeReducer(typo,
                     QString::fromUtf8(demoorders::mapping())
                         .replace(QStringLiteral("\"SELECT * FROM orders\""),
                                  QStringLiteral("\"SELECT * FROM ordrs\"")));
        QStringList typoArgs = args({});
        typoArgs[typoArgs.indexOf(m_reducer)] = typo;
        expectError(typoArgs, QStringLiteral("\"ordrs\" does not exist"));
    }

    /// Ctrl-C mid-scan: the process ends by itself (no crash), exit 1, and no drift is claimed for a half scan.
    void ctrlCCancelsCleanly()
    {
        // A read model that takes ~11 s to read (30 ms a row), so that the interrupt lands mid-scan.
        const QString slow = m_dir.filePath(QStringLiteral("slow.reducer.json"));
        writeReducer(slow,
                     QString::fromUtf8(demoorders::mapping())
                         .replace(QStringLiteral("\"SELECT * FROM orders\""),
                                  QStringLiteral("\"SELECT * FROM orders WHERE pg_sleep(0.03)::text = ''\"")));
        // Ctrl-C is answered between fetches: 20 rows (0.6 s) a fetch.
        QStringList arguments = args({QStringLiteral("--json"), QStringLiteral("--batch-size"), QStringLiteral("20")});
        arguments[arguments.indexOf(m_reducer)] = slow;
        QProcess p;
        p.setProcessEnvironment(m_cli.environment());
        QElapsedTimer timer;
        timer.start();
        p.start(QStringLiteral(CHRONOSCOPE_CLI_BIN), arguments);
        QVERIFY(p.waitForStarted(10000));
        QTest::qWait(1500);
        QCOMPARE(p.state(), QProcess::Running);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(15000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        const QList<QJsonObject> lines = CliRunner::jsonLinesOf(out);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.constFirst().value(QStringLiteral("message")).toString().startsWith(QStringLiteral("cancelled")),
                 qPrintable(out));
        QVERIFY2(timer.elapsed() < 7000, qPrintable(QString::number(timer.elapsed()))); // not the whole scan
    }

    void aRedisReadModel()
    {
        if (const QString why = RedisServer::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.error()));
        const QString drifted = m_orders.at(7);
        QString seed;
        for (auto it = m_states.constBegin(); it != m_states.constEnd(); ++it) {
            seed += QStringLiteral("HSET order-summary:%1 id %1").arg(it.key());
            if (it.value().contains(QStringLiteral("currency")))
                seed += QStringLiteral(" currency %1")
                            .arg(it.key() == drifted ? QStringLiteral("XXX")
                                                     : it.value().value(QStringLiteral("currency")).toString());
            seed += QLatin1Char('\n');
        }
        QString out;
        QVERIFY2(redis.cli(seed, &out), qPrintable(out));
        const QString file = m_dir.filePath(QStringLiteral("redis.reducer.json"));
        writeReducer(file, QStringLiteral(R"({"backend": "redis", "category": "order", "endpoint": "cache",
            "key": "order-summary:{id}", "fields": {"state.currency": {"column": "currency", "null": "missing"}}})"),
                     QStringLiteral("summary"));
        CliRunner cli;
        cli.setEnv(QStringLiteral("CHRONOSCOPE_READMODEL_PASSWORD"), redis.password());
        const QStringList arguments{QStringLiteral("drift"),
                                    QStringLiteral("--connect"),
                                    m_sandbox.connectionString(),
                                    QStringLiteral("--reducer"),
                                    file,
                                    QStringLiteral("--category"),
                                    QStringLiteral("order"),
                                    QStringLiteral("--redis"),
                                    QStringLiteral("%1:%2").arg(redis.host()).arg(redis.port()),
                                    QStringLiteral("--json")};
        const CliRunner::Run r = cli.run(arguments);
        QVERIFY2(r.exitCode == 2, r.describe().constData());
        const QList<QJsonObject> lines = r.jsonLines();
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(0).value(QStringLiteral("aggregateId")).toString(), drifted);
        QCOMPARE(lines.at(1).value(QStringLiteral("equal")).toInteger(), m_orders.size() - 1);
    }

private:
    /// A merge reducer file with one read-model mapping.
    void writeReducer(const QString &path, const QString &mapping, const QString &name = QStringLiteral("orders"))
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral(R"({"name": "drift test", "kind": "merge", "appliesTo": "order-*",
            "readModels": {"%1": %2}})")
                    .arg(name, mapping)
                    .toUtf8());
    }

    QStringList args(const QStringList &extra, const QString &postgres = {}) const
    {
        return QStringList{QStringLiteral("drift"),
                           QStringLiteral("--connect"),
                           m_sandbox.connectionString(),
                           QStringLiteral("--reducer"),
                           m_reducer,
                           QStringLiteral("--read-model"),
                           QStringLiteral("orders"),
                           QStringLiteral("--postgres"),
                           postgres.isEmpty() ? QStringLiteral("postgresql://%1@%2:%3/%4?sslmode=disable")
                                                    .arg(m_pg.user(), m_pg.host())
                                                    .arg(m_pg.port())
                                                    .arg(m_pg.database())
                                              : postgres}
        + extra;
    }

    DemoSandbox m_sandbox;
    PostgresServer m_pg;
    CliRunner m_cli;
    QTemporaryDir m_dir;
    QString m_reducer;
    QStringList m_orders;
    QHash<QString, QJsonObject> m_states;
};

QTEST_GUILESS_MAIN(TestCliDrift)
#include "tst_clidrift.moc"
