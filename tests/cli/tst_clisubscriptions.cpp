// chronoscope-cli subscriptions list | info | parked | replay (issue 18 item 5), as a script runs it, against a
// sandbox with the demo's "order-emails" group and its parked messages; replay through the write guard and the
// audit log as append is.
#include "CliRunner.h"
#include "SandboxServer.h"
#include "client/PersistentSubscriptionsClient.h"
#include "connection/ConnectionProfiles.h"
#include "correct/AuditLog.h"
#include "correct/AuditReader.h"
#include "demo/DemoOrderEmails.h"
#include "demo/DemoSeeder.h"

#include <QFile>
#include <QJsonArray>
#include <QSettings>
#include <QTest>

using namespace chronoscope;

class TestCliSubscriptions : public QObject
{
    Q_OBJECT

    sandbox::SandboxServer m_server;
    CliRunner m_cli;
    QString m_connection;
    QString m_auditLog;
    const PersistentGroup m_group = PersistentGroup::onStream("$ce-order", QStringLiteral("order-emails"));

    CliRunner::Run cli(QStringList arguments) const
    {
        arguments << QStringLiteral("--connect") << m_connection;
        return m_cli.run(arguments);
    }
    qint64 parkedCount() const
    {
        const PersistentSubscriptionsClient client(ConnectionString::parse(m_connection).settings);
        return client.getInfo(m_group).info.parkedMessageCount;
    }
    static QStringList words(const char *verb)
    {
        return {QStringLiteral("subscriptions"), QLatin1String(verb), QStringLiteral("$ce-order"),
                QStringLiteral("order-emails")};
    }

private Q_SLOTS:
    void initTestCase()
    {
        DemoHistory::Options options;
        options.eventCount = 20000;
        sandbox::seedDemoHistory(m_server.store(), options, true);
        m_server.store().configureProjections(true, true);
        QString why;
        const int port = m_server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        m_connection = QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port);
        m_auditLog = m_cli.home() + QStringLiteral("/audit.jsonl");
    }

    void listAndInfo()
    {
        const CliRunner::Run r = cli(
            {QStringLiteral("subscriptions"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const QJsonArray all = r.json().value(QLatin1String("subscriptions")).toArray();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first()[QLatin1String("group")].toString(), QStringLiteral("order-emails"));
        QCOMPARE(all.first()[QLatin1String("parkedMessageCount")].toInt(), sandbox::DemoOrderEmails::kParkedCount);

        const CliRunner::Run text = cli({QStringLiteral("subscriptions"), QStringLiteral("list")});
        QVERIFY2(text.exitCode == 0 && text.out.contains(QLatin1String("$ce-order  order-emails  ")),
                 text.describe().constData());
        // A stream without groups is an empty list, not an error.
        const CliRunner::Run none = cli({QStringLiteral("subscriptions"), QStringLiteral("list"),
                                         QStringLiteral("--stream"), QStringLiteral("payment-1"),
                                         QStringLiteral("--json")});
        QVERIFY2(none.exitCode == 0 && none.json()[QLatin1String("subscriptions")].toArray().isEmpty(),
                 none.describe().constData());

        const CliRunner::Run info = cli(words("info") << QStringLiteral("--json"));
        QVERIFY2(info.exitCode == 0, info.describe().constData());
        QCOMPARE(info.json()[QLatin1String("settings")][QLatin1String("resolveLinks")].toBool(), true);
        QVERIFY(!info.json()[QLatin1String("lastCheckpointedPosition")].toString().isEmpty());

        const CliRunner::Run missing = cli({QStringLiteral("subscriptions"), QStringLiteral("info"),
                                            QStringLiteral("$ce-order"), QStringLiteral("no-such-group"),
                                            QStringLiteral("--json")});
        QVERIFY2(missing.exitCode == 1
                     && missing.json()[QLatin1String("message")].toString().contains(
                         QLatin1String("no subscription group 'no-such-group' on $ce-order")),
                 missing.describe().constData());
        const CliRunner::Run bad = cli(
            {QStringLiteral("subscriptions"), QStringLiteral("parked"), QStringLiteral("$ce-order")});
        QVERIFY2(bad.exitCode == 1 && bad.err.contains(QLatin1String("needs the stream and the group")),
                 bad.describe().constData());
    }

    void parkedWithTheirEvents()
    {
        const CliRunner::Run r = cli(words("parked") << QStringLiteral("--json"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.json()[QLatin1String("parkedStream")].toString(),
                 QStringLiteral("$persistentsubscription-$ce-order::order-emails-parked"));
        const QJsonArray messages = r.json()[QLatin1String("messages")].toArray();
        QCOMPARE(messages.size(), sandbox::DemoOrderEmails::kParkedCount);
        for (int i = 0; i < messages.size(); ++i) {
            const QJsonObject m = messages[i].toObject();
            QCOMPARE(m[QLatin1String("parkedNumber")].toInt(), i);
            QCOMPARE(m[QLatin1String("event")][QLatin1String("type")].toString(), QStringLiteral("OrderConfirmed"));
            QVERIFY(m[QLatin1String("event")][QLatin1String("data")][QLatin1String("orderId")].isString());
            QVERIFY(!m[QLatin1String("reason")].toString().isEmpty());
        }
        const CliRunner::Run two = cli(words("parked")
                                       << QStringLiteral("--limit") << QStringLiteral("2") << QStringLiteral("--json"));
        QCOMPARE(two.json()[QLatin1String("messages")].toArray().size(), 2);
        QCOMPARE(two.json()[QLatin1String("more")].toBool(), true);
        const CliRunner::Run text = cli(words("parked"));
        QVERIFY2(text.exitCode == 0 && text.out.contains(QLatin1String("OrderConfirmed")), text.describe().constData());
    }

    /// Replay is a write: refused without a reason, by a read-only profile; logged before and after.
    void replayIsGuardedAndAudited()
    {
        const CliRunner::Run noReason = cli(words("replay") << QStringLiteral("--audit-log") << m_auditLog);
        QVERIFY2(noReason.exitCode == 1 && noReason.err.contains(QLatin1String("--reason")),
                 noReason.describe().constData());
        {
            QSettings settings(m_cli.settingsFile(), QSettings::IniFormat);
            ConnectionProfiles profiles(&settings);
            const ConnectionProfile ro{
                QStringLiteral("ro"), m_connection, {}, QStringLiteral("#3b82f6"), false, true, {}};
            QVERIFY(profiles.save(ro).isEmpty());
            settings.sync();
        }
        const CliRunner::Run readOnly = m_cli.run(
            words("replay") << QStringLiteral("--profile") << QStringLiteral("ro") << QStringLiteral("--reason")
                            << QStringLiteral("smtp fixed") << QStringLiteral("--audit-log") << m_auditLog);
        QVERIFY2(readOnly.exitCode == 1 && readOnly.err.contains(QLatin1String("read-only")),
                 readOnly.describe().constData());
        QVERIFY(!QFile::exists(m_auditLog));
        QCOMPARE(parkedCount(), qint64(sandbox::DemoOrderEmails::kParkedCount));

        // The first two (parked numbers 0 and 1), then the rest.
        const CliRunner::Run some = cli(words("replay")
                                        << QStringLiteral("--stop-at") << QStringLiteral("2")
                                        << QStringLiteral("--reason") << QStringLiteral("smtp provider fixed")
                                        << QStringLiteral("--audit-log") << m_auditLog << QStringLiteral("--json"));
        QVERIFY2(some.exitCode == 0 && some.json()[QLatin1String("outcome")].toString() == QLatin1String("done"),
                 some.describe().constData());
        QCOMPARE(some.json()[QLatin1String("parkedBefore")].toInt(), sandbox::DemoOrderEmails::kParkedCount);
        QTRY_COMPARE_WITH_TIMEOUT(parkedCount(), qint64(sandbox::DemoOrderEmails::kParkedCount - 2), 5000);
        const CliRunner::Run left = cli(words("parked") << QStringLiteral("--json"));
        QCOMPARE(left.json()[QLatin1String("messages")].toArray().first()[QLatin1String("parkedNumber")].toInt(), 2);

        // The oldest one of those left (#2), as the window's "the oldest n": $tb (2) + 1.
        const CliRunner::Run one = cli(words("replay")
                                       << QStringLiteral("--count") << QStringLiteral("1") << QStringLiteral("--reason")
                                       << QStringLiteral("smtp provider fixed") << QStringLiteral("--audit-log")
                                       << m_auditLog << QStringLiteral("--json"));
        QVERIFY2(one.exitCode == 0 && one.json()[QLatin1String("stopAt")].toInt() == 3, one.describe().constData());
        QTRY_COMPARE_WITH_TIMEOUT(parkedCount(), qint64(sandbox::DemoOrderEmails::kParkedCount - 3), 5000);
        QVERIFY(cli(words("replay") << QStringLiteral("--count") << QStringLiteral("1") << QStringLiteral("--stop-at")
                                    << QStringLiteral("4") << QStringLiteral("--reason") << QStringLiteral("x")
                                    << QStringLiteral("--audit-log") << m_auditLog)
                    .err.contains(QLatin1String("not both")));

        const CliRunner::Run rest = cli(words("replay")
                                        << QStringLiteral("--reason") << QStringLiteral("smtp provider fixed")
                                        << QStringLiteral("--audit-log") << m_auditLog);
        QVERIFY2(rest.exitCode == 0, rest.describe().constData());
        QTRY_COMPARE_WITH_TIMEOUT(parkedCount(), qint64(0), 5000);

        const AuditLog log(m_auditLog);
        QVERIFY(log.verify().ok());
        QByteArray content;
        QVERIFY(log.readContent(&content).isEmpty());
        const QList<QByteArray> lines = content.trimmed().split('\n');
        QCOMPARE(lines.size(), 6); // attempt and outcome, three times
        // The window's records (SubscriptionWriter), so the audit view pairs and shows the CLI's replays too.
        AuditReader reader(m_auditLog);
        QCOMPARE(reader.load(), QString());
        const QList<AuditRecord> &r = reader.records();
        QCOMPARE(r[0].kind, QStringLiteral("subscription-attempt"));
        QCOMPARE(r[0].text("operation"), QStringLiteral("replay-parked"));
        QCOMPARE(r[0].text("group"), QStringLiteral("order-emails"));
        QCOMPARE(r[0].text("reason"), QStringLiteral("smtp provider fixed"));
        QCOMPARE(r[0].text("tool"), QStringLiteral("chronoscope-cli"));
        QCOMPARE(r[0].fields.value(QLatin1String("stopAt")).toInteger(), 2);
        QCOMPARE(r[0].fields.value(QLatin1String("parkedBefore")).toInteger(), sandbox::DemoOrderEmails::kParkedCount);
        QCOMPARE(some.json()[QLatin1String("attemptSeq")].toInteger(), r[0].seq);
        for (const int attempt : {0, 2, 4}) {
            const AuditRecord *o = reader.outcomeOf(r[attempt]);
            QVERIFY(o && o->kind == QLatin1String("subscription-outcome"));
            QCOMPARE(o->text("result"), QStringLiteral("done"));
        }
        QCOMPARE(r[2].fields.value(QLatin1String("replayCount")).toInteger(), 1);
        QCOMPARE(r[2].fields.value(QLatin1String("stopAt")).toInteger(), 3);
        QCOMPARE(r[4].text("replayCount"), QStringLiteral("all"));
        QVERIFY(!r[4].fields.contains(QLatin1String("stopAt")));
    }
};

QTEST_GUILESS_MAIN(TestCliSubscriptions)
#include "tst_clisubscriptions.moc"
