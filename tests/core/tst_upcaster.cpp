#include "FoldFixture.h"
#include "script/JsReducer.h"
#include "script/UpcastingReducer.h"

#include <QJsonDocument>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::engine;
using chronoscope::test::FoldFixture;

namespace {

QByteArray compact(const QJsonValue &v)
{
    const QByteArray t = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return t.mid(1, t.size() - 2);
}

/// An inner reducer that records every body it sees, in order.
std::unique_ptr<Reducer> recorder()
{
    JsReducerOptions o;
    o.source = QStringLiteral("fromAll().when({$init: () => [], $any: (s, e) => { s.push(e.body); }})");
    ScriptError error;
    return JsReducer::create(o, &error);
}

UpcasterSpec spec(int from, int to, const QString &source, const QString &versionFrom = QStringLiteral("metadata.schemaVersion"))
{
    UpcasterSpec u;
    u.eventType = "Placed";
    u.version = from;
    u.toVersion = to;
    u.versionFrom = versionFrom;
    u.source = source;
    u.fileName = QStringLiteral("up%1.js").arg(from);
    return u;
}

const QList<UpcasterSpec> kChain{
    spec(1, 2, QStringLiteral("(d, m) => ({id: d.id, total: {amount: Math.round(d.total * 100), currency: d.currency}})")),
    spec(2, 3, QStringLiteral("function (d, m) {\n  d.total.minor = true;\n  return d;\n}")),
};

} // namespace

class TestUpcaster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chain_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("metadata");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("no version: default 1, v1→v2→v3") << QByteArray("{\"id\":1,\"total\":12.5,\"currency\":\"EUR\"}") << QByteArray("{}")
                                                         << QByteArray("{\"id\":1,\"total\":{\"amount\":1250,\"currency\":\"EUR\",\"minor\":true}}");
        QTest::newRow("no metadata at all") << QByteArray("{\"id\":1,\"total\":0.1,\"currency\":\"SEK\"}") << QByteArray()
                                            << QByteArray("{\"id\":1,\"total\":{\"amount\":10,\"currency\":\"SEK\",\"minor\":true}}");
        QTest::newRow("v2: only v2→v3") << QByteArray("{\"id\":2,\"total\":{\"amount\":5,\"currency\":\"GBP\"}}")
                                        << QByteArray("{\"schemaVersion\":2}")
                                        << QByteArray("{\"id\":2,\"total\":{\"amount\":5,\"currency\":\"GBP\",\"minor\":true}}");
        QTest::newRow("v3: untouched") << QByteArray("{\"id\":3,\"total\":7}") << QByteArray("{\"schemaVersion\":3}")
                                       << QByteArray("{\"id\":3,\"total\":7}");
        QTest::newRow("version as text") << QByteArray("{\"id\":4,\"total\":{\"amount\":1}}") << QByteArray("{\"schemaVersion\":\"2\"}")
                                         << QByteArray("{\"id\":4,\"total\":{\"amount\":1,\"minor\":true}}");
    }

    void chain()
    {
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, metadata);
        QFETCH(QByteArray, expected);
        FoldFixture f;
        f.add("o-1", "Other", "{\"total\":1.5}", "{}");
        f.add("o-1", "Placed", data, metadata);
        ScriptError error;
        auto r = UpcastingReducer::create(recorder(), kChain, {}, &error);
        QVERIFY2(r, qPrintable(error.toString()));
        const FoldResult res = f.foldInto(*r);
        QVERIFY(res.ok());
        const QJsonArray seen = r->state().toArray();
        QCOMPARE(seen.size(), 2);
        QCOMPARE(compact(seen.at(0)), QByteArray("{\"total\":1.5}")); // other types never reach the upcasters
        QCOMPARE(compact(seen.at(1)), compact(QJsonDocument::fromJson(expected).object()));
        QCOMPARE(f.records().at(1).data, data); // the source events are not modified
        QCOMPARE(r->upcast(f.records().at(1), &error), QJsonDocument(seen.at(1).toObject()).toJson(QJsonDocument::Compact));
    }

    void versionFromData()
    {
        FoldFixture f;
        f.add("o-1", "Placed", "{\"v\":1,\"n\":1}");
        f.add("o-1", "Placed", "{\"v\":2,\"n\":2}");
        ScriptError error;
        auto r = UpcastingReducer::create(recorder(), {spec(1, 2, QStringLiteral("d => ({v: 2, n: d.n * 10})"), QStringLiteral("data.v"))},
                                          {}, &error);
        QVERIFY(r);
        QVERIFY(f.foldInto(*r).ok());
        QCOMPARE(compact(r->state()), QByteArray("[{\"n\":10,\"v\":2},{\"n\":2,\"v\":2}]"));
    }

    void failingUpcaster()
    {
        FoldFixture f;
        f.add("o-1", "Placed", "{\"id\":1}");
        f.add("o-2", "Placed", "{\"id\":2,\"bad\":true}");
        ScriptError error;
        auto r = UpcastingReducer::create(
            recorder(), {spec(1, 2, QStringLiteral("function (d) {\n  if (d.bad) throw new Error('cannot upcast');\n  return {id: d.id, ok: 1};\n}"))},
            {}, &error);
        QVERIFY(r);
        const FoldResult res = f.foldInto(*r);
        QCOMPARE(res.errors.size(), 1);
        QCOMPARE(res.errors.constFirst().index, quint64(1));
        QCOMPARE(res.errors.constFirst().line, 2);
        QVERIFY2(res.errors.constFirst().message.contains(QLatin1String("event #1 (Placed in o-2): upcaster up1.js:2 failed: Error: cannot upcast")),
                 qPrintable(res.errors.constFirst().message));
        // Documented fallback: folded with the original data.
        QCOMPARE(compact(r->state()), QByteArray("[{\"id\":1,\"ok\":1},{\"bad\":true,\"id\":2}]"));
    }

    void loopingChainReported()
    {
        FoldFixture f;
        f.add("o-1", "Placed", "{}");
        QList<UpcasterSpec> loop{spec(1, 2, QStringLiteral("d => d")), spec(2, 3, QStringLiteral("d => d"))};
        loop[1].toVersion = 1; // refused by ReducerFile, but the engine must still not hang
        ScriptError error;
        auto r = UpcastingReducer::create(recorder(), loop, {}, &error);
        QVERIFY(r);
        const FoldResult res = f.foldInto(*r);
        QCOMPARE(res.errors.size(), 1);
        QVERIFY(res.errors.constFirst().message.contains(QLatin1String("does not end")));
    }

    void syntaxErrorAtCreate()
    {
        ScriptError error;
        QVERIFY(!UpcastingReducer::create(recorder(), {spec(1, 2, QStringLiteral("function (d) {\n  return d +;\n}"))}, {}, &error));
        QCOMPARE(error.file, QStringLiteral("up1.js"));
        QCOMPARE(error.line, 2);
    }

    void runawayUpcasterIsFatal()
    {
        FoldFixture f;
        f.add("o-1", "Placed", "{}");
        ScriptError error;
        auto r = UpcastingReducer::create(recorder(), {spec(1, 2, QStringLiteral("d => { for (;;) {} }"))}, {}, &error);
        QVERIFY(r);
        const FoldResult res = f.foldInto(*r);
        QVERIFY(res.stopped());
        QVERIFY(res.errors.constLast().message.contains(QLatin1String("time limit")));
    }
};

QTEST_GUILESS_MAIN(TestUpcaster)
#include "tst_upcaster.moc"
