#include "FoldFixture.h"
#include "demo/DemoHistory.h"
#include "script/JsReducer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <deque>
#include <thread>

using namespace chronoscope;
using namespace chronoscope::engine;
using chronoscope::test::FoldFixture;

namespace {

QJsonValue json(const QByteArray &text)
{
    return QJsonDocument::fromJson('[' + text + ']').array().at(0);
}

QByteArray compact(const QJsonValue &v)
{
    const QByteArray t = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return t.mid(1, t.size() - 2);
}

// The engine every test of this run uses: each test runs once per engine (initTestCase_data).
JsEngineKind g_engine = JsEngineKind::Default;

JsReducerOptions options()
{
    JsReducerOptions o;
    o.engine = g_engine;
    return o;
}

std::unique_ptr<JsReducer> load(const QString &source, JsReducerOptions o = options())
{
    o.source = source;
    ScriptError error;
    auto r = JsReducer::create(o, &error);
    if (!r)
        qWarning("load failed: %s", qPrintable(error.toString()));
    return r;
}

QString messages(const FoldResult &r)
{
    QStringList m;
    for (const FoldError &e : r.errors)
        m.append(QString::number(e.index) + QLatin1Char(':') + e.message);
    return m.join(QLatin1Char('\n'));
}

} // namespace

class TestJsReducer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Global data: every test below runs against each engine built in.
    void initTestCase_data()
    {
        QTest::addColumn<JsEngineKind>("engine");
        for (JsEngineKind k : {JsEngineKind::SpiderMonkey, JsEngineKind::QJSEngine}) {
            if (ProjectionEngine::isAvailable(k))
                QTest::newRow(qPrintable(ProjectionEngine::kindName(k))) << k;
        }
    }

    void init()
    {
        QFETCH_GLOBAL(JsEngineKind, engine);
        g_engine = engine;
    }

    void engineChosen()
    {
        auto r = load(QStringLiteral("fromAll().when({})"));
        QVERIFY(r);
        QCOMPARE(r->engineKind(), g_engine);
        const QString expected = g_engine == JsEngineKind::SpiderMonkey ? QStringLiteral("SpiderMonkey") : QStringLiteral("QJSEngine");
        QVERIFY2(r->engineName().startsWith(expected), qPrintable(r->engineName()));
        // Default is the fastest engine built in.
        JsReducerOptions o;
        o.source = QStringLiteral("fromAll().when({})");
        ScriptError error;
        auto d = JsReducer::create(o, &error);
        QVERIFY(d);
        QCOMPARE(d->engineKind(), ProjectionEngine::isAvailable(JsEngineKind::SpiderMonkey) ? JsEngineKind::SpiderMonkey
                                                                                           : JsEngineKind::QJSEngine);
    }

    void enginesAgree()
    {
        // The same projection over the same 4000 demo events in this row's engine and in the other one:
        // states, results, emits and per-event errors must be equal (the engines differ, the runtime does not).
        QFile file(QStringLiteral(CHRONOSCOPE_TEST_DATA "/engines-agree.projection.js"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString source = QString::fromUtf8(file.readAll());
        std::deque<RecordedEvent> records;
        QHash<QByteArray, quint64> revisions;
        DemoHistory::Options demo;
        demo.eventCount = 4000;
        DemoHistory(demo).generate([&](const DemoEvent &d) {
            RecordedEvent e;
            e.streamId = d.stream;
            e.type = d.type;
            e.data = d.data;
            e.metadata = d.metadata;
            e.id = d.id;
            e.contentType = "application/json";
            e.revision = revisions[d.stream]++;
            records.push_back(std::move(e));
            return true;
        });
        std::vector<FoldEvent> events;
        for (size_t i = 0; i < records.size(); ++i)
            events.push_back(FoldEvent{&records[i], nullptr, quint64(i)});
        const JsEngineKind other = g_engine == JsEngineKind::QJSEngine && ProjectionEngine::isAvailable(JsEngineKind::SpiderMonkey)
            ? JsEngineKind::SpiderMonkey
            : JsEngineKind::QJSEngine;
        struct Run
        {
            QByteArray state, result, emitted, errors;
        };
        auto run = [&](JsEngineKind kind) {
            JsReducerOptions o;
            o.engine = kind;
            o.batchSize = 333; // several batches per fold call
            auto r = load(source, o);
            Run out;
            if (!r)
                return out;
            QStringList errors;
            for (size_t at = 0; at < events.size(); at += 1000) {
                const FoldResult res = r->fold(events.data() + at, qsizetype(std::min<size_t>(1000, events.size() - at)));
                for (const FoldError &e : res.errors)
                    errors.append(QStringLiteral("%1:%2:%3").arg(e.index).arg(e.line).arg(e.message));
            }
            out.state = compact(r->state());
            out.result = compact(r->result());
            out.emitted = compact(r->emitted());
            out.errors = errors.join(QLatin1Char('\n')).toUtf8();
            return out;
        };
        const Run mine = run(g_engine), theirs = run(other);
        QVERIFY(mine.state.size() > 100);
        QVERIFY(mine.emitted.contains("BigPayment") && mine.emitted.contains("late-shipments"));
        QVERIFY2(mine.errors.contains("Error: out of stock: order-") && mine.errors.contains(":26:"), mine.errors.left(300).constData());
        QVERIFY(mine.result.startsWith("{\"partitions\":"));
        QCOMPARE(mine.state, theirs.state);
        QCOMPARE(mine.result, theirs.result);
        QCOMPARE(mine.emitted, theirs.emitted);
        QCOMPARE(mine.errors, theirs.errors);
    }

    void language_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QStringList>("events");
        QTest::addColumn<QByteArray>("expected");

        const QStringList mixed{QStringLiteral("order-1|Placed|{\"n\":1}"), QStringLiteral("order-2|Placed|{\"n\":2}"),
                                QStringLiteral("payment-1|Paid|{\"n\":4}"), QStringLiteral("order-1|Shipped|{\"n\":8}"),
                                QStringLiteral("orderx|Placed|{\"n\":16}")};
        const QString sum = QStringLiteral(".when({$init: function () { return {sum: 0}; }, $any: function (s, e) { s.sum += e.body.n; }})");

        QTest::newRow("fromStream") << QStringLiteral("fromStream('order-1')") + sum << mixed << QByteArray("{\"sum\":9}");
        QTest::newRow("fromStreams varargs") << QStringLiteral("fromStreams('order-1', 'payment-1')") + sum << mixed
                                             << QByteArray("{\"sum\":13}");
        QTest::newRow("fromStreams array") << QStringLiteral("fromStreams(['order-2', 'orderx'])") + sum << mixed
                                           << QByteArray("{\"sum\":18}");
        QTest::newRow("fromCategory") << QStringLiteral("fromCategory('order')") + sum << mixed << QByteArray("{\"sum\":11}");
        QTest::newRow("fromAll") << QStringLiteral("fromAll()") + sum << mixed << QByteArray("{\"sum\":31}");
        QTest::newRow("typed handler only") << QStringLiteral("fromAll().when({$init: () => ({c: 0}), Placed: (s, e) => { s.c += e.data.n; }})")
                                            << mixed << QByteArray("{\"c\":19}");
        QTest::newRow("return replaces state")
            << QStringLiteral("fromAll().when({$init: () => 0, Placed: (s, e) => s + e.body.n})") << mixed << QByteArray("19");
        QTest::newRow("no $init starts from {}") << QStringLiteral("fromAll().when({Paid: (s, e) => { s.paid = e.body.n; }})") << mixed
                                                 << QByteArray("{\"paid\":4}");
        QTest::newRow("$any runs before the typed handler")
            << QStringLiteral("fromStream('order-1').when({$init: () => [], $any: (s, e) => { s.push('any:' + e.eventType); },"
                              " Shipped: (s, e) => { s.push('typed'); }})")
            << mixed << QByteArray("[\"any:Placed\",\"any:Shipped\",\"typed\"]");
        QTest::newRow("foreachStream keyed by stream")
            << QStringLiteral("fromCategory('order').foreachStream().when({$init: () => ({n: 0}), $any: (s, e) => { s.n += e.body.n; }})")
            << mixed << QByteArray("{\"order-1\":{\"n\":9},\"order-2\":{\"n\":2}}");
        QTest::newRow("partitionBy keyed by result, null skips")
            << QStringLiteral("fromAll().partitionBy(e => e.body.n > 2 ? 'big' : (e.body.n === 1 ? null : 'small'))"
                              ".when({$init: () => ({n: 0}), $any: (s, e) => { s.n += e.body.n; }})")
            << mixed << QByteArray("{\"small\":{\"n\":2},\"big\":{\"n\":28}}");
        QTest::newRow("$initShared with partitions")
            << QStringLiteral("fromAll().foreachStream().when({$init: () => ({n: 0}), $initShared: () => ({total: 0}),"
                              " $any: (p, e) => { p[0].n += 1; p[1].total += e.body.n; }})")
            << QStringList{QStringLiteral("a|X|{\"n\":1}"), QStringLiteral("b|X|{\"n\":2}"), QStringLiteral("a|X|{\"n\":4}")}
            << QByteArray("{\"a\":{\"n\":2},\"b\":{\"n\":1},\"$shared\":{\"total\":7}}");
        QTest::newRow("$initShared returning a new pair")
            << QStringLiteral("fromAll().when({$init: () => 0, $initShared: () => 10, $any: (p, e) => [p[0] + 1, p[1] + e.body.n]})")
            << QStringList{QStringLiteral("a|X|{\"n\":1}"), QStringLiteral("b|X|{\"n\":2}")}
            << QByteArray("{\"$state\":2,\"$shared\":13}");
        QTest::newRow("event fields")
            << QStringLiteral("fromAll().when({$init: () => [], $any: (s, e) => { s.push([e.eventType, e.streamId, e.sequenceNumber,"
                              " e.bodyRaw, e.isJson, e.metadata.who, e.metadataRaw, e.category, e.data === e.body, e.linkMetadata]); }})")
            << QStringList{QStringLiteral("cat-7|T|{\"a\":1}|{\"who\":\"me\"}"), QStringLiteral("cat-7|U|[2]|{\"who\":\"you\"}")}
            << QByteArray("[[\"T\",\"cat-7\",0,\"{\\\"a\\\":1}\",true,\"me\",\"{\\\"who\\\":\\\"me\\\"}\",\"cat\",true,null],"
                          "[\"U\",\"cat-7\",1,\"[2]\",true,\"you\",\"{\\\"who\\\":\\\"you\\\"}\",\"cat\",true,null]]");
        QTest::newRow("options and outputState accepted")
            << QStringLiteral("options({resultStreamName: 'x', $includeLinks: false});\nfromAll().when({$init: () => ({c: 0}), $any: s => { s.c++; }}).outputState()")
            << mixed << QByteArray("{\"c\":5}");
    }

    void language()
    {
        QFETCH(QString, source);
        QFETCH(QStringList, events);
        QFETCH(QByteArray, expected);
        FoldFixture f;
        for (const QString &line : events)
            f.addLine(line);
        auto r = load(source);
        QVERIFY(r);
        const FoldResult res = f.foldInto(*r);
        QVERIFY2(res.ok(), qPrintable(messages(res)));
        QCOMPARE(res.folded, quint64(events.size()));
        QCOMPARE(compact(r->state()), compact(json(expected)));
    }

    void nonJsonAndLinkMetadata()
    {
        FoldFixture f;
        f.add("s-1", "Bin", QByteArray("\x01\x02" "abc", 5), {}, false);
        const QByteArray link = "{\"$v\":\"1:-1:1:4\"}";
        f.add("s-1", "Txt", "{\"a\":1}", {}, true, &link);
        auto r = load(QStringLiteral("fromAll().when({$init: () => [], $any: (s, e) => { s.push([e.isJson, e.body, e.data,"
                                     " e.bodyRaw.length, e.linkMetadata && e.linkMetadata.$v]); }})"));
        QVERIFY(r);
        QVERIFY(f.foldInto(*r).ok());
        QCOMPARE(compact(r->state()), QByteArray("[[false,null,null,5,null],[true,{\"a\":1},{\"a\":1},7,\"1:-1:1:4\"]]"));
    }

    void transformResult()
    {
        FoldFixture f;
        f.addLine(QStringLiteral("a|X|{\"n\":3}"));
        auto r = load(QStringLiteral("fromAll().when({$init: () => ({n: 0}), X: (s, e) => { s.n += e.body.n; }})"
                                     ".transformBy(s => ({double: s.n * 2})).outputState()"));
        QVERIFY(r);
        QVERIFY(f.foldInto(*r).ok());
        QVERIFY(r->outputsState());
        QCOMPARE(compact(r->state()), QByteArray("{\"n\":3}"));
        QCOMPARE(compact(r->result()), QByteArray("{\"double\":6}"));
    }

    void emitAndLinkToRecorded()
    {
        FoldFixture f;
        f.addLine(QStringLiteral("order-1|Placed|{\"id\":1}"));
        f.addLine(QStringLiteral("order-2|Placed|{\"id\":2}"));
        auto r = load(QStringLiteral(
            "fromCategory('order').when({Placed: (s, e) => {\n"
            "  var body = {id: e.body.id};\n"
            "  emit('out-' + e.body.id, 'Seen', body, {by: 'test'});\n"
            "  body.id = 99; // mutating after emit must not change what was recorded\n"
            "  linkTo('links', e);\n"
            "}})"));
        QVERIFY(r);
        QVERIFY(f.foldInto(*r).ok());
        const QJsonArray em = r->emitted();
        QCOMPARE(em.size(), 4);
        QCOMPARE(compact(em.at(0)), QByteArray("{\"body\":{\"id\":1},\"causedBy\":0,\"eventType\":\"Seen\",\"kind\":\"emit\","
                                               "\"metadata\":{\"by\":\"test\"},\"streamId\":\"out-1\"}"));
        QCOMPARE(compact(em.at(1)), QByteArray("{\"causedBy\":0,\"kind\":\"linkTo\",\"streamId\":\"links\",\"target\":\"0@order-1\"}"));
        QCOMPARE(em.at(3).toObject().value(QLatin1String("target")).toString(), QStringLiteral("0@order-2"));
        QCOMPARE(em.at(3).toObject().value(QLatin1String("causedBy")).toInt(), 1);
        r->reset();
        QCOMPARE(r->emitted().size(), 0);
    }

    void emitCapped()
    {
        FoldFixture f;
        for (int i = 0; i < 10; ++i)
            f.addLine(QStringLiteral("a|X|{}"));
        JsReducerOptions o = options();
        o.maxEmitted = 3;
        auto r = load(QStringLiteral("fromAll().when({X: (s, e) => { emit('o', 'Y', {}); }})"), o);
        QVERIFY(r);
        QVERIFY(f.foldInto(*r).ok());
        QCOMPARE(r->emitted().size(), 3);
        QCOMPARE(r->emittedDropped(), qint64(7));
    }

    void selection()
    {
        auto r = load(QStringLiteral("fromCategory('order').partitionBy(e => e.body.customer).when({Placed: (s, e) => {}})"));
        QVERIFY(r);
        QVERIFY(r->isPartitioned());
        QCOMPARE(r->sourceCategories(), QStringList{QStringLiteral("order")});
        RecordedEvent e;
        e.streamId = "order-9";
        e.type = "Placed";
        e.contentType = "application/json";
        e.data = "{\"customer\":\"c-1\"}";
        QVERIFY(r->selectsStream("order-9"));
        QVERIFY(!r->selectsStream("orders"));
        QVERIFY(!r->selectsStream("payment-9"));
        QVERIFY(r->selects(e));
        QCOMPARE(r->partitionKey(e), QStringLiteral("c-1"));
        e.type = "Other";
        QVERIFY(!r->selects(e)); // no handler and no $any
        e.data = "{}";
        QVERIFY(r->partitionKey(e).isNull());
    }

    void sandbox_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("expected");
        QTest::newRow("print") << QStringLiteral("typeof print") << QStringLiteral("undefined");
        QTest::newRow("console") << QStringLiteral("typeof console") << QStringLiteral("undefined");
        QTest::newRow("Qt") << QStringLiteral("typeof Qt") << QStringLiteral("undefined");
        QTest::newRow("XMLHttpRequest") << QStringLiteral("typeof XMLHttpRequest") << QStringLiteral("undefined");
        QTest::newRow("setTimeout") << QStringLiteral("typeof setTimeout") << QStringLiteral("undefined");
        QTest::newRow("setInterval") << QStringLiteral("typeof setInterval") << QStringLiteral("undefined");
        QTest::newRow("require") << QStringLiteral("typeof require") << QStringLiteral("undefined");
        QTest::newRow("process") << QStringLiteral("typeof process") << QStringLiteral("undefined");
        QTest::newRow("fetch") << QStringLiteral("typeof fetch") << QStringLiteral("undefined");
        QTest::newRow("gc") << QStringLiteral("typeof gc") << QStringLiteral("undefined");
        QTest::newRow("qsTr") << QStringLiteral("typeof qsTr") << QStringLiteral("undefined");
        QTest::newRow("eval stays inside") << QStringLiteral("eval('typeof Qt')") << QStringLiteral("undefined");
        QTest::newRow("Function stays inside") << QStringLiteral("Function('return typeof XMLHttpRequest')()")
                                               << QStringLiteral("undefined");
    }

    void sandbox()
    {
        QFETCH(QString, expression);
        QFETCH(QString, expected);
        FoldFixture f;
        f.addLine(QStringLiteral("a|X|{}"));
        auto r = load(QStringLiteral("fromAll().when({X: (s, e) => ({v: String(") + expression + QStringLiteral(")})})"));
        QVERIFY(r);
        QVERIFY(f.foldInto(*r).ok());
        QCOMPARE(r->state().toObject().value(QLatin1String("v")).toString(), expected);
    }

    void sandboxImportRefused_data()
    {
        QTest::addColumn<QString>("source");
        QTest::newRow("dynamic import") << QStringLiteral("import('/etc/passwd');\nfromAll().when({})");
        QTest::newRow("static import") << QStringLiteral("import x from '/etc/passwd';\nfromAll().when({})");
        QTest::newRow("no when") << QStringLiteral("fromAll()");
        QTest::newRow("fromStreamsMatching") << QStringLiteral("fromStreamsMatching(s => true).when({})");
    }

    void sandboxImportRefused()
    {
        QFETCH(QString, source);
        JsReducerOptions o = options();
        o.source = source;
        ScriptError error;
        QVERIFY(!JsReducer::create(o, &error));
        QVERIFY(!error.message.isEmpty());
        QCOMPARE(error.file, QStringLiteral("projection.js"));
    }

    void runaway_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<quint64>("index");
        QTest::addColumn<QString>("names");
        QTest::newRow("handler") << QStringLiteral("fromAll().when({X: (s, e) => { if (e.body.spin) while (true) {} }})") << quint64(2)
                                 << QStringLiteral("event #2 (X in b-1)");
        QTest::newRow("$init") << QStringLiteral("fromAll().when({$init: () => { for (;;) {} }, X: s => s})") << quint64(0)
                               << QStringLiteral("$init");
        QTest::newRow("invariant-free recursion spin")
            << QStringLiteral("function f(n) { return n < 0 ? 0 : f(n - 1) + f(n - 2); }\n"
                              "fromAll().when({X: (s, e) => { if (e.body.spin) s.x = f(200); }})")
            << quint64(2) << QStringLiteral("event #2 (X in b-1)");
    }

    void runaway()
    {
        QFETCH(QString, source);
        QFETCH(quint64, index);
        QFETCH(QString, names);
        FoldFixture f;
        f.addLine(QStringLiteral("a-1|X|{}"));
        f.addLine(QStringLiteral("a-1|X|{}"));
        f.addLine(QStringLiteral("b-1|X|{\"spin\":true}"));
        f.addLine(QStringLiteral("a-1|X|{}"));
        auto r = load(source);
        QVERIFY(r);
        QElapsedTimer timer;
        timer.start();
        const FoldResult res = f.foldInto(*r);
        const qint64 ms = timer.elapsed();
        QVERIFY2(ms < 1500, qPrintable(QString::number(ms)));
        QVERIFY(res.stopped());
        QCOMPARE(res.errors.constLast().index, index);
        QCOMPARE(res.folded, index);
        QVERIFY2(res.errors.constLast().message.contains(names), qPrintable(res.errors.constLast().message));
        QVERIFY(res.errors.constLast().message.contains(QLatin1String("time limit of 1000 ms")));
        // Refuses until reset; after reset a fresh engine folds the quiet events again.
        const auto ev = f.events();
        QVERIFY(r->fold(ev.data(), 1).stopped());
        r->reset();
        if (index > 0)
            QVERIFY(r->fold(ev.data(), 2).ok());
    }

    void memoryLimit()
    {
        FoldFixture f;
        f.addLine(QStringLiteral("a|X|{}"));
        JsReducerOptions o = options();
        o.limits.memoryLimitBytes = 64LL << 20;
        o.limits.timeLimitMs = 20000; // the memory limit, not the clock, must stop it
        auto r = load(QStringLiteral("fromAll().when({X: (s, e) => { var keep = []; for (;;) keep.push(new Array(1000).fill(Math.random())); }})"),
                      o);
        QVERIFY(r);
        QElapsedTimer timer;
        timer.start();
        const FoldResult res = f.foldInto(*r);
        QVERIFY(res.stopped());
        QVERIFY2(res.errors.constLast().message.contains(QLatin1String("memory limit of 64 MiB")),
                 qPrintable(res.errors.constLast().message));
        QVERIFY(timer.elapsed() < 15000);
        r->reset(); // drops the engine and its heap
    }

    void stateLimit()
    {
        FoldFixture f;
        for (int i = 0; i < 3000; ++i)
            f.addLine(QStringLiteral("a|X|{}"));
        JsReducerOptions o = options();
        o.limits.stateLimitBytes = 100000;
        o.batchSize = 100;
        auto r = load(QStringLiteral("fromAll().when({$init: () => [], X: (s, e) => { s.push('x'.repeat(1000)); }})"), o);
        QVERIFY(r);
        const FoldResult res = f.foldInto(*r);
        QVERIFY(res.stopped());
        QVERIFY2(res.errors.constLast().message.contains(QLatin1String("over the state limit of 100000")),
                 qPrintable(res.errors.constLast().message));
        QVERIFY(res.errors.constLast().index < 1000); // stopped soon after crossing, not at the end
    }

    void syntaxErrorLine_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("line");
        QTest::newRow("line 3") << QStringLiteral("fromAll()\n  .when({\n    X: (s, e) => { s.x = ; }\n  })") << 3;
        QTest::newRow("line 1") << QStringLiteral("fromAll(.when({})") << 1;
        QTest::newRow("throw at load, line 2") << QStringLiteral("var a = 1;\nnull.boom;\nfromAll().when({})") << 2;
    }

    void syntaxErrorLine()
    {
        QFETCH(QString, source);
        QFETCH(int, line);
        JsReducerOptions o = options();
        o.source = source;
        o.fileName = QStringLiteral("orders.js");
        ScriptError error;
        QVERIFY(!JsReducer::create(o, &error));
        QCOMPARE(error.line, line);
        QCOMPARE(error.file, QStringLiteral("orders.js"));
        QVERIFY(error.toString().startsWith(QStringLiteral("orders.js:%1: ").arg(line)));
    }

    void runtimeErrorLine_data()
    {
        QTest::addColumn<QString>("statement");
        QTest::addColumn<QString>("contains");
        QTest::newRow("TypeError") << QStringLiteral("e.body.missing.deeper = 1;") << QStringLiteral("TypeError");
        QTest::newRow("throw Error") << QStringLiteral("throw new Error('bad order');") << QStringLiteral("bad order");
        // V4 throws RangeError, SpiderMonkey InternalError "too much recursion": either way a catchable error.
        QTest::newRow("stack overflow") << QStringLiteral("(function r() { r(); })();") << QStringLiteral("RangeError|too much recursion");
    }

    void runtimeErrorLine()
    {
        QFETCH(QString, statement);
        QFETCH(QString, contains);
        FoldFixture f;
        f.addLine(QStringLiteral("a-1|Ok|{}"));
        f.addLine(QStringLiteral("a-1|Bad|{}"));
        f.addLine(QStringLiteral("a-1|Ok|{}"));
        auto r = load(QStringLiteral("fromAll().when({\n$init: () => ({ok: 0}),\nOk: (s, e) => { s.ok++; },\nBad: (s, e) => {\n")
                      + statement + QStringLiteral("\n}})"));
        QVERIFY(r);
        const FoldResult res = f.foldInto(*r);
        QCOMPARE(res.folded, quint64(3));
        QVERIFY2(res.errors.size() == 1, qPrintable(messages(res)));
        const FoldError &e = res.errors.constFirst();
        QCOMPARE(e.index, quint64(1));
        QVERIFY(!e.fatal);
        if (!contains.contains(QLatin1String("recursion"))) // the overflowing frame is the recursion, still line 5
            QCOMPARE(e.line, 5);
        QVERIFY2(e.message.contains(QLatin1String("event #1 (Bad in a-1)")) && e.message.contains(QRegularExpression(contains)),
                 qPrintable(e.message));
        QCOMPARE(r->state().toObject().value(QLatin1String("ok")).toInt(), 2); // folding went on
    }

    void badPayloads_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<bool>("isJson");
        QTest::addColumn<QString>("error");    // empty: no error expected
        QTest::addColumn<QByteArray>("seen");  // what the handler recorded for the event

        QByteArray deep;
        for (int i = 0; i < 10000; ++i)
            deep += '[';
        for (int i = 0; i < 10000; ++i)
            deep += ']';
        QTest::newRow("binary, not JSON") << QByteArray("\x00\xff\x10", 3) << false << QString() << QByteArray("[false,null,3]");
        QTest::newRow("invalid UTF-8 in JSON") << QByteArray("{\"a\":\"\xc3\x28\"}") << true << QStringLiteral("not valid UTF-8")
                                              << QByteArray();
        QTest::newRow("overlong UTF-8") << QByteArray("{\"a\":\"\xc0\xaf\"}") << true << QStringLiteral("not valid UTF-8") << QByteArray();
        QTest::newRow("truncated JSON") << QByteArray("{\"a\":[1,2") << true << QStringLiteral("not valid JSON") << QByteArray();
        QTest::newRow("empty JSON") << QByteArray() << true << QStringLiteral("not valid JSON") << QByteArray();
        QTest::newRow("deep nesting") << deep << true << QStringLiteral("deeper than 512") << QByteArray();
        QTest::newRow("nesting at the limit") << QByteArray(512, '[') + QByteArray(512, ']') << true << QString()
                                              << QByteArray("[true,\"object\",1024]");
        QTest::newRow("duplicate keys: last wins") << QByteArray("{\"a\":1,\"a\":2}") << true << QString()
                                                   << QByteArray("[true,2,13]");
        QTest::newRow("valid 4-byte UTF-8") << QByteArray("{\"a\":\"\xf0\x9f\x98\x80\"}") << true << QString()
                                            << QByteArray("[true,\"\xf0\x9f\x98\x80\",10]");
    }

    void badPayloads()
    {
        QFETCH(QByteArray, data);
        QFETCH(bool, isJson);
        QFETCH(QString, error);
        QFETCH(QByteArray, seen);
        FoldFixture f;
        f.add("s-1", "Before", "{}");
        f.add("s-1", "Odd", data, {}, isJson);
        f.add("s-1", "After", "{}");
        auto r = load(QStringLiteral(
            "fromAll().when({$init: () => ({types: [], odd: null}), $any: (s, e) => { s.types.push(e.eventType); },"
            " Odd: (s, e) => { s.odd = [e.isJson, e.body && !Array.isArray(e.body) ? e.body.a : (e.body ? 'object' : null),"
            " e.bodyRaw.length]; }})"));
        QVERIFY(r);
        const FoldResult res = f.foldInto(*r);
        QCOMPARE(res.folded, quint64(3));
        const QJsonObject state = r->state().toObject();
        if (error.isEmpty()) {
            QVERIFY2(res.ok(), qPrintable(messages(res)));
            QCOMPARE(compact(state.value(QLatin1String("odd"))), seen);
            QCOMPARE(state.value(QLatin1String("types")).toArray().size(), 3);
        } else {
            QCOMPARE(res.errors.size(), 1);
            QCOMPARE(res.errors.constFirst().index, quint64(1));
            QVERIFY(!res.errors.constFirst().fatal);
            QVERIFY2(res.errors.constFirst().message.contains(error), qPrintable(res.errors.constFirst().message));
            QVERIFY(res.errors.constFirst().message.contains(QLatin1String("event #1 (Odd in s-1)")));
            QCOMPARE(compact(state.value(QLatin1String("types"))), QByteArray("[\"Before\",\"After\"]"));
        }
    }

    void invalidUtf8MetadataIsLossy()
    {
        FoldFixture f;
        f.add("s-1", "X", "{}", QByteArray("{\"who\":\"a\xffz\"}"));
        auto r = load(QStringLiteral("fromAll().when({X: (s, e) => ({who: e.metadata.who})})"));
        QVERIFY(r);
        QVERIFY(f.foldInto(*r).ok());
        QCOMPARE(r->state().toObject().value(QLatin1String("who")).toString(), QStringLiteral("a\ufffdz"));
    }

    void foreignThreadRefused()
    {
        if (g_engine != JsEngineKind::SpiderMonkey)
            QSKIP("only the SpiderMonkey engine checks the calling thread");
        FoldFixture f;
        f.addLine(QStringLiteral("a|X|{}"));
        auto r = load(QStringLiteral("fromAll().when({X: (s, e) => { s.n = 1; }})"));
        QVERIFY(r);
        FoldResult res;
        std::thread t([&] { res = f.foldInto(*r); }); // loaded here, folded there: refused, not a crash
        t.join();
        QVERIFY(res.stopped());
        QVERIFY2(res.errors.constLast().message.contains(QLatin1String("thread other than the one that made it")),
                 qPrintable(res.errors.constLast().message));
        r->reset();
        QVERIFY(f.foldInto(*r).ok());
        QCOMPARE(compact(r->state()), QByteArray("{\"n\":1}"));
    }

    void restoreAndClone()
    {
        FoldFixture f;
        for (int i = 1; i <= 5; ++i)
            f.addLine(QStringLiteral("c-%1|X|{\"n\":%1}").arg(i % 2));
        auto r = load(QStringLiteral("fromAll().foreachStream().when({$init: () => ({n: 0}), X: (s, e) => { s.n += 1; }})"));
        QVERIFY(r);
        const auto ev = f.events();
        QVERIFY(r->fold(ev.data(), 3).ok());
        const QJsonValue mid = r->state();
        QCOMPARE(compact(mid), QByteArray("{\"c-0\":{\"n\":1},\"c-1\":{\"n\":2}}"));
        QVERIFY(r->fold(ev.data() + 3, 2).ok());
        const QJsonValue end = r->state();
        r->restore(mid);
        QCOMPARE(r->state(), mid);
        QVERIFY(r->fold(ev.data() + 3, 2).ok());
        QCOMPARE(r->state(), end);

        // A clone folds on another thread with its own engine.
        std::unique_ptr<Reducer> copy = r->clone();
        QJsonValue fromThread;
        std::thread t([&] {
            copy->fold(ev.data(), qsizetype(ev.size()));
            fromThread = copy->state();
            copy.reset(); // the engine dies on the thread that made it
        });
        t.join();
        QCOMPARE(fromThread, end);
    }
};

QTEST_GUILESS_MAIN(TestJsReducer)
#include "tst_jsreducer.moc"
