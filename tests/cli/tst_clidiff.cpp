#include "AppFold.h"
#include "CliRunner.h"
#include "json/DiffText.h"
#include "json/JsonDiff.h"
#include "support/DemoSandbox.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace chronoscope;

/// `chronoscope-cli diff` as a process: two JSON files, or a stream's states at two points against the
/// real sandbox (equal to JsonDiff of the window's own fold there); text, unified, JSON; exit 0 when
/// the same, 2 when different, 1 on bad input.
class TestCliDiff : public QObject
{
    Q_OBJECT

private:
    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;
    CliRunner m_cli;
    const QString m_reducer = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/resources/reducers/demo-orders.reducer.json");

    QString file(const QString &name, const QByteArray &content) const
    {
        const QString path = m_cli.home() + QLatin1Char('/') + name;
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(content);
        return path;
    }
    static QJsonValue parse(const QByteArray &json)
    {
        return QJsonDocument::fromJson("[" + json + "]").array().first();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(2000), qPrintable(m_sandbox.error()));
        m_client = std::make_shared<const StreamsClient>(m_sandbox.settings());
    }

    void sameFilesExitZero()
    {
        const QString a = file(QStringLiteral("a.json"), R"({"x":1,"y":[1,2],"z":{"k":"v"}})");
        const QString b = file(QStringLiteral("b.json"),
                               "{\n  \"z\": {\"k\": \"v\"},\n  \"y\": [1, 2],\n  \"x\": 1.0\n}\n");
        const auto r = m_cli.run({QStringLiteral("diff"), a, b});
        QVERIFY2(r.finished && r.exitCode == 0 && r.out.isEmpty(), r.describe().constData());
        const auto j = m_cli.run({QStringLiteral("diff"), a, b, QStringLiteral("--json")});
        QCOMPARE(j.exitCode, 0);
        QCOMPARE(j.json().value(QLatin1String("outcome")).toString(), QStringLiteral("same"));
        QCOMPARE(j.json().value(QLatin1String("entries")).toArray().size(), 0);
    }

    void differentFilesExitTwo()
    {
        const QByteArray before = R"({"status":"placed","items":[{"id":1,"q":1},{"id":2,"q":1}],"coupon":"X"})";
        const QByteArray after = R"({"status":"paid","items":[{"id":2,"q":1},{"id":1,"q":3}],"note":null})";
        const QString a = file(QStringLiteral("before.json"), before), b = file(QStringLiteral("after.json"), after);
        const auto r = m_cli.run({QStringLiteral("diff"), a, b});
        QVERIFY2(r.finished && r.exitCode == 2, r.describe().constData());
        QCOMPARE(r.out, engine::DiffText::render(engine::JsonDiff::diff(parse(before), parse(after)).entries));
        QVERIFY(r.out.contains(QLatin1String("~ /status: \"placed\" -> \"paid\"\n")));
        // By id: element 1 moved and changed.
        const auto byId = m_cli.run(
            {QStringLiteral("diff"), a, b, QStringLiteral("--id-key"), QStringLiteral("id"), QStringLiteral("--json")});
        QCOMPARE(byId.exitCode, 2);
        const QJsonObject o = byId.json();
        QCOMPARE(o.value(QLatin1String("outcome")).toString(), QStringLiteral("different"));
        QCOMPARE(o.value(QLatin1String("exitCode")).toInt(), 2);
        QCOMPARE(o.value(QLatin1String("before")).toString(), a);
        const QJsonObject summary = o.value(QLatin1String("summary")).toObject();
        QCOMPARE(summary.value(QLatin1String("moved")).toInt(), 1);
        QCOMPARE(summary.value(QLatin1String("added")).toInt(), 1);   // /note
        QCOMPARE(summary.value(QLatin1String("removed")).toInt(), 1); // /coupon
        bool sawChange = false;
        for (const QJsonValue &v : o.value(QLatin1String("entries")).toArray()) {
            const QJsonObject e = v.toObject();
            QVERIFY(e.contains(QLatin1String("kind")) && e.contains(QLatin1String("path")));
            if (e.value(QLatin1String("path")).toString() == QLatin1String("/items/1/q")) {
                sawChange = true;
                QCOMPARE(e.value(QLatin1String("kind")).toString(), QStringLiteral("changed"));
                QCOMPARE(e.value(QLatin1String("beforePath")).toString(), QStringLiteral("/items/0/q"));
                QCOMPARE(e.value(QLatin1String("before")).toInt(), 1);
                QCOMPARE(e.value(QLatin1String("after")).toInt(), 3);
            }
        }
        QVERIFY2(sawChange, byId.describe().constData());
        // Unified, and from stdin.
        const auto unified = m_cli.run({QStringLiteral("diff"), QStringLiteral("-"), b, QStringLiteral("--unified")},
                                       before);
        QCOMPARE(unified.exitCode, 2);
        QVERIFY2(unified.out.startsWith(QStringLiteral("--- -\n+++ ") + b + QLatin1Char('\n')),
                 unified.describe().constData());
        QVERIFY(unified.out.contains(QLatin1String("\n-  \"status\": \"placed\"")));
        QVERIFY(unified.out.contains(QLatin1String("\n+  \"status\": \"paid\"")));
    }

    void twoPointsOfAStreamAreTheWindowsDiff()
    {
        const QByteArray stream = "order-3";
        AppFold app(m_client, stream, m_reducer);
        QVERIFY(app.ok());
        const quint64 head = app.index().revision(app.index().size() - 1);
        const auto before = app.queries().stateAtRevision(1), after = app.queries().stateAtRevision(head);
        engine::DiffOptions options;
        options.idKeys = QStringList{QStringLiteral("lineId")}; // the reducer file's arrayIdKey
        const engine::DiffResult expected = engine::JsonDiff::diff(before.state, after.state, options);
        QVERIFY(!expected.isEmpty());
        const QStringList args{QStringLiteral("diff"),     QStringLiteral("--connect"), m_sandbox.connectionString(),
                               QStringLiteral("--stream"), QString::fromUtf8(stream),   QStringLiteral("--from"),
                               QStringLiteral("@1"),       QStringLiteral("--reducer"), m_reducer};
        const auto r = m_cli.run(args);
        QVERIFY2(r.finished && r.exitCode == 2, r.describe().constData());
        QCOMPARE(r.out, engine::DiffText::render(expected.entries));
        const auto j = m_cli.run(QStringList(args) << QStringLiteral("--json"));
        QCOMPARE(j.exitCode, 2);
        QCOMPARE(j.json().value(QLatin1String("entries")).toArray().size(), expected.entries.size());
        QCOMPARE(j.json().value(QLatin1String("before")).toString(), QStringLiteral("order-3 @1 (2 events)"));
        // The same point twice: no difference.
        const auto same = m_cli.run(QStringList(args) << QStringLiteral("--to") << QStringLiteral("@1"));
        QVERIFY2(same.exitCode == 0 && same.out.isEmpty(), same.describe().constData());
    }

    void badInputIsAClearError_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("one file") << QStringList{QStringLiteral("a.json")} << QStringLiteral("diff needs two files");
        QTest::newRow("nothing") << QStringList{} << QStringLiteral("nothing to compare");
        QTest::newRow("three files") << QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}
                                     << QStringLiteral("unexpected argument \"c\"");
        QTest::newRow("unreadable") << QStringList{QStringLiteral("/nonexistent.json"),
                                                   QStringLiteral("/nonexistent2.json")}
                                    << QStringLiteral("cannot read /nonexistent.json");
        QTest::newRow("context alone") << QStringList{QStringLiteral("--context"), QStringLiteral("3")}
                                       << QStringLiteral("--context goes with --unified");
        QTest::newRow("stream without from")
            << QStringList{QStringLiteral("--stream"), QStringLiteral("order-1"), QStringLiteral("--connect"),
                           QStringLiteral("esdb://127.0.0.1:1?tls=false")}
            << QStringLiteral("give --from");
    }
    void badInputIsAClearError()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = m_cli.run(QStringList{QStringLiteral("diff")} << args);
        QVERIFY2(r.finished && r.exitCode == 1, r.describe().constData());
        QVERIFY2(r.err.contains(message), r.describe().constData());
    }

    void invalidJsonNamesWhere()
    {
        const QString good = file(QStringLiteral("good.json"), "{}");
        const QString bad = file(QStringLiteral("bad.json"), "{\"a\": 1,,}");
        const auto r = m_cli.run({QStringLiteral("diff"), good, bad, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 1, r.describe().constData());
        QVERIFY2(r.err.contains(bad + QStringLiteral(" is not JSON: ")) && r.err.contains(QLatin1String("at byte")),
                 r.describe().constData());
        QCOMPARE(r.json().value(QLatin1String("outcome")).toString(), QStringLiteral("error"));
    }
};

QTEST_GUILESS_MAIN(TestCliDiff)
#include "tst_clidiff.moc"
