#include "CliRunner.h"

#include <QTest>

/// chronoscope-cli without a server: help, version, and every bad argument answered with exit 1 and
/// a message that says what is wrong (and, with --json, one JSON object on stdout).
class TestCliBasics : public QObject
{
    Q_OBJECT

private:
    CliRunner m_cli;
    const QStringList m_append{
        QStringLiteral("append"),   QStringLiteral("--connection"), QStringLiteral("esdb://127.0.0.1:1?tls=false"),
        QStringLiteral("--stream"), QStringLiteral("s-1"),          QStringLiteral("--type"),
        QStringLiteral("T"),        QStringLiteral("--data"),       QStringLiteral("{}")};

private Q_SLOTS:
    void helpListsTheCommands()
    {
        for (const QString &flag : {QStringLiteral("--help"), QStringLiteral("help")}) {
            const auto r = m_cli.run({flag});
            QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
            QVERIFY2(r.out.contains(QStringLiteral("Usage: chronoscope-cli <command>")), r.describe().constData());
            QVERIFY2(r.out.contains(QStringLiteral("  append ")), r.describe().constData());
            QVERIFY2(r.out.contains(QStringLiteral("Exit codes: 0")), r.describe().constData());
        }
        // Without arguments: the usage, on stderr, and an error.
        const auto bare = m_cli.run({});
        QCOMPARE(bare.exitCode, 1);
        QVERIFY(bare.out.isEmpty() && bare.err.contains(QStringLiteral("Usage:")));
    }

    void helpPerCommand()
    {
        for (const QStringList &args : {QStringList{QStringLiteral("append"), QStringLiteral("--help")},
                                        QStringList{QStringLiteral("help"), QStringLiteral("append")},
                                        QStringList(m_append) << QStringLiteral("-h")}) {
            const auto r = m_cli.run(args);
            QVERIFY2(r.exitCode == 0, r.describe().constData());
            QVERIFY2(r.out.startsWith(QStringLiteral("Usage: chronoscope-cli append")), r.describe().constData());
            for (const char *option : {"--expected-revision", "--event-id", "--dry-run", "--reason", "--corrects",
                                       "--confirm-profile", "--audit-log", "CHRONOSCOPE_PASSWORD"})
                QVERIFY2(r.out.contains(QLatin1String(option)), option);
        }
        const auto unknown = m_cli.run({QStringLiteral("help"), QStringLiteral("fold2")});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains(QStringLiteral("no command \"fold2\"")), unknown.describe().constData());
    }

    void version()
    {
        const auto r = m_cli.run({QStringLiteral("--version")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.out.trimmed(), QStringLiteral("chronoscope-cli " CHRONOSCOPE_VERSION));
    }

    void unknownCommand()
    {
        const auto r = m_cli.run({QStringLiteral("apend")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("no command \"apend\"")), r.describe().constData());
        QVERIFY(r.out.isEmpty());
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QStringList a = m_append;
        auto with = [&a](std::initializer_list<const char *> more) {
            QStringList out = a;
            for (const char *m : more)
                out.append(QLatin1String(m));
            return out;
        };
        auto without = [&a](const char *option) {
            QStringList out = a;
            const int at = int(out.indexOf(QLatin1String(option)));
            out.remove(at, 2);
            return out;
        };
        QTest::newRow("no reason") << with({"--expected-revision", "3"}) << QStringLiteral("--reason is required");
        QTest::newRow("blank reason") << with({"--expected-revision", "3", "--reason", "  "})
                                      << QStringLiteral("--reason is required");
        QTest::newRow("no expected revision")
            << with({"--reason", "fix it"}) << QStringLiteral("--expected-revision is required");
        QTest::newRow("any") << with({"--reason", "fix it", "--expected-revision", "any"})
                             << QStringLiteral("could land twice");
        QTest::newRow("stream_exists") << with({"--reason", "fix it", "--expected-revision", "stream_exists"})
                                       << QStringLiteral("pinned to the revision you inspected");
        QTest::newRow("bad revision") << with({"--reason", "fix it", "--expected-revision", "-1"})
                                      << QStringLiteral("neither a revision number nor no_stream");
        QTest::newRow("bad event id") << with({"--reason", "fix it", "--expected-revision", "1", "--event-id", "abc"})
                                      << QStringLiteral("--event-id: \"abc\" is not a UUID");
        QTest::newRow("bad corrects") << with({"--reason", "fix it", "--expected-revision", "1", "--corrects", "x"})
                                      << QStringLiteral("--corrects: \"x\" is not a UUID");
        QTest::newRow("bad corrects revision")
            << with({"--reason", "fix it", "--expected-revision", "1", "--corrects", "@x"})
            << QStringLiteral("--corrects: \"@x\" is neither an event id nor @<revision>");
        QTest::newRow("no stream") << (without("--stream") << QStringLiteral("--dry-run"))
                                   << QStringLiteral("--stream is required");
        QTest::newRow("no type") << (without("--type") << QStringLiteral("--dry-run"))
                                 << QStringLiteral("--type is required");
        QTest::newRow("no data") << (without("--data") << QStringLiteral("--dry-run"))
                                 << QStringLiteral("--data is required");
        QTest::newRow("data file missing")
            << (without("--data") << QStringLiteral("--dry-run") << QStringLiteral("--data")
                                  << QStringLiteral("/nonexistent/x.json"))
            << QStringLiteral("--data: cannot read the file \"/nonexistent/x.json\"");
        QTest::newRow("unknown option") << with({"--dry-run", "--expected", "3"})
                                        << QStringLiteral("Unknown option 'expected'");
        QTest::newRow("value missing") << with({"--dry-run", "--reason"})
                                       << QStringLiteral("Missing value after '--reason'");
        QTest::newRow("positional") << with({"--dry-run", "extra"}) << QStringLiteral("unexpected argument \"extra\"");
        QTest::newRow("twice") << with({"--dry-run", "--stream", "s-2"})
                               << QStringLiteral("--stream is given more than once");
        QStringList noConnection = a;
        noConnection.remove(1, 2);
        QTest::newRow("no connection") << (noConnection << QStringLiteral("--dry-run"))
                                       << QStringLiteral("no connection");
        QTest::newRow("both connections") << with({"--dry-run", "--profile", "p"}) << QStringLiteral("not several");
        QTest::newRow("connect, a profile")
            << (QStringList(noConnection)
                << QStringLiteral("--dry-run") << QStringLiteral("--connect") << QStringLiteral("nope"))
            << QStringLiteral("there is no saved profile named \"nope\"");
        QTest::newRow("no such profile") << (QStringList(noConnection)
                                             << QStringLiteral("--dry-run") << QStringLiteral("--profile")
                                             << QStringLiteral("nope"))
                                         << QStringLiteral("there is no saved profile named \"nope\"");
        QTest::newRow("user without password")
            << (QStringList(noConnection) << QStringLiteral("--dry-run") << QStringLiteral("--connection")
                                          << QStringLiteral("esdb://127.0.0.1:1?tls=false")
                                          << QStringLiteral("--username") << QStringLiteral("ops"))
            << QStringLiteral("the connection's user \"ops\" needs a password: set CHRONOSCOPE_PASSWORD");
        QTest::newRow("username with a profile")
            << (QStringList(noConnection)
                << QStringLiteral("--dry-run") << QStringLiteral("--profile") << QStringLiteral("p")
                << QStringLiteral("--username") << QStringLiteral("ops"))
            << QStringLiteral("--username goes with --connection");
        QTest::newRow("template without reducer")
            << with({"--dry-run", "--template", "Refund this payment"}) << QStringLiteral("--template needs --reducer");
        QTest::newRow("template, no stream")
            << (without("--stream") << QStringLiteral("--dry-run") << QStringLiteral("--template")
                                    << QStringLiteral("t"))
            << QStringLiteral("--stream is required");
        QTest::newRow("bad reducer") << with({"--dry-run", "--reducer", "/nonexistent/r.reducer.json"})
                                     << QStringLiteral("--reducer: /nonexistent/r.reducer.json: cannot read");
    }
    void badArguments()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = m_cli.run(args);
        QVERIFY2(r.finished, r.describe().constData());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(message), r.describe().constData());
        QVERIFY2(r.out.isEmpty(), r.describe().constData());
        // With --json: the same, and one JSON object on stdout.
        QStringList jsonArgs = args;
        jsonArgs.insert(1, QStringLiteral("--json")); // before the others: never taken as an option's value
        const auto j = m_cli.run(jsonArgs);
        QCOMPARE(j.exitCode, 1);
        const QJsonObject o = j.json();
        QVERIFY2(o.value(QLatin1String("outcome")).toString() == QLatin1String("error"), j.describe().constData());
        QVERIFY2(o.value(QLatin1String("message")).toString().contains(message), j.describe().constData());
        QCOMPARE(o.value(QLatin1String("exitCode")).toInt(), 1);
    }

    /// A password on the command line is refused, and never repeated in what the CLI prints.
    void passwordInTheConnectionStringIsRefused()
    {
        QStringList args = m_append;
        args[2] = QStringLiteral("esdb://ops:s3cr3t-pw@127.0.0.1:1?tls=false");
        args << QStringLiteral("--dry-run") << QStringLiteral("--json");
        const auto r = m_cli.run(args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("the connection string holds a password")), r.describe().constData());
        QVERIFY2(r.err.contains(QStringLiteral("CHRONOSCOPE_PASSWORD")), r.describe().constData());
        QVERIFY(!r.err.contains(QStringLiteral("s3cr3t")) && !r.out.contains(QStringLiteral("s3cr3t")));
    }

    /// A server that does not answer: a clear error and exit 1, in bounded time.
    void unreachableServer()
    {
        QStringList args = m_append;
        args << QStringLiteral("--dry-run");
        const auto r = m_cli.run(args, {}, 60000);
        QVERIFY2(r.finished, r.describe().constData());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("cannot read s-1")), r.describe().constData());
    }
};

QTEST_GUILESS_MAIN(TestCliBasics)
#include "tst_clibasics.moc"
