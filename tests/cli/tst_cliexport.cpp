#include "CliRunner.h"
#include "archive/EventExport.h"
#include "client/StreamsClient.h"
#include "session/TimelineSession.h"
#include "support/DemoSandbox.h"

#include <QDateTime>
#include <QFile>
#include <QTest>

using namespace chronoscope;

/// `chronoscope-cli export` as a process against the real sandbox: its JSON Lines and CSV are byte for byte
/// EventExport's (what the window writes) for the events read in process; ranges, type filters, --output
/// (whole or not at all) and its --json summary; bad arguments.
class TestCliExport : public QObject
{
    Q_OBJECT

private:
    DemoSandbox m_sandbox;
    std::unique_ptr<StreamsClient> m_client;
    CliRunner m_cli;
    QByteArray m_stream; ///< an order stream with several events

    QStringList exportOf(const QByteArray &stream) const
    {
        return {QStringLiteral("export"), QStringLiteral("--connect"), m_sandbox.connectionString(),
                QStringLiteral("--stream"), QString::fromUtf8(stream)};
    }
    /// The events as the window's timeline reads them.
    QList<RecordedEvent> events(const QByteArray &stream) const
    {
        QList<RecordedEvent> out;
        for (const ResolvedEvent &e : m_client->readAll(TimelineSession::requestFor(stream)).events)
            out.append(e.originalEvent());
        return out;
    }
    static QByteArray jsonLines(const QList<RecordedEvent> &events)
    {
        QByteArray out;
        for (const RecordedEvent &e : events)
            out += EventExport::jsonLine(e) + '\n';
        return out;
    }
    static QString timeText(qint64 ticks)
    {
        return QDateTime::fromMSecsSinceEpoch(ticks / kTicksPerMillisecond, Qt::UTC).toString(Qt::ISODateWithMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(3000), qPrintable(m_sandbox.error()));
        m_client = std::make_unique<StreamsClient>(m_sandbox.settings());
        for (int i = 1; i < 50 && m_stream.isEmpty(); ++i) {
            const QByteArray s = "order-" + QByteArray::number(i);
            if (events(s).size() >= 5)
                m_stream = s;
        }
        QVERIFY(!m_stream.isEmpty());
    }

    void jsonLinesAreTheWindows()
    {
        const auto r = m_cli.run(exportOf(m_stream));
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.out.toUtf8(), jsonLines(events(m_stream)));
        QVERIFY(r.err.isEmpty()); // no progress off a terminal
        // $all: every event the window's $all shows (no system events), in order.
        const auto all = m_cli.run(exportOf("$all") << QStringLiteral("--json"));
        QVERIFY2(all.exitCode == 0, all.describe().constData());
        QCOMPARE(all.out.toUtf8(), jsonLines(events("$all")));
        QCOMPARE(all.out.count(QLatin1Char('\n')), 3000);
    }

    void csvIsTheWindows()
    {
        const QList<RecordedEvent> expected = events(m_stream);
        QByteArray csv = EventExport::csvHeader();
        for (const RecordedEvent &e : expected)
            csv += EventExport::csvRow(e);
        const auto r = m_cli.run(exportOf(m_stream) << QStringLiteral("--format") << QStringLiteral("csv"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.out.toUtf8(), csv);
        // To a file: the format from its name, a summary on stdout.
        const QString path = m_cli.home() + QStringLiteral("/events.csv");
        const auto f = m_cli.run(exportOf(m_stream) << QStringLiteral("--output") << path << QStringLiteral("--json"));
        QVERIFY2(f.exitCode == 0, f.describe().constData());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), csv);
        const QJsonObject o = f.json();
        QCOMPARE(o.value(QLatin1String("outcome")).toString(), QStringLiteral("exported"));
        QCOMPARE(o.value(QLatin1String("events")).toString(), QString::number(expected.size()));
        QCOMPARE(o.value(QLatin1String("format")).toString(), QStringLiteral("csv"));
        QCOMPARE(o.value(QLatin1String("path")).toString(), path);
        QCOMPARE(o.value(QLatin1String("exitCode")).toInt(), 0);
    }

    void rangesAndTypes()
    {
        const QList<RecordedEvent> all = events(m_stream);
        const auto revisions = m_cli.run(exportOf(m_stream) << QStringLiteral("--from") << QStringLiteral("@1")
                                                            << QStringLiteral("--to") << QStringLiteral("@3"));
        QVERIFY2(revisions.exitCode == 0, revisions.describe().constData());
        QCOMPARE(revisions.out.toUtf8(), jsonLines(all.mid(1, 3)));
        const QByteArray type = all.at(1).type;
        QList<RecordedEvent> ofType;
        for (const RecordedEvent &e : all)
            if (e.type == type)
                ofType.append(e);
        const auto types = m_cli.run(exportOf(m_stream) << QStringLiteral("--type")
                                                        << QString::fromUtf8(type) + QStringLiteral(",NoSuchType"));
        QVERIFY2(types.exitCode == 0, types.describe().constData());
        QCOMPARE(types.out.toUtf8(), jsonLines(ofType));
        // Times on $all: both ends included (events created at or after --from, at or before --to).
        const QList<RecordedEvent> everything = events("$all");
        const qint64 from = everything.at(100).createdTicks, to = everything.at(200).createdTicks;
        QList<RecordedEvent> between;
        for (const RecordedEvent &e : everything)
            if (e.createdTicks >= from / kTicksPerMillisecond * kTicksPerMillisecond && e.createdTicks <= to)
                between.append(e);
        const auto times = m_cli.run(exportOf("$all") << QStringLiteral("--from") << timeText(from)
                                                      << QStringLiteral("--to") << timeText(to));
        QVERIFY2(times.exitCode == 0, times.describe().constData());
        QCOMPARE(times.out.count(QLatin1Char('\n')), between.size());
        QCOMPARE(times.out.toUtf8(), jsonLines(between));
        // Nothing matched: still done.
        const auto none = m_cli.run(exportOf(m_stream) << QStringLiteral("--type") << QStringLiteral("NoSuchType"));
        QVERIFY2(none.exitCode == 0 && none.out.isEmpty(), none.describe().constData());
    }

    void badArgumentsAreClearErrors_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad point") << QStringList{QStringLiteral("--from"), QStringLiteral("soon")}
                                   << QStringLiteral("--from \"soon\" is neither");
        QTest::newRow("from after to") << QStringList{QStringLiteral("--from"), QStringLiteral("@5"),
                                                      QStringLiteral("--to"), QStringLiteral("@2")}
                                       << QStringLiteral("is after --to");
        QTest::newRow("bad format") << QStringList{QStringLiteral("--format"), QStringLiteral("xml")}
                                    << QStringLiteral("--format \"xml\"");
        QTest::newRow("csv as json") << QStringList{QStringLiteral("--format"), QStringLiteral("csv"),
                                                    QStringLiteral("--json")}
                                     << QStringLiteral("CSV needs --output");
        QTest::newRow("empty type") << QStringList{QStringLiteral("--type"), QStringLiteral(",")}
                                    << QStringLiteral("--type: no type");
        QTest::newRow("unwritable output")
            << QStringList{QStringLiteral("--output"), QStringLiteral("/nonexistent-dir/x.jsonl")}
            << QStringLiteral("cannot write /nonexistent-dir/x.jsonl");
        QTest::newRow("option twice") << QStringList{QStringLiteral("--from"), QStringLiteral("@1"),
                                                     QStringLiteral("--from"), QStringLiteral("@2")}
                                      << QStringLiteral("--from is given more than once");
    }
    void badArgumentsAreClearErrors()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, message);
        const auto r = m_cli.run(exportOf(m_stream) << extra);
        QVERIFY2(r.finished && r.exitCode == 1, r.describe().constData());
        QVERIFY2(r.err.contains(message), r.describe().constData());
    }

    void streamsAndServersThatAreNotThere()
    {
        const auto missing = m_cli.run(exportOf("no-such-stream") << QStringLiteral("--json"));
        QVERIFY2(missing.exitCode == 1 && missing.err.contains(QLatin1String("the stream does not exist")),
                 missing.describe().constData());
        QCOMPARE(missing.json().value(QLatin1String("outcome")).toString(), QStringLiteral("error"));
        const auto all = m_cli.run(exportOf("$all") << QStringLiteral("--from") << QStringLiteral("@3"));
        QVERIFY2(all.exitCode == 1 && all.err.contains(QLatin1String("'$all' has no revisions")),
                 all.describe().constData());
        // Unreachable: nothing written, not even an --output file.
        const QString path = m_cli.home() + QStringLiteral("/never.jsonl");
        const auto unreachable = m_cli.run({QStringLiteral("export"), QStringLiteral("--connect"),
                                            QStringLiteral("esdb://127.0.0.1:1?tls=false"), QStringLiteral("--stream"),
                                            QStringLiteral("order-1"), QStringLiteral("--output"), path},
                                           {}, 60000);
        QVERIFY2(unreachable.finished && unreachable.exitCode == 1, unreachable.describe().constData());
        QVERIFY2(unreachable.err.contains(QLatin1String("cannot read order-1 on esdb://127.0.0.1:1")),
                 unreachable.describe().constData());
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestCliExport)
#include "tst_cliexport.moc"
