#include "FoldFixture.h"
#include "demo/DemoHistory.h"
#include "script/ReducerFile.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <map>

using namespace chronoscope;
using namespace chronoscope::engine;
using chronoscope::test::FoldFixture;

namespace {

const QString kData = QStringLiteral(CHRONOSCOPE_TEST_DATA "/reducers/");
const QString kDemo = QStringLiteral(CHRONOSCOPE_TEST_DATA "/../../resources/reducers/demo-orders.reducer.json");

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestReducerFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");

        QTest::newRow("not JSON") << QByteArray("{\n\"name\": \"x\",\n\"kind\": }") << QString() << -1 << QStringLiteral("not valid JSON at line 3");
        QTest::newRow("not an object") << QByteArray("[1]") << QString() << -1 << QStringLiteral("top level must be an object");
        QTest::newRow("format") << QByteArray(R"J({"format":"other/2","name":"x","kind":"merge"})J") << QStringLiteral("format") << -1
                                << QStringLiteral("unsupported format");
        QTest::newRow("no name") << QByteArray(R"J({"kind":"merge"})J") << QStringLiteral("name") << -1 << QStringLiteral("missing");
        QTest::newRow("bad kind") << QByteArray(R"J({"name":"x","kind":"magic"})J") << QStringLiteral("kind") << -1
                                  << QStringLiteral("\"merge\" or \"javascript\"");
        QTest::newRow("appliesTo type") << QByteArray(R"J({"name":"x","kind":"merge","appliesTo":5})J") << QStringLiteral("appliesTo") << -1
                                        << QStringLiteral("stream pattern");
        QTest::newRow("no projection") << QByteArray(R"J({"name":"x","kind":"javascript"})J") << QStringLiteral("projection") << -1
                                       << QStringLiteral("needs \"projection\"");
        QTest::newRow("projection file missing") << QByteArray(R"J({"name":"x","kind":"javascript","projectionFile":"nope.js"})J")
                                                 << QStringLiteral("projectionFile") << -1 << QStringLiteral("cannot read \"nope.js\"");
        QTest::newRow("projection syntax, line 2")
            << QByteArray(R"J({"name":"x","kind":"javascript","projection":["fromAll()", "  .when({X: (s, e) => { s.n = ; }})"]})J")
            << QStringLiteral("projection") << 2 << QStringLiteral("SyntaxError");
        QTest::newRow("projection throws, line 3")
            << QByteArray(R"J({"name":"x","kind":"javascript","projection":["var a;", "", "a.b.c = 1;", "fromAll().when({})"]})J")
            << QStringLiteral("projection") << 3 << QStringLiteral("TypeError");
        QTest::newRow("projection not a string") << QByteArray(R"J({"name":"x","kind":"javascript","projection":42})J")
                                                 << QStringLiteral("projection") << -1 << QStringLiteral("string or an array of lines");
        QTest::newRow("merge with projection") << QByteArray(R"J({"name":"x","kind":"merge","projection":"fromAll()"})J")
                                               << QStringLiteral("projection") << -1 << QStringLiteral("no projection source");
        QTest::newRow("upcaster without type") << QByteArray(R"J({"name":"x","kind":"merge","upcasters":[{"version":1,"function":"d => d"}]})J")
                                               << QStringLiteral("upcasters[0].eventType") << -1 << QStringLiteral("missing");
        QTest::newRow("upcaster without version") << QByteArray(R"J({"name":"x","kind":"merge","upcasters":[{"eventType":"A","function":"d => d"}]})J")
                                                  << QStringLiteral("upcasters[0].version") << -1 << QStringLiteral("not a number");
        QTest::newRow("upcaster going down") << QByteArray(R"J({"name":"x","kind":"merge","upcasters":[{"eventType":"A","version":2,"toVersion":1,"function":"d => d"}]})J")
                                             << QStringLiteral("upcasters[0].toVersion") << -1 << QStringLiteral("greater than version");
        QTest::newRow("upcaster versionFrom") << QByteArray(R"J({"name":"x","kind":"merge","upcasters":[{"eventType":"A","version":1,"versionFrom":"header.v","function":"d => d"}]})J")
                                              << QStringLiteral("upcasters[0].versionFrom") << -1 << QStringLiteral("\"metadata.\"");
        QTest::newRow("upcaster syntax, line 3 (merge kind)")
            << QByteArray(R"J({"name":"x","kind":"merge","upcasters":[{"eventType":"A","version":1,"function":["function (d) {", "  var x = 1;", "  return d +;", "}"]}]})J")
            << QStringLiteral("upcasters[0].function") << 3 << QStringLiteral("SyntaxError");
        QTest::newRow("upcaster syntax, line 2 (javascript kind)")
            << QByteArray(R"J({"name":"x","kind":"javascript","projection":"fromAll().when({})","upcasters":[{"eventType":"A","version":1,"function":["function (d) {", "  return d +;", "}"]}]})J")
            << QStringLiteral("upcasters[0].function") << 2 << QStringLiteral("SyntaxError");
        QTest::newRow("invariant syntax, line 2")
            << QByteArray(R"J({"name":"x","kind":"javascript","projection":"fromAll().when({})","invariants":[{"name":"i","function":["function (s) {", "  return s.;", "}"]}]})J")
            << QStringLiteral("invariants[0].function") << 2 << QStringLiteral("SyntaxError");
        QTest::newRow("invariant not a function")
            << QByteArray(R"J({"name":"x","kind":"javascript","projection":"fromAll().when({})","invariants":[{"name":"i","function":"42"}]})J")
            << QStringLiteral("invariants[0].function") << -1 << QStringLiteral("not a function");
        QTest::newRow("invariants with merge") << QByteArray(R"J({"name":"x","kind":"merge","invariants":[{"name":"i","function":"s => true"}]})J")
                                               << QStringLiteral("invariants") << -1 << QStringLiteral("need kind \"javascript\"");
        QTest::newRow("schema not an object") << QByteArray(R"J({"name":"x","kind":"merge","schemas":{"A":[]}})J")
                                              << QStringLiteral("schemas.A") << -1 << QStringLiteral("schema object");
        QTest::newRow("schema bad type") << QByteArray(
            R"J({"name":"x","kind":"merge","schemas":{"A":{"properties":{"n":{"type":"int"}}}}})J")
                                         << QStringLiteral("schemas.A") << -1
                                         << QStringLiteral("/properties/n/type: unknown type \"int\"");
        QTest::newRow("schema bad minimum")
            << QByteArray(R"J({"name":"x","kind":"merge","schemas":{"A":{"minimum":"0"}}})J")
            << QStringLiteral("schemas.A") << -1 << QStringLiteral("/minimum: must be a number");
        QTest::newRow("schema unknown keyword")
            << QByteArray(R"J({"name":"x","kind":"merge","schemas":{"A":{"properties":{"n":{"minimun":0}}}}})J")
            << QStringLiteral("schemas.A") << -1
            << QStringLiteral("/properties/n/minimun: unknown keyword \"minimun\" (did you mean \"minimum\"?)");
        QTest::newRow("schema remote $ref")
            << QByteArray(
                   "{\"name\":\"x\",\"kind\":\"merge\",\"schemas\":{\"A\":{\"$ref\":\"https://example.com/a.json\"}}}")
            << QStringLiteral("schemas.A") << -1 << QStringLiteral("/$ref: remote $ref is not supported");
        QTest::newRow("schema format not checked")
            << QByteArray(R"J({"name":"x","kind":"merge","schemas":{"A":{"format":"uri"}}})J")
            << QStringLiteral("schemas.A") << -1 << QStringLiteral("/format: format \"uri\" is not supported");
        QTest::newRow("schema keyword beside $ref")
            << QByteArray("{\"name\":\"x\",\"kind\":\"merge\",\"schemas\":{\"A\":{\"definitions\":{\"m\":{}},"
                          "\"properties\":{\"a\":{\"$ref\":\"#/definitions/m\",\"minimum\":0}}}}}")
            << QStringLiteral("schemas.A") << -1
            << QStringLiteral(
                   "/properties/a/minimum: is ignored: in draft-07 \"$ref\" replaces every keyword beside it");
        QTest::newRow("bad time limit") << QByteArray(R"J({"name":"x","kind":"merge","limits":{"timeLimitMs":0}})J")
                                        << QStringLiteral("limits.timeLimitMs") << -1 << QStringLiteral("positive");
        QTest::newRow("unknown engine") << QByteArray(R"J({"name":"x","kind":"javascript","engine":"v8","projection":"fromAll().when({})"})J")
                                        << QStringLiteral("engine") << -1 << QStringLiteral("must be \"default\"");
        QTest::newRow("engine not a string") << QByteArray(R"J({"name":"x","kind":"javascript","engine":1,"projection":"fromAll().when({})"})J")
                                             << QStringLiteral("engine") << -1 << QStringLiteral("spidermonkey");
    }

    void engineChoice_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<JsEngineKind>("expected");
        QTest::newRow("absent") << QString() << (ProjectionEngine::isAvailable(JsEngineKind::SpiderMonkey) ? JsEngineKind::SpiderMonkey
                                                                                                          : JsEngineKind::QJSEngine);
        QTest::newRow("qjsengine") << QStringLiteral("qjsengine") << JsEngineKind::QJSEngine;
        if (ProjectionEngine::isAvailable(JsEngineKind::SpiderMonkey))
            QTest::newRow("spidermonkey") << QStringLiteral("SpiderMonkey") << JsEngineKind::SpiderMonkey;
    }

    void engineChoice()
    {
        QFETCH(QString, engine);
        QFETCH(JsEngineKind, expected);
        const QByteArray json = "{\"name\":\"x\",\"kind\":\"javascript\","
            + (engine.isEmpty() ? QByteArray() : "\"engine\":\"" + engine.toUtf8() + "\",")
            + "\"projection\":\"fromAll().when({$any: (s, e) => { s.n = (s.n || 0) + 1; }})\"}";
        ReducerFile::LoadError error;
        const auto file = ReducerFile::parse(json, kData + QStringLiteral("inline.reducer.json"), &error);
        QVERIFY2(file, qPrintable(error.toString()));
        auto reducer = file->createReducer(&error);
        auto *js = dynamic_cast<JsReducer *>(reducer.get());
        QVERIFY(js);
        QCOMPARE(js->engineKind(), expected);
        FoldFixture f;
        f.addLine(QStringLiteral("a|X|{}"));
        f.addLine(QStringLiteral("a|Y|{}"));
        QVERIFY(f.foldInto(*reducer).ok());
        QCOMPARE(reducer->state().toObject().value(QLatin1String("n")).toInt(), 2);
    }

    void loadErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        QFETCH(int, line);
        QFETCH(QString, message);
        ReducerFile::LoadError error;
        const QString path = kData + QStringLiteral("inline.reducer.json");
        QVERIFY(!ReducerFile::parse(json, path, &error));
        QCOMPARE(error.file, path);
        QCOMPARE(error.field, field);
        QCOMPARE(error.line, line);
        QVERIFY2(error.message.contains(message), qPrintable(error.toString()));
        QVERIFY(error.toString().startsWith(path));
    }

    void projectionFileErrors()
    {
        ReducerFile::LoadError error;
        QVERIFY(!ReducerFile::load(kData + QStringLiteral("broken-projection.reducer.json"), &error));
        QCOMPARE(error.field, QStringLiteral("projectionFile"));
        QCOMPARE(error.line, 3);
        QVERIFY(!ReducerFile::load(kData + QStringLiteral("missing.reducer.json"), &error));
        QVERIFY(error.message.contains(QLatin1String("cannot read")));
    }

    void projectionFileAndGlobs()
    {
        ReducerFile::LoadError error;
        const auto file = ReducerFile::load(kData + QStringLiteral("counter.reducer.json"), &error);
        QVERIFY2(file, qPrintable(error.toString()));
        QCOMPARE(file->kind(), ReducerFile::Kind::JavaScript);
        QVERIFY(file->appliesToStream("order-1"));
        QVERIFY(file->appliesToStream("order-a/b"));
        QVERIFY(!file->appliesToStream("orders"));
        QVERIFY(!file->appliesToStream("payment-1"));
        auto reducer = file->createReducer(&error);
        QVERIFY(reducer);
        FoldFixture f;
        f.addLine(QStringLiteral("order-1|A|{}"));
        f.addLine(QStringLiteral("payment-1|A|{}"));
        f.addLine(QStringLiteral("order-2|B|{}"));
        QVERIFY(f.foldInto(*reducer).ok());
        QCOMPARE(reducer->state().toObject().value(QLatin1String("count")).toInt(), 2);
    }

    void mergeKindUsesFactory()
    {
        ReducerFile::LoadError error;
        const auto file = ReducerFile::load(kData + QStringLiteral("merge-with-upcaster.reducer.json"), &error);
        QVERIFY2(file, qPrintable(error.toString()));
        QCOMPARE(file->kind(), ReducerFile::Kind::Merge);
        QCOMPARE(file->arrayIdKey(), QStringLiteral("lineId"));
        QVERIFY(!file->createReducer(&error)); // no factory: a clear error, no crash
        QCOMPARE(error.field, QStringLiteral("kind"));
        bool built = false;
        auto reducer = file->createReducer(&error, [&] {
            built = true;
            JsReducerOptions o; // stands in for MergeReducer
            o.source = QStringLiteral("fromAll().when({$any: (s, e) => { s.n = (s.n || 0) + 1; }})J");
            ScriptError se;
            return std::unique_ptr<Reducer>(JsReducer::create(o, &se));
        });
        QVERIFY(built);
        QVERIFY(dynamic_cast<UpcastingReducer *>(reducer.get())); // upcasters wrap the merge reducer
    }

    void schema_data()
    {
        QTest::addColumn<QByteArray>("schema");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QStringList>("errors");
        const QByteArray s = R"J({"type":"object","required":["id","n"],"properties":{
            "id":{"type":"string","minLength":2},"n":{"type":"integer","minimum":1,"maximum":9},
            "kind":{"enum":["a","b"]},"tags":{"type":"array","maxItems":2,"items":{"type":"string"}},
            "x":{"type":["number","null"]}}})J";
        QTest::newRow("valid") << s << QByteArray(R"J({"id":"ab","n":3,"kind":"a","tags":["t"],"x":null})J") << QStringList();
        QTest::newRow("missing") << s << QByteArray(R"J({"id":"ab"})J")
                                 << QStringList{QStringLiteral("/n: is required")};
        QTest::newRow("type") << s << QByteArray(R"J({"id":5,"n":1.5})J")
                              << QStringList{QStringLiteral("/id: must be a string, not the number 5"),
                                             QStringLiteral("/n: must be a whole number, not the number 1.5")};
        QTest::newRow("range") << s << QByteArray(R"J({"id":"ab","n":10})J")
                               << QStringList{QStringLiteral("/n: must be at most 9 (it is 10)")};
        QTest::newRow("enum and items") << s << QByteArray(R"J({"id":"a","n":1,"kind":"c","tags":["t",1,"u"]})J")
                                        << QStringList{QStringLiteral(
                                                           "/id: must be at least 2 characters long (it has 1)"),
                                                       QStringLiteral("/kind: must be one of \"a\", \"b\""),
                                                       QStringLiteral("/tags: must have at most 2 items (it has 3)"),
                                                       QStringLiteral("/tags/1: must be a string, not the number 1")};
        // Keywords the former subset ignored silently now check.
        QTest::newRow("pattern") << QByteArray(R"J({"properties":{"currency":{"pattern":"^[A-Z]{3}$"}}})J")
                                 << QByteArray(R"J({"currency":"eur"})J")
                                 << QStringList{QStringLiteral("/currency: must match pattern ^[A-Z]{3}$")};
        QTest::newRow("oneOf")
            << QByteArray(R"J({"properties":{"v":{"oneOf":[{"type":"string"},{"type":"integer"}]}}})J")
            << QByteArray(R"J({"v":true})J")
            << QStringList{QStringLiteral(
                   "/v: must match exactly one of the 2 alternatives (oneOf), but matches none: "
                   "alternative 1: must be a string, not true; alternative 2: must be a whole number, not true")};
        QTest::newRow("not JSON") << s << QByteArray("{\"id\":")
                                  << QStringList{QStringLiteral("(root): is not valid JSON (")};
        QTest::newRow("top type") << s << QByteArray("[1]")
                                  << QStringList{QStringLiteral("(root): must be an object, not an array")};
    }

    void schema()
    {
        QFETCH(QByteArray, schema);
        QFETCH(QByteArray, data);
        QFETCH(QStringList, errors);
        ReducerFile::LoadError error;
        const auto file = ReducerFile::parse("{\"name\":\"s\",\"kind\":\"merge\",\"schemas\":{\"T\":" + schema + "}}", QStringLiteral("s.json"), &error);
        QVERIFY2(file, qPrintable(error.toString()));
        RecordedEvent e;
        e.type = "T";
        e.data = data;
        QStringList got = file->validatePayload(e);
        if (!errors.isEmpty() && errors.constFirst().endsWith(QLatin1Char('('))) {
            QCOMPARE(got.size(), 1);
            QVERIFY(got.constFirst().startsWith(errors.constFirst()));
            return;
        }
        got.sort();
        errors.sort();
        QCOMPARE(got, errors);
        e.type = "Unknown";
        QVERIFY(file->validatePayload(e).isEmpty());
    }

    void checkPayload()
    {
        ReducerFile::LoadError error;
        const auto file = ReducerFile::load(kDemo, &error);
        QVERIFY2(file, qPrintable(error.toString()));
        RecordedEvent e;
        e.type = "PaymentProcessed";
        e.data = R"J({"paymentId":"p-1","orderId":"o-1","amount":-5,"currency":"EUR"})J";
        const JsonSchemaResult r = file->checkPayload(e);
        QCOMPARE(r.issues.size(), 1);
        QCOMPARE(r.issues.constFirst().pointer, QStringLiteral("/amount"));
        QCOMPARE(r.issues.constFirst().keyword, QStringLiteral("minimum"));
        QCOMPARE(r.issues.constFirst().message, QStringLiteral("must be at least 0 (it is -5)"));
        QCOMPARE(r.issues.constFirst().severity, JsonSchemaSeverity::Error);
        QCOMPARE(file->validatePayload(e), QStringList{QStringLiteral("/amount: must be at least 0 (it is -5)")});
        e.type = "Unknown";
        QVERIFY(file->checkPayload(e).issues.isEmpty());
    }

    void demoReducer()
    {
        ReducerFile::LoadError error;
        const auto file = ReducerFile::load(kDemo, &error);
        QVERIFY2(file, qPrintable(error.toString()));
        QCOMPARE(file->name(), QStringLiteral("demo-orders"));
        QCOMPARE(file->upcasters().size(), 1);
        QCOMPARE(file->invariants().size(), 2); // one charge per order; refunds never exceed what was paid
        auto reducer = file->createReducer(&error);
        QVERIFY2(reducer, qPrintable(error.toString()));

        FoldFixture f;
        DemoHistory::Options o;
        o.eventCount = 40000;
        DemoHistory(o).generate([&](const DemoEvent &d) {
            f.add(d.stream, d.type, d.data, d.metadata);
            return true;
        });

        // Expected values computed from the raw events, independently of the reducer.
        struct Order
        {
            QString status = QStringLiteral("placed"), currency, channel;
            qint64 total = 0, paid = 0, refunded = 0;
            int charges = 0;
        };
        std::map<QString, Order> orders;
        QList<quint64> doubleChargeEvents;
        int v1 = 0, v2 = 0, schemaFailuresRaw = 0;
        const auto &records = f.records();
        for (size_t i = 0; i < records.size(); ++i) {
            const RecordedEvent &e = records[i];
            const QJsonObject d = object(e.data);
            const QString id = d.value(QLatin1String("orderId")).toString();
            if (e.type == "OrderPlaced") {
                Order o;
                const bool isV2 = object(e.metadata).value(QLatin1String("schemaVersion")).toInt(1) == 2;
                (isV2 ? v2 : v1)++;
                o.currency = isV2 ? d.value(QLatin1String("total")).toObject().value(QLatin1String("currency")).toString()
                                  : d.value(QLatin1String("currency")).toString();
                o.channel = isV2 ? d.value(QLatin1String("channel")).toString() : QStringLiteral("unknown");
                o.total = isV2 ? d.value(QLatin1String("total")).toObject().value(QLatin1String("amount")).toInteger()
                               : qRound64(d.value(QLatin1String("total")).toDouble() * 100);
                orders[id] = o;
                if (!file->validatePayload(e).isEmpty())
                    ++schemaFailuresRaw; // v1 payloads do not match the v2 schema before upcasting
            } else if (e.type == "ItemAdded") {
                orders[id].total += d.value(QLatin1String("quantity")).toInteger() * d.value(QLatin1String("unitPrice")).toInteger();
            } else if (e.type == "ItemRemoved") {
                orders[id].total -= d.value(QLatin1String("quantity")).toInteger() * d.value(QLatin1String("unitPrice")).toInteger();
            } else if (e.type == "OrderConfirmed") {
                orders[id].status = QStringLiteral("confirmed");
            } else if (e.type == "OrderCancelled") {
                orders[id].status = QStringLiteral("cancelled");
            } else if (e.type == "OrderShipped") {
                orders[id].status = QStringLiteral("shipped");
            } else if (e.type == "PaymentProcessed") {
                Order &o = orders[id];
                o.paid += d.value(QLatin1String("amount")).toInteger();
                if (++o.charges > 1)
                    doubleChargeEvents.append(quint64(i));
            } else if (e.type == "PaymentRefunded") {
                orders[id].paid -= d.value(QLatin1String("amount")).toInteger();
                orders[id].refunded += d.value(QLatin1String("amount")).toInteger();
                QVERIFY2(file->validatePayload(e).isEmpty(),
                         qPrintable(file->validatePayload(e).join(QLatin1Char(';'))));
            }
        }
        QVERIFY(v1 > 0 && v2 > 0);
        QVERIFY(!doubleChargeEvents.isEmpty()); // the incident day is in the history
        QCOMPARE(schemaFailuresRaw, v1);

        const FoldResult res = f.foldInto(*reducer);
        QCOMPARE(res.folded, quint64(records.size()));
        // Every error is the invariant flagging a double charge, exactly at those events.
        QList<quint64> flagged;
        for (const FoldError &e : res.errors) {
            QVERIFY2(!e.fatal && e.message.contains(QLatin1String("invariant \"one charge per order\"")), qPrintable(e.message));
            QVERIFY(e.message.contains(QLatin1String("charged 2 times")));
            flagged.append(e.index);
        }
        QCOMPARE(flagged, doubleChargeEvents);

        const QJsonObject state = reducer->state().toObject();
        const QJsonObject got = state.value(QLatin1String("orders")).toObject();
        QCOMPARE(got.size(), qsizetype(orders.size()));
        int mismatches = 0;
        for (const auto &[id, o] : orders) {
            const QJsonObject g = got.value(id).toObject();
            if (g.value(QLatin1String("status")).toString() != o.status
                || g.value(QLatin1String("total")).toInteger() != o.total
                || g.value(QLatin1String("paid")).toInteger() != o.paid
                || g.value(QLatin1String("refunded")).toInteger() != o.refunded
                || g.value(QLatin1String("charges")).toInt() != o.charges
                || g.value(QLatin1String("currency")).toString() != o.currency
                || g.value(QLatin1String("channel")).toString() != o.channel) {
                if (++mismatches < 3)
                    qWarning("%s: %s", qPrintable(id), QJsonDocument(g).toJson(QJsonDocument::Compact).constData());
            }
        }
        QCOMPARE(mismatches, 0);
        QCOMPARE(state.value(QLatin1String("totals")).toObject().value(QLatin1String("doubleCharged")).toInt(),
                 int(std::count_if(orders.begin(), orders.end(), [](const auto &p) { return p.second.charges > 1; })));
    }
};

QTEST_GUILESS_MAIN(TestReducerFile)
#include "tst_reducerfile.moc"
