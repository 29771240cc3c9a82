#include "payload/PayloadDecoder.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::engine;

using Kind = DecodedPayload::Kind;
using Problem = DecodedPayload::Problem;

namespace {

QByteArray readBad(const QString &name)
{
    QFile f(QStringLiteral(CHRONOSCOPE_TEST_DATA "/bad-payloads/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return f.readAll();
}

QByteArray nested(int depth, const QByteArray &open, const QByteArray &close, const QByteArray &inner = "1")
{
    return open.repeated(depth) + inner + close.repeated(depth);
}

} // namespace

class TestPayloadDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<Problem>("problem");
        QTest::addColumn<qsizetype>("offset"); // -2: "the payload size"
        QTest::addColumn<QString>("mentions");
        const QByteArray json = "application/json";
        QTest::addRow("empty") << "empty.json" << json << Kind::Invalid << Problem::Empty << qsizetype(-1) << "empty payload";
        QTest::addRow("whitespace") << "whitespace.json" << json << Kind::Invalid << Problem::Empty << qsizetype(-1) << "only whitespace";
        QTest::addRow("truncated object") << "truncated-object.json" << json << Kind::Invalid << Problem::Truncated << qsizetype(-2) << "truncated JSON";
        QTest::addRow("truncated string") << "truncated-string.json" << json << Kind::Invalid << Problem::Truncated << qsizetype(-2) << "truncated JSON";
        QTest::addRow("truncated after key") << "truncated-after-key.json" << json << Kind::Invalid << Problem::Truncated << qsizetype(-2) << "ends at byte 11";
        QTest::addRow("invalid utf-8") << "invalid-utf8.json" << json << Kind::Invalid << Problem::InvalidUtf8 << qsizetype(7) << "invalid UTF-8 at byte offset 7 (bytes FF)";
        QTest::addRow("overlong utf-8") << "overlong-utf8.json" << json << Kind::Invalid << Problem::InvalidUtf8 << qsizetype(6) << "offset 6 (bytes C0 AF)";
        QTest::addRow("utf-8 surrogate") << "utf8-surrogate.json" << json << Kind::Invalid << Problem::InvalidUtf8 << qsizetype(2) << "offset 2 (bytes ED A0 80)";
        QTest::addRow("utf-8 cut at end") << "utf8-cut-at-end.json" << json << Kind::Invalid << Problem::InvalidUtf8 << qsizetype(4) << "(bytes C3)";
        // Qt's parser stops just past the second comma (byte 7), and says so: offset 8.
        QTest::addRow("syntax error") << "syntax-error.json" << json << Kind::Invalid << Problem::Syntax << qsizetype(8) << "invalid JSON at byte offset 8";
        QTest::addRow("garbage after") << "garbage-after.json" << json << Kind::Invalid << Problem::Syntax << qsizetype(8) << "garbage";
        QTest::addRow("scalar then more") << "scalar-then-more.json" << json << Kind::Invalid << Problem::Syntax << qsizetype(2) << "after the top-level value";
        QTest::addRow("starts with ]") << "starts-with-bracket.json" << json << Kind::Invalid << Problem::Syntax << qsizetype(0) << "unexpected ']'";
        // "tru": the parser gives up after the 't' (offset 1), before the end, so it is not called truncated.
        QTest::addRow("bad literal") << "bad-literal.json" << json << Kind::Invalid << Problem::Syntax << qsizetype(1) << "illegal value";
        QTest::addRow("scalar number") << "scalar-number.json" << json << Kind::Json << Problem::None << qsizetype(-1) << "";
        QTest::addRow("scalar string") << "scalar-string.json" << json << Kind::Json << Problem::None << qsizetype(-1) << "";
        QTest::addRow("scalar null") << "scalar-null.json" << json << Kind::Json << Problem::None << qsizetype(-1) << "";
        QTest::addRow("byte order mark") << "bom.json" << json << Kind::Json << Problem::None << qsizetype(-1) << "";
        QTest::addRow("charset parameter") << "bom.json" << QByteArray("application/json; charset=utf-8") << Kind::Json << Problem::None << qsizetype(-1) << "";
        QTest::addRow("+json type") << "scalar-null.json" << QByteArray("application/vnd.orders+json") << Kind::Json << Problem::None << qsizetype(-1) << "";
        QTest::addRow("binary") << "binary.bin" << QByteArray("application/octet-stream") << Kind::Binary << Problem::None << qsizetype(-1) << "40 bytes";
        QTest::addRow("json bytes, binary type") << "scalar-null.json" << QByteArray("application/octet-stream") << Kind::Binary << Problem::None << qsizetype(-1) << "4 bytes";
        QTest::addRow("no content type") << "bom.json" << QByteArray() << Kind::Binary << Problem::None << qsizetype(-1) << "no content type";
    }
    void fixtures()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, contentType);
        QFETCH(Kind, kind);
        QFETCH(Problem, problem);
        QFETCH(qsizetype, offset);
        QFETCH(QString, mentions);
        RecordedEvent e;
        e.data = readBad(file);
        e.contentType = contentType;
        const DecodedPayload p = decodePayload(e);
        QCOMPARE(p.kind, kind);
        QCOMPARE(p.problem, problem);
        QCOMPARE(p.offset, offset == -2 ? e.data.size() : offset);
        QCOMPARE(p.byteCount, e.data.size());
        QVERIFY2(p.message.contains(mentions), qPrintable(p.message));
        QCOMPARE(p.json.isUndefined(), kind != Kind::Json);
    }

    void scalarsAndBomValues()
    {
        QCOMPARE(PayloadDecoder::decodeJson(readBad(QStringLiteral("scalar-number.json"))).json, QJsonValue(42));
        QCOMPARE(PayloadDecoder::decodeJson(readBad(QStringLiteral("scalar-string.json"))).json, QJsonValue(QStringLiteral("text")));
        QVERIFY(PayloadDecoder::decodeJson(readBad(QStringLiteral("scalar-null.json"))).json.isNull());
        QCOMPARE(PayloadDecoder::decodeJson(readBad(QStringLiteral("bom.json"))).json, QJsonValue(QJsonObject{{QStringLiteral("a"), 1}}));
        // Exact 64-bit integers survive decoding.
        QCOMPARE(PayloadDecoder::decodeJson("9223372036854775807").json.toInteger(), std::numeric_limits<qint64>::max());
        QCOMPARE(PayloadDecoder::decodeJson("[9007199254740993]").json.toArray().at(0).toInteger(), qint64(9007199254740993LL));
    }

    void byteOrderMarksInsideStringsSurvive()
    {
        // Qt 6.4 alone drops a leading U+FEFF from strings read as raw UTF-8 (found by the fuzzer).
        const QString feff(QChar(0xFEFF));
        const DecodedPayload p = PayloadDecoder::decodeJson("{\"\xEF\xBB\xBFid\":[\"\xEF\xBB\xBFx\",\"\xEF\xBB\xBF\"],\"id\":2}");
        QVERIFY2(p.isJson(), qPrintable(p.message));
        QVERIFY(p.warnings.isEmpty()); // "\uFEFFid" and "id" are different keys
        const QJsonObject o = p.json.toObject();
        QCOMPARE(o.keys(), (QStringList{QStringLiteral("id"), feff + QStringLiteral("id")}));
        QCOMPARE(o.value(feff + QStringLiteral("id")).toArray(), (QJsonArray{QJsonValue(feff + QStringLiteral("x")), QJsonValue(feff)}));
        QCOMPARE(PayloadDecoder::decodeJson("\"\xEF\xBB\xBF\"").json, QJsonValue(feff));
        // Error offsets still point into the payload as written.
        const DecodedPayload bad = PayloadDecoder::decodeJson("[\"\xEF\xBB\xBF\xEF\xBB\xBF\",,1]");
        QCOMPARE(bad.problem, Problem::Syntax);
        QCOMPARE(bad.offset, qsizetype(11)); // past the second comma (byte 10), as Qt reports it
    }

    void everyKeyCanBeLookedUp_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addRow("astral and fullwidth") << QByteArray("{\"\xF0\x9F\x98\x80\":1,\"\xEF\xBC\xA1\":2,\"a\":3}");
        QTest::addRow("raw astral, escaped BMP") << QByteArray("{\"\xF0\x9F\x98\x80\":1,\"\\ufeff\":2}");
        QTest::addRow("escaped astral, raw BMP") << QByteArray("{\"\\ud83d\\ude00\":1,\"\xEF\xBC\xA1\":2}");
        QTest::addRow("nested in arrays") << QByteArray("[[{\"x\":{\"\xF0\x9F\x98\x80\":1,\"\\ufeff\":2}}]]");
    }
    void everyKeyCanBeLookedUp()
    {
        // Qt 6.4's own parse leaves objects whose value(key) misses a key that iteration shows
        // (found by the fuzzer); the decoder must hand out objects where every lookup works.
        QFETCH(QByteArray, json);
        const DecodedPayload p = PayloadDecoder::decodeJson(json);
        QVERIFY2(p.isJson(), qPrintable(p.message));
        QList<QJsonValue> todo{p.json};
        int objects = 0;
        while (!todo.isEmpty()) {
            const QJsonValue v = todo.takeLast();
            if (v.isArray()) {
                for (const QJsonValue &e : v.toArray())
                    todo.append(e);
            } else if (v.isObject()) {
                ++objects;
                const QJsonObject o = v.toObject();
                for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
                    QVERIFY2(o.contains(it.key()), qPrintable(it.key()));
                    QCOMPARE(o.value(it.key()), it.value());
                    todo.append(it.value());
                }
            }
        }
        QVERIFY(objects > 0);
    }

    void duplicateKeysKeepLastWithWarnings()
    {
        const DecodedPayload p = PayloadDecoder::decodeJson(readBad(QStringLiteral("duplicate-keys.json")));
        QVERIFY(p.isJson());
        const QJsonObject o = p.json.toObject();
        QCOMPARE(o.value(QStringLiteral("a")), QJsonValue(3));
        QCOMPARE(o.value(QStringLiteral("b")).toObject().value(QStringLiteral("c")), QJsonValue(2));
        QCOMPARE(p.warnings, (QStringList{
            QStringLiteral("duplicate key \"c\" at /b/c (byte offset 18): the last value is kept"),
            QStringLiteral("duplicate key \"a\" at /a (byte offset 25): the last value is kept")}));
    }

    void duplicateKeysCanBeRejected()
    {
        DecodeOptions o;
        o.rejectDuplicateKeys = true;
        const DecodedPayload p = PayloadDecoder::decodeJson(readBad(QStringLiteral("duplicate-keys.json")), o);
        QCOMPARE(p.kind, Kind::Invalid);
        QCOMPARE(p.problem, Problem::DuplicateKey);
        QCOMPARE(p.offset, qsizetype(18));
        QCOMPARE(p.message, QStringLiteral("duplicate key \"c\" at /b/c (byte offset 18)"));
    }

    void duplicateKeysAfterUnescaping()
    {
        // "\u0061" is "a": QJsonDocument keeps the last value, the scanner must see the repeat.
        const DecodedPayload p = PayloadDecoder::decodeJson("{\"list\":[{},{\"a\":1,\"\\u0061\":2}]}");
        QVERIFY(p.isJson());
        QCOMPARE(p.warnings.size(), 1);
        QVERIFY2(p.warnings.first().contains(QStringLiteral("at /list/1/a (byte offset 19)")), qPrintable(p.warnings.first()));
        QCOMPARE(p.json.toObject().value(QStringLiteral("list")).toArray().at(1).toObject().value(QStringLiteral("a")), QJsonValue(2));
        // Different keys that only look alike are not duplicates.
        QVERIFY(PayloadDecoder::decodeJson("{\"a\":1,\"A\":2,\"a\\\"\":3}").warnings.isEmpty());
    }

    void manyDuplicatesAreCounted()
    {
        QByteArray json = "{";
        for (int i = 0; i < 30; ++i)
            json += "\"k\":" + QByteArray::number(i) + ',';
        json += "\"k\":30}";
        const DecodedPayload p = PayloadDecoder::decodeJson(json);
        QVERIFY(p.isJson());
        QCOMPARE(p.warnings.size(), 21);
        QCOMPARE(p.warnings.last(), QStringLiteral("… and 10 more duplicate keys"));
        QCOMPARE(p.json.toObject().value(QStringLiteral("k")), QJsonValue(30));
    }

    void deepNesting_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("ok");
        QTest::addRow("arrays 1024") << nested(1024, "[", "]") << true;
        QTest::addRow("arrays 1025") << nested(1025, "[", "]") << false;
        QTest::addRow("arrays 10000") << nested(10000, "[", "]") << false;
        QTest::addRow("objects 10000") << nested(10000, "{\"a\":", "}") << false;
        QTest::addRow("unclosed 10000") << QByteArray(10000, '[') << false;
        QTest::addRow("arrays 100000") << nested(100000, "[", "]") << false;
    }
    void deepNesting()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, ok);
        QElapsedTimer t;
        t.start();
        const DecodedPayload p = PayloadDecoder::decodeJson(json);
        QVERIFY(t.elapsed() < 2000);
        QCOMPARE(p.isJson(), ok);
        if (!ok) {
            QCOMPARE(p.problem, Problem::TooDeep);
            QVERIFY2(p.message.contains(QStringLiteral("nested deeper than 1024 levels")), qPrintable(p.message));
            QVERIFY(p.offset >= 1024 && p.offset < 1100 * 6);
        }
    }

    void sixteenMegabytes()
    {
        // ~16 MB of realistic objects: it must parse, and quickly.
        QByteArray json = "[";
        const QByteArray item = "{\"orderId\":\"order-123456\",\"total\":12345,\"items\":[{\"sku\":\"A-1\",\"qty\":2}],\"note\":\"xxxxxxxxxxxxxxxxxxxx\"},";
        json.reserve(16 * 1024 * 1024 + item.size());
        while (json.size() < 16 * 1024 * 1024)
            json += item;
        json.chop(1);
        json += ']';
        QElapsedTimer t;
        t.start();
        const DecodedPayload p = PayloadDecoder::decodeJson(json);
        const qint64 ms = t.elapsed();
        qInfo("16 MB payload decoded in %lld ms", ms);
        QVERIFY2(p.isJson(), qPrintable(p.message));
        QCOMPARE(p.json.toArray().size(), (json.size() - 1) / item.size());
        QVERIFY(p.warnings.isEmpty());
        QVERIFY(ms < 10000);

        // The same payload over a configured limit: a clear error, no parsing.
        DecodeOptions small;
        small.maxBytes = 1024 * 1024;
        t.restart();
        const DecodedPayload q = PayloadDecoder::decodeJson(json, small);
        QVERIFY(t.elapsed() < 100);
        QCOMPARE(q.problem, Problem::TooLarge);
        QCOMPARE(q.message, QStringLiteral("payload is %1 bytes, over the 1048576-byte limit; not parsed").arg(json.size()));

        // Truncating the big payload is reported as truncation at its end.
        const QByteArray cut = json.left(json.size() - 40);
        const DecodedPayload r = PayloadDecoder::decodeJson(cut);
        QCOMPARE(r.problem, Problem::Truncated);
    }

    void contentTypes_data()
    {
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<bool>("json");
        QTest::addRow("json") << QByteArray("application/json") << true;
        QTest::addRow("upper + charset") << QByteArray("Application/JSON ; charset=utf-8") << true;
        QTest::addRow("text/json") << QByteArray("text/json") << true;
        QTest::addRow("suffix") << QByteArray("application/cloudevents+json") << true;
        QTest::addRow("octet") << QByteArray("application/octet-stream") << false;
        QTest::addRow("jsonl is not json") << QByteArray("application/jsonl") << false;
        QTest::addRow("empty") << QByteArray() << false;
    }
    void contentTypes()
    {
        QFETCH(QByteArray, type);
        QFETCH(bool, json);
        QCOMPARE(PayloadDecoder::isJsonContentType(type), json);
    }

    void hexPreview()
    {
        const QByteArray data = readBad(QStringLiteral("binary.bin")); // bytes 0x00 … 0x27
        const QString expected = QStringLiteral(
            "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|\n"
            "00000010  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f  |................|\n"
            "00000020  20 21 22 23 24                                    | !\"#$|\n"
            "… 3 more bytes (40 in all)\n");
        QCOMPARE(PayloadDecoder::hexPreview(data, 37), expected);
        QCOMPARE(PayloadDecoder::hexPreview(QByteArray()), QString());
        QCOMPARE(PayloadDecoder::hexPreview("{\"a\":1}\n").section(QLatin1Char('|'), 1, 1), QStringLiteral("{\"a\":1}."));
    }
};

QTEST_GUILESS_MAIN(TestPayloadDecoder)
#include "tst_payloaddecoder.moc"
