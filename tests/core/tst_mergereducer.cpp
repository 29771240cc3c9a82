#include "EngineTestSupport.h"
#include "fold/MergeReducer.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

#include <algorithm>
#include <random>

using namespace chronoscope;
using namespace chronoscope::engine;

class TestMergeReducer : public QObject
{
    Q_OBJECT

    static RecordedEvent event(const QByteArray &type, const QByteArray &data,
                               const QByteArray &contentType = "application/json")
    {
        RecordedEvent e;
        e.streamId = "s";
        e.type = type;
        e.contentType = contentType;
        e.data = data;
        return e;
    }
    static FoldResult foldAll(Reducer &r, const QList<RecordedEvent> &events)
    {
        std::vector<FoldEvent> fe;
        for (qsizetype i = 0; i < events.size(); ++i)
            fe.push_back(FoldEvent{&events.at(i), nullptr, quint64(i)});
        return r.fold(fe.data(), qsizetype(fe.size()));
    }
    static QJsonValue json(const QByteArray &text)
    {
        return QJsonDocument::fromJson("[" + text + "]").array().at(0);
    }

private Q_SLOTS:
    void rfc7386_data()
    {
        QTest::addColumn<QJsonValue>("original");
        QTest::addColumn<QByteArray>("patch");
        QTest::addColumn<QJsonValue>("expected");
        QFile f(QStringLiteral(CHRONOSCOPE_TEST_DATA "/merge_patch_rfc7386.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray rows = QJsonDocument::fromJson(f.readAll()).array();
        QVERIFY(rows.size() >= 15);
        for (const QJsonValue row : rows) {
            const QJsonObject o = row.toObject();
            const QJsonValue patch = o.value(QLatin1String("patch"));
            // The patch as JSON text: serialise it inside an array and strip the brackets.
            const QByteArray patchText =
                QJsonDocument(QJsonArray{patch}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
            QTest::addRow("%s", qPrintable(o.value(QLatin1String("name")).toString()))
                << o.value(QLatin1String("original")) << patchText << o.value(QLatin1String("result"));
        }
    }
    void rfc7386()
    {
        QFETCH(QJsonValue, original);
        QFETCH(QByteArray, patch);
        QFETCH(QJsonValue, expected);
        MergeReducer r;
        r.restore(QJsonObject{{QLatin1String("state"), original}});
        QCOMPARE(r.mergedState(), original);
        const FoldResult result = foldAll(r, {event("Patched", patch)});
        QVERIFY2(result.ok(), result.errors.isEmpty() ? "" : qPrintable(result.errors.first().message));
        QCOMPARE(r.mergedState(), expected);
    }

    void duplicateKeysLastWins_data()
    {
        QTest::addColumn<QByteArray>("original");
        QTest::addColumn<QByteArray>("patch");
        QTest::addColumn<QByteArray>("expected");
        QTest::addRow("scalar") << QByteArray("{}") << QByteArray(R"({"a":1,"a":2})") << QByteArray(R"({"a":2})");
        QTest::addRow("objects not merged together")
            << QByteArray(R"({"a":{"k":0}})") << QByteArray(R"({"a":{"x":1},"a":{"y":2}})")
            << QByteArray(R"({"a":{"k":0,"y":2}})");
        QTest::addRow("value then null") << QByteArray(R"({"a":0})") << QByteArray(R"({"a":1,"a":null})")
                                         << QByteArray("{}");
        QTest::addRow("null then value") << QByteArray(R"({"a":0})") << QByteArray(R"({"a":null,"a":1})")
                                         << QByteArray(R"({"a":1})");
        QTest::addRow("absent, null then object")
            << QByteArray("{}") << QByteArray(R"({"a":null,"a":{"b":null,"c":1}})") << QByteArray(R"({"a":{"c":1}})");
    }
    void duplicateKeysLastWins()
    {
        QFETCH(QByteArray, original);
        QFETCH(QByteArray, patch);
        QFETCH(QByteArray, expected);
        MergeReducer r;
        r.restore(QJsonObject{{QLatin1String("state"), json(original)}});
        QVERIFY(foldAll(r, {event("T", patch)}).ok());
        QCOMPARE(r.mergedState(), json(expected));
    }

    void largeObjectsUseTheIndex()
    {
        // Past 32 members objects get a hash index: keys must still be found, deleted and re-added.
        QByteArray add = "{", del = "{";
        for (int i = 0; i < 500; ++i)
            add += "\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i) + (i < 499 ? "," : "}");
        for (int i = 0; i < 250; ++i)
            del += "\"k" + QByteArray::number(i * 2) + "\":null" + (i < 249 ? "," : "}");
        MergeReducer r;
        const FoldResult result = foldAll(r, {event("A", add), event("D", del), event("A", R"({"k0":"back","k1":"one"})")});
        QVERIFY2(result.ok(), result.errors.isEmpty() ? "" : qPrintable(result.errors.first().message));
        const QJsonObject state = r.mergedState().toObject();
        QCOMPARE(state.size(), 251);
        QCOMPARE(state.value(QLatin1String("k0")).toString(), QStringLiteral("back"));
        QCOMPARE(state.value(QLatin1String("k1")).toString(), QStringLiteral("one"));
        QCOMPARE(state.value(QLatin1String("k499")).toInt(), 499);
        QVERIFY(!state.contains(QLatin1String("k498")));
    }

    void demoFoldMatchesReference()
    {
        const QList<RecordedEvent> events = enginetest::demoEvents(3000);
        MergeReducer r;
        QVERIFY(foldAll(r, events).ok());
        QCOMPARE(r.state(), enginetest::referenceState(events, events.size()));
        // Per-type counts against a count made here.
        QHash<QByteArray, int> counts;
        for (const RecordedEvent &e : events)
            ++counts[e.type];
        const QJsonObject c = r.state().toObject().value(QLatin1String("counts")).toObject();
        QCOMPARE(c.size(), counts.size());
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            QCOMPARE(c.value(QString::fromUtf8(it.key())).toInt(), it.value());
        // restore(state()) then folding more equals folding straight through.
        MergeReducer a, b;
        QVERIFY(foldAll(a, events.mid(0, 1500)).ok());
        b.restore(a.state());
        QVERIFY(foldAll(b, events.mid(1500)).ok());
        QCOMPARE(b.state(), r.state());
        r.reset();
        QCOMPARE(r.state(), enginetest::referenceState(events, 0));
    }

    void perTypeCountsWithManyTypes()
    {
        // Type t appears t+1 times, interleaved, across more types than the linear lookup handles.
        QList<RecordedEvent> events;
        for (int round = 0; round < 40; ++round)
            for (int t = round; t < 40; ++t)
                events.append(event("Type" + QByteArray::number(t), R"({"t":1})"));
        MergeReducer r;
        QVERIFY(foldAll(r, events).ok());
        QJsonObject counts = r.state().toObject().value(QLatin1String("counts")).toObject();
        QCOMPARE(counts.size(), 40);
        for (int t = 0; t < 40; ++t)
            QCOMPARE(counts.value(QStringLiteral("Type%1").arg(t)).toInt(), t + 1);
        // Restored counts go on counting.
        MergeReducer again;
        again.restore(r.state());
        QVERIFY(foldAll(again, {event("Type3", "{}"), event("New", "{}")}).ok());
        counts = again.state().toObject().value(QLatin1String("counts")).toObject();
        QCOMPARE(counts.value(QLatin1String("Type3")).toInt(), 5);
        QCOMPARE(counts.value(QLatin1String("New")).toInt(), 1);
        QCOMPARE(again.state().toObject().value(QLatin1String("events")).toInt(), events.size() + 2);
    }

    void randomPatchesMatchTheReference()
    {
        // Patches of a few recurring shapes (keys in a fixed order, as event types have) mixed with shuffled
        // ones, deletions, nested objects and keys of every length class the key compare treats apart, over
        // enough keys for the root to get its hash index, 40 event types: the state (merged payloads and
        // per-type counts) equals the reference fold's after every batch.
        std::mt19937 rng(7);
        QList<QByteArray> keys{"",
                               "a",
                               "ab",
                               "abc",
                               "abcd",
                               "key5x",
                               "seven7x",
                               "eightkey",
                               "nine_keys",
                               "k_1",
                               "k_10",
                               "k_100",
                               "abcdefgh1ijklmnop",
                               "abcdefgh2ijklmnop",
                               "same-prefix-and-suffix-A-same-prefix-and-suffix",
                               "same-prefix-and-suffix-B-same-prefix-and-suffix",
                               "sixteen_bytes_ab",
                               "sixteen_bytes_ac",
                               "fifteen_bytes_a"};
        for (int i = 0; keys.size() < 48; ++i)
            keys.append("field" + QByteArray::number(i));
        auto pick = [&](int n) { return int(rng() % unsigned(n)); };
        auto value = [&](int depth, auto &&self) -> QByteArray {
            switch (pick(depth > 1 ? 4 : 6)) {
            case 0: return QByteArray::number(pick(1000) - 500);
            case 1: return "\"" + QByteArray(pick(40), char('a' + pick(26))) + "\"";
            case 2: return "null";
            case 3: return "[1,{\"x\":null}]";
            default: {
                QList<QByteArray> nested = keys.mid(0, 6);
                std::shuffle(nested.begin(), nested.end(), rng);
                QByteArray o = "{";
                for (int i = 0, n = 1 + pick(4); i < n; ++i)
                    o += (i ? ",\"" : "\"") + nested.at(i) + "\":" + self(depth + 1, self);
                return o + "}";
            }
            }
        };
        QList<QList<QByteArray>> shapes;
        for (int s = 0; s < 8; ++s) {
            QList<QByteArray> shape = keys;
            std::shuffle(shape.begin(), shape.end(), rng);
            shapes.append(shape.mid(0, 4 + pick(10)));
        }
        QList<RecordedEvent> events;
        MergeReducer r;
        qsizetype folded = 0;
        for (int n = 0; n < 3000; ++n) {
            QList<QByteArray> patchKeys = shapes.at(pick(shapes.size()));
            if (pick(5) == 0) {
                patchKeys = keys;
                std::shuffle(patchKeys.begin(), patchKeys.end(), rng);
                patchKeys = patchKeys.mid(0, 1 + pick(20));
            }
            QByteArray patch = "{";
            for (const QByteArray &k : patchKeys)
                patch += (patch.size() > 1 ? ",\"" : "\"") + k + "\":" + value(0, value);
            events.append(event("Type" + QByteArray::number(pick(40)), patch + "}"));
            if (events.size() % 250 == 0) {
                const QList<RecordedEvent> batch = events.mid(folded);
                std::vector<FoldEvent> fe;
                for (qsizetype i = 0; i < batch.size(); ++i)
                    fe.push_back(FoldEvent{&batch.at(i), nullptr, quint64(folded + i)});
                QVERIFY(r.fold(fe.data(), qsizetype(fe.size())).ok());
                folded = events.size();
                QCOMPARE(r.state(), enginetest::referenceState(events, events.size()));
            }
        }
        QCOMPARE(r.state().toObject().value(QLatin1String("counts")).toObject().size(), 40);
    }

    void badPayloads_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("problem");
        const QByteArray json = "application/json";
        QTest::addRow("binary content type") << QByteArray("application/octet-stream") << QByteArray("\x00\x01\x02", 3)
                                             << QStringLiteral("is not JSON");
        QTest::addRow("binary bytes as JSON") << json << QByteArray("\x00\x01\x02", 3) << QStringLiteral("not valid JSON");
        QTest::addRow("invalid UTF-8") << json << QByteArray("{\"a\":\"\xff\xfe\"}") << QStringLiteral("UTF-8");
        QTest::addRow("truncated") << json << QByteArray(R"({"a":[1,2,{"b":)") << QStringLiteral("not valid JSON");
        QTest::addRow("empty") << json << QByteArray() << QStringLiteral("empty");
        QTest::addRow("not JSON text") << json << QByteArray("hello") << QStringLiteral("not valid JSON");
        QTest::addRow("deep arrays") << json << (QByteArray(10000, '[') + QByteArray(10000, ']'))
                                     << QStringLiteral("deeper than 1024");
        QByteArray deepObjects;
        for (int i = 0; i < 10000; ++i)
            deepObjects += "{\"a\":";
        deepObjects += "1" + QByteArray(10000, '}');
        QTest::addRow("deep objects") << json << deepObjects << QStringLiteral("deeper than 1024");
        QTest::addRow("integer beyond 64 bits") << json << QByteArray(R"({"a":123456789012345678901234567890})")
                                                << QStringLiteral("beyond 64 bits");
        QTest::addRow("16 MB truncated") << json << ("{\"big\":\"" + QByteArray(16 << 20, 'x'))
                                         << QStringLiteral("not valid JSON");
    }
    void badPayloads()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, data);
        QFETCH(QString, problem);
        MergeReducer r;
        const QList<RecordedEvent> events{event("Good", R"({"a":1})"), event("Bad", data, contentType),
                                          event("Good", R"({"b":2})")};
        const FoldResult result = foldAll(r, events);
        QCOMPARE(result.folded, quint64(3));
        QCOMPARE(result.errors.size(), 1);
        QVERIFY(!result.stopped());
        QCOMPARE(result.errors.first().index, quint64(1));
        QVERIFY2(result.errors.first().message.contains(problem), qPrintable(result.errors.first().message));
        QVERIFY(result.errors.first().message.startsWith(QLatin1String("Bad at 1:")));
        const QJsonObject s = r.state().toObject();
        QCOMPARE(s.value(QLatin1String("state")), json(R"({"a":1,"b":2})"));
        QCOMPARE(s.value(QLatin1String("counts")), json(R"({"Good":2,"Bad":1})"));
        QCOMPARE(s.value(QLatin1String("unmerged")).toInt(), 1);
    }

    void nestingJustUnderTheLimitMerges()
    {
        QByteArray deep;
        for (int i = 0; i < 1000; ++i)
            deep += "{\"a\":";
        deep += "1" + QByteArray(1000, '}');
        MergeReducer r;
        QVERIFY(foldAll(r, {event("Deep", deep), event("Deep", deep)}).ok());
        QJsonValue v = r.mergedState();
        int depth = 0;
        while (v.isObject()) {
            v = v.toObject().value(QLatin1String("a"));
            ++depth;
        }
        QCOMPARE(depth, 1000);
        QCOMPARE(v.toInt(), 1);
        MergeReducer copy;
        copy.restore(r.state());
        QCOMPARE(copy.state(), r.state());
    }

    void sixteenMegabytePayloadMerges()
    {
        MergeReducer r;
        const QByteArray big(16 << 20, 'y');
        QVERIFY(foldAll(r, {event("Big", "{\"big\":\"" + big + "\",\"n\":1}")}).ok());
        QCOMPARE(r.mergedState().toObject().value(QLatin1String("big")).toString().size(), big.size());
    }
};

QTEST_GUILESS_MAIN(TestMergeReducer)
#include "tst_mergereducer.moc"
