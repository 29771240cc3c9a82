#include "AppFold.h"
#include "CliRunner.h"
#include "demo/DemoHistory.h"
#include "support/DemoSandbox.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;

/// `chronoscope-cli fold` as a process against the real sandbox: its states equal the window's own
/// fold (FoldEngine and TimelineQueries, in process) at the same revision or time, with the demo's
/// reducer file and with the merge reducer; --bisect finds the event TimelineQueries::bisect finds;
/// the --json shape; every bad argument a clear message and exit 1.
class TestCliFold : public QObject
{
    Q_OBJECT

private:
    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;
    CliRunner m_cli;
    QByteArray m_order; ///< the order of the demo's first double charge
    const QString m_reducer = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/resources/reducers/demo-orders.reducer.json");

    QStringList fold(const QByteArray &stream) const
    {
        return {QStringLiteral("fold"), QStringLiteral("--connect"), m_sandbox.connectionString(),
                QStringLiteral("--stream"), QString::fromUtf8(stream)};
    }
    static QString timeText(qint64 ticks)
    {
        return QDateTime::fromMSecsSinceEpoch(ticks / kTicksPerMillisecond, Qt::UTC).toString(Qt::ISODateWithMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        DemoHistory::Options options;
        options.eventCount = 8000;
        QVERIFY2(m_sandbox.start(options.eventCount), qPrintable(m_sandbox.error()));
        m_client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        const auto incident = DemoHistory(options).firstDoubleCharge();
        QVERIFY(incident);
        m_order = incident->orderStream;
    }

    void foldAtRevisionEqualsTheWindowsFold_data()
    {
        QTest::addColumn<bool>("withReducerFile");
        QTest::newRow("demo reducer file") << true;
        QTest::newRow("merge reducer") << false;
    }
    void foldAtRevisionEqualsTheWindowsFold()
    {
        QFETCH(bool, withReducerFile);
        AppFold app(m_client, m_order, withReducerFile ? m_reducer : QString());
        QVERIFY(app.ok());
        const quint64 last = app.index().revision(app.index().size() - 1);
        for (const quint64 revision : {quint64(0), last / 2, last}) {
            QStringList args = fold(m_order)
                << QStringLiteral("--at") << QStringLiteral("@%1").arg(revision) << QStringLiteral("--json");
            if (withReducerFile)
                args << QStringLiteral("--reducer") << m_reducer;
            const auto r = m_cli.run(args);
            QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
            const QJsonObject o = r.json();
            const auto expected = app.queries().stateAtRevision(revision);
            QVERIFY(expected.ok());
            QCOMPARE(o.value(QLatin1String("state")), expected.state);
            QCOMPARE(o.value(QLatin1String("count")).toString(), QString::number(expected.count));
            QCOMPARE(o.value(QLatin1String("outcome")).toString(), QStringLiteral("folded"));
            QCOMPARE(o.value(QLatin1String("exitCode")).toInt(), 0);
            QCOMPARE(o.value(QLatin1String("reducer")).toString(),
                     withReducerFile ? QStringLiteral("demo-orders") : QStringLiteral("merge"));
            QCOMPARE(o.value(QLatin1String("at")).toObject().value(QLatin1String("revision")).toString(),
                     QString::number(revision));
            const QJsonObject lastEvent = o.value(QLatin1String("lastEvent")).toObject();
            QCOMPARE(lastEvent.value(QLatin1String("revision")).toString(), QString::number(revision));
            QVERIFY(o.value(QLatin1String("errors")).isArray());
            QVERIFY(r.err.isEmpty() || !withReducerFile || r.err.contains(QLatin1String("fold error")));
        }
    }

    void foldOfAllAtATimeEqualsTheWindowsFold()
    {
        AppFold app(m_client, "$all", m_reducer);
        QVERIFY(app.ok());
        for (const quint64 ordinal : {quint64(10), app.index().size() / 3, app.index().size() - 1}) {
            const qint64 ticks = app.index().createdTicks(ordinal) / kTicksPerMillisecond * kTicksPerMillisecond;
            const auto r = m_cli.run(fold("$all")
                                     << QStringLiteral("--at") << timeText(ticks) << QStringLiteral("--reducer")
                                     << m_reducer << QStringLiteral("--json"));
            QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
            const auto expected = app.queries().stateAtTime(ticks);
            QVERIFY(expected.ok());
            QCOMPARE(r.json().value(QLatin1String("state")), expected.state);
            QCOMPARE(r.json().value(QLatin1String("count")).toString(), QString::number(expected.count));
            QVERIFY(r.json().value(QLatin1String("lastEvent")).toObject().contains(QLatin1String("streamId")));
        }
        // Before the first event: the initial state, nothing folded.
        const auto r = m_cli.run(fold("$all")
                                 << QStringLiteral("--at") << QStringLiteral("2001-01-01") << QStringLiteral("--json"));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.json().value(QLatin1String("count")).toString(), QStringLiteral("0"));
        QVERIFY(r.json().value(QLatin1String("lastEvent")).isNull());
    }

    void textModePrintsTheStateAlone()
    {
        AppFold app(m_client, m_order, m_reducer);
        QVERIFY(app.ok());
        const auto r = m_cli.run(fold(m_order) << QStringLiteral("--reducer") << m_reducer);
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8());
        QVERIFY2(doc.isObject(), r.describe().constData());
        QCOMPARE(QJsonValue(doc.object()), app.queries().stateAfter(app.index().size()).state);
        QVERIFY(r.out.contains(QLatin1String("\n    "))); // indented, for people
    }

    void bisectFindsWhatTheWindowFinds()
    {
        // $all (16 000 events) by binary search over the checkpoints: a linear scan takes the state of
        // every event, minutes with the JavaScript reducer, in the window as here.
        AppFold app(m_client, "$all", m_reducer);
        QVERIFY(app.ok());
        const auto expected = app.queries().bisect(
            [](const QJsonValue &s) {
                return s[QLatin1String("totals")][QLatin1String("doubleCharged")].toInteger() > 0;
            },
            true);
        QVERIFY(expected.ordinal);
        for (const QString &predicate :
             {QStringLiteral("state.totals.doubleCharged > 0"), QStringLiteral("/totals/doubleCharged > 0")}) {
            const auto r = m_cli.run(fold("$all")
                                     << QStringLiteral("--reducer") << m_reducer << QStringLiteral("--bisect")
                                     << predicate << QStringLiteral("--monotone") << QStringLiteral("--json"));
            QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
            const QJsonObject o = r.json();
            QCOMPARE(o.value(QLatin1String("outcome")).toString(), QStringLiteral("found"));
            QCOMPARE(o.value(QLatin1String("found")).toBool(), true);
            QCOMPARE(o.value(QLatin1String("ordinal")).toString(), QString::number(*expected.ordinal));
            QCOMPARE(o.value(QLatin1String("method")).toString(), QStringLiteral("binary"));
            QCOMPARE(o.value(QLatin1String("predicate")).toString(), predicate);
            const QJsonObject event = o.value(QLatin1String("event")).toObject();
            QCOMPARE(event.value(QLatin1String("streamId")).toString(),
                     QString::fromUtf8(app.index().streamName(*expected.ordinal)));
            QCOMPARE(event.value(QLatin1String("eventType")).toString(), QStringLiteral("PaymentProcessed"));
            QCOMPARE(o.value(QLatin1String("state")), app.queries().stateAfter(*expected.ordinal + 1).state);
        }
        // Text: one line naming the event.
        const auto text = m_cli.run(fold("$all")
                                    << QStringLiteral("--reducer") << m_reducer << QStringLiteral("--bisect")
                                    << QStringLiteral("/totals/doubleCharged > 0") << QStringLiteral("--monotone"));
        QVERIFY2(text.exitCode == 0, text.describe().constData());
        QVERIFY2(text.out.startsWith(QStringLiteral("first event after which /totals/doubleCharged > 0 holds: #%1 %2@")
                                         .arg(*expected.ordinal)
                                         .arg(QString::fromUtf8(app.index().streamName(*expected.ordinal)))),
                 text.describe().constData());
        // Up to a point before it: never.
        const qint64 before = app.index().createdTicks(*expected.ordinal - 1) / kTicksPerMillisecond
            * kTicksPerMillisecond;
        const auto never = m_cli.run(fold("$all")
                                     << QStringLiteral("--reducer") << m_reducer << QStringLiteral("--at")
                                     << timeText(before - kTicksPerMillisecond) << QStringLiteral("--bisect")
                                     << QStringLiteral("/totals/doubleCharged > 0") << QStringLiteral("--monotone")
                                     << QStringLiteral("--json"));
        QVERIFY2(never.exitCode == 0, never.describe().constData());
        QCOMPARE(never.json().value(QLatin1String("outcome")).toString(), QStringLiteral("never"));
        QCOMPARE(never.json().value(QLatin1String("found")).toBool(), false);
    }

    void linearBisectOfAStream()
    {
        AppFold app(m_client, m_order, m_reducer);
        QVERIFY(app.ok());
        const QString order = QString::fromUtf8(m_order);
        const auto expected = app.queries().bisect(
            [&order](const QJsonValue &s) {
                return s[QLatin1String("orders")][order][QLatin1String("lines")].toInteger() >= 2;
            },
            false);
        QVERIFY(expected.ordinal);
        const auto r = m_cli.run(fold(m_order) << QStringLiteral("--reducer") << m_reducer << QStringLiteral("--bisect")
                                               << QStringLiteral("state.orders['%1'].lines >= 2").arg(order)
                                               << QStringLiteral("--json"));
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        QCOMPARE(r.json().value(QLatin1String("method")).toString(), QStringLiteral("linear"));
        QCOMPARE(r.json().value(QLatin1String("ordinal")).toString(), QString::number(*expected.ordinal));
        QCOMPARE(r.json().value(QLatin1String("event")).toObject().value(QLatin1String("revision")).toString(),
                 QString::number(app.index().revision(*expected.ordinal)));
        // A predicate true before the first event: holds-initially.
        const auto initially = m_cli.run(fold(m_order)
                                         << QStringLiteral("--reducer") << m_reducer << QStringLiteral("--bisect")
                                         << QStringLiteral("/totals/placed == 0") << QStringLiteral("--json"));
        QVERIFY2(initially.exitCode == 0, initially.describe().constData());
        QCOMPARE(initially.json().value(QLatin1String("outcome")).toString(), QStringLiteral("holds-initially"));
        // And one never true.
        const auto never = m_cli.run(fold(m_order) << QStringLiteral("--bisect") << QStringLiteral("/events < 0"));
        QVERIFY2(never.exitCode == 0 && never.out.contains(QLatin1String("never holds")), never.describe().constData());
    }

    void badArgumentsAreClearErrors_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad point") << QStringList{QStringLiteral("--at"), QStringLiteral("yesterday")}
                                   << QStringLiteral("--at \"yesterday\" is neither");
        QTest::newRow("bad revision") << QStringList{QStringLiteral("--at"), QStringLiteral("@x")}
                                      << QStringLiteral("a revision is @N");
        QTest::newRow("monotone alone") << QStringList{QStringLiteral("--monotone")}
                                        << QStringLiteral("--monotone goes with --bisect");
        QTest::newRow("bad pointer predicate") << QStringList{QStringLiteral("--bisect"), QStringLiteral("/a ~ 1")}
                                               << QStringLiteral("a pointer predicate is");
        QTest::newRow("bad script predicate")
            << QStringList{QStringLiteral("--bisect"), QStringLiteral("state.(")} << QStringLiteral("--bisect:");
        QTest::newRow("missing reducer file")
            << QStringList{QStringLiteral("--reducer"), QStringLiteral("/nonexistent.reducer.json")}
            << QStringLiteral("--reducer:");
        QTest::newRow("no such revision") << QStringList{QStringLiteral("--at"), QStringLiteral("@999999")}
                                          << QStringLiteral("no event at revision 999999");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
        QTest::newRow("stray argument") << QStringList{QStringLiteral("extra")}
                                        << QStringLiteral("unexpected argument \"extra\"");
    }
    void badArgumentsAreClearErrors()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, message);
        const auto r = m_cli.run(fold(m_order) << extra);
        QVERIFY2(r.finished && r.exitCode == 1, r.describe().constData());
        QVERIFY2(r.err.contains(message), r.describe().constData());
        QVERIFY2(r.out.isEmpty(), r.describe().constData());
        // With --json the same error, as one object on stdout.
        const auto j = m_cli.run(fold(m_order) << extra << QStringLiteral("--json"));
        QCOMPARE(j.exitCode, 1);
        QCOMPARE(j.json().value(QLatin1String("outcome")).toString(), QStringLiteral("error"));
        QCOMPARE(j.json().value(QLatin1String("exitCode")).toInt(), 1);
        QVERIFY2(j.json().value(QLatin1String("message")).toString().contains(message), j.describe().constData());
    }

    void streamsAndServersThatAreNotThere()
    {
        const auto missing = m_cli.run(fold("no-such-stream-here"));
        QVERIFY2(missing.exitCode == 1 && missing.err.contains(QLatin1String("does not exist")),
                 missing.describe().constData());
        const auto all = m_cli.run(fold("$all") << QStringLiteral("--at") << QStringLiteral("@3"));
        QVERIFY2(all.exitCode == 1 && all.err.contains(QLatin1String("'$all' has no revisions")),
                 all.describe().constData());
        const auto noStream = m_cli.run(
            {QStringLiteral("fold"), QStringLiteral("--connect"), m_sandbox.connectionString()});
        QVERIFY2(noStream.exitCode == 1 && noStream.err.contains(QLatin1String("--stream")),
                 noStream.describe().constData());
        const auto noConnection = m_cli.run({QStringLiteral("fold"), QStringLiteral("--stream"), QStringLiteral("x")});
        QVERIFY2(noConnection.exitCode == 1 && noConnection.err.contains(QLatin1String("no connection")),
                 noConnection.describe().constData());
        // Nothing listens on port 1: unreachable, a clear message, soon.
        QElapsedTimer t;
        t.start();
        const auto unreachable = m_cli.run({QStringLiteral("fold"), QStringLiteral("--connect"),
                                            QStringLiteral("esdb://127.0.0.1:1?tls=false"), QStringLiteral("--stream"),
                                            QStringLiteral("order-1"), QStringLiteral("--json")},
                                           {}, 60000);
        QVERIFY2(unreachable.finished && unreachable.exitCode == 1, unreachable.describe().constData());
        QCOMPARE(unreachable.json().value(QLatin1String("outcome")).toString(), QStringLiteral("error"));
        QVERIFY2(unreachable.err.contains(QLatin1String("cannot fold order-1 on esdb://127.0.0.1:1")),
                 unreachable.describe().constData());
        qInfo("unreachable server answered in %lld ms", t.elapsed());
    }

    // An untrusted reducer file (issue 17): a handler that never returns stops the fold at its time
    // limit with the event named, exit 1; one that reaches for files is refused at load, exit 1.
    void untrustedReducersEndWithAnAttributedError()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto write = [&](const QString &name, const QString &projection) {
            QJsonObject o{{QStringLiteral("format"), QStringLiteral("chronoscope-reducer/1")},
                          {QStringLiteral("name"), name},
                          {QStringLiteral("kind"), QStringLiteral("javascript")},
                          {QStringLiteral("projection"), projection},
                          {QStringLiteral("limits"), QJsonObject{{QStringLiteral("timeLimitMs"), 300}}}};
            const QString path = dir.filePath(name + QStringLiteral(".reducer.json"));
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(o).toJson()) < 0)
                return QString();
            return path;
        };
        const QString spin = write(QStringLiteral("spin"),
                                   QStringLiteral(
                                       "fromAll().when({$init: () => ({}), OrderPlaced: s => { for (;;) {} }})"));
        QElapsedTimer t;
        t.start();
        const auto spun = m_cli.run(fold(m_order) << QStringLiteral("--reducer") << spin << QStringLiteral("--json"));
        QVERIFY2(spun.finished && spun.exitCode == 1, spun.describe().constData());
        QVERIFY2(spun.err.contains(QLatin1String("time limit of 300 ms"))
                     && spun.err.contains(QLatin1String("(OrderPlaced in ") + QString::fromUtf8(m_order)),
                 spun.describe().constData());
        QCOMPARE(spun.json().value(QLatin1String("outcome")).toString(), QStringLiteral("error"));
        QVERIFY2(t.elapsed() < 20000, qPrintable(QString::number(t.elapsed())));

        const QString reach = write(QStringLiteral("reach"),
                                    QStringLiteral("import x from '/etc/passwd';\nfromAll().when({})"));
        const auto refused = m_cli.run(fold(m_order) << QStringLiteral("--reducer") << reach);
        QVERIFY2(refused.finished && refused.exitCode == 1 && refused.err.contains(QLatin1String("--reducer")),
                 refused.describe().constData());
        QVERIFY2(!refused.out.contains(QLatin1String("root:")), refused.describe().constData());
    }

    void helpNamesTheExitCodes()
    {
        const auto r = m_cli.run({QStringLiteral("fold"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QLatin1String("Exit codes:")));
        QVERIFY(r.out.contains(QLatin1String("--bisect")));
        QCOMPARE(m_cli.run({QStringLiteral("help"), QStringLiteral("fold")}).out, r.out);
    }
};

QTEST_GUILESS_MAIN(TestCliFold)
#include "tst_clifold.moc"
