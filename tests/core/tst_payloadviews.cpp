// How the inspector reads payloads: decoders (automatic choice and override), order-keeping
// pretty JSON, and the whole event as JSON.
#include "json/JsonReindent.h"
#include "payload/EventJson.h"
#include "payload/PayloadViewDecoder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace chronoscope;

class TestPayloadViews : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void choosesADecoder_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("decoder");
        QTest::addColumn<int>("kind");
        const int json = int(PayloadView::Kind::Json), text = int(PayloadView::Kind::Text),
                  binary = int(PayloadView::Kind::Binary);
        QTest::addRow("declared json") << QByteArray("{\"a\":1}") << QByteArray("application/json") << "json" << json;
        QTest::addRow("undeclared json") << QByteArray("[1,2]") << QByteArray("application/octet-stream") << "json" << json;
        QTest::addRow("declared json, broken") << QByteArray("{\"a\":") << QByteArray("application/json") << "json" << binary;
        QTest::addRow("text") << QByteArray("hello, world") << QByteArray("application/octet-stream") << "utf8" << text;
        QTest::addRow("base64 json") << QByteArray("{\"b64\":true}").toBase64() << QByteArray("application/octet-stream")
                                     << "base64" << json;
        QTest::addRow("bytes") << QByteArray("\x00\x01\xff\xfe", 4) << QByteArray("application/octet-stream") << "hex" << binary;
        QTest::addRow("invalid utf-8") << QByteArray("abc\xc3(", 5) << QByteArray("text/plain") << "hex" << binary;
        QTest::addRow("empty") << QByteArray() << QByteArray("application/octet-stream") << "hex" << binary;
    }

    void choosesADecoder()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, decoder);
        QFETCH(int, kind);
        PayloadViewDecoders decoders;
        const PayloadView v = decoders.decode(bytes, contentType);
        QCOMPARE(v.decoder, decoder);
        QCOMPARE(int(v.kind), kind);
        if (v.kind == PayloadView::Kind::Binary && !bytes.isEmpty() && decoder == QLatin1String("json"))
            QVERIFY(!v.message.isEmpty()); // a broken JSON payload says why
    }

    void overrideWins()
    {
        PayloadViewDecoders decoders;
        const QByteArray json = "{\"a\":1}";
        const PayloadView hex = decoders.decode(json, "application/json", QStringLiteral("hex"));
        QCOMPARE(int(hex.kind), int(PayloadView::Kind::Binary));
        QCOMPARE(hex.bytes, json);
        const PayloadView text = decoders.decode(json, "application/json", QStringLiteral("utf8"));
        QCOMPARE(text.text, QStringLiteral("{\"a\":1}"));
        const PayloadView notBase64 = decoders.decode("***", "text/plain", QStringLiteral("base64"));
        QCOMPARE(int(notBase64.kind), int(PayloadView::Kind::Binary));
        QVERIFY(!notBase64.message.isEmpty());
    }

    void hugeTextIsCut()
    {
        PayloadViewDecoders decoders;
        const QByteArray big(PayloadViewDecoders::kMaxTextBytes + 10, 'x');
        const PayloadView v = decoders.decode(big, "text/plain");
        QCOMPARE(v.text.size(), PayloadViewDecoders::kMaxTextBytes);
        QVERIFY(!v.message.isEmpty());
    }

    void reindentKeepsOrderAndSpelling_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("pretty");
        QTest::addRow("order") << QByteArray("{\"z\":1,\"a\":[true,null]}")
                               << QStringLiteral("{\n  \"z\": 1,\n  \"a\": [\n    true,\n    null\n  ]\n}");
        QTest::addRow("empty containers") << QByteArray("{ \"o\" : { } , \"a\":[ ]}")
                                          << QStringLiteral("{\n  \"o\": {},\n  \"a\": []\n}");
        QTest::addRow("strings keep their text") << QByteArray("[\"a,b:{c}\\\"\", 1.50e3]")
                                                 << QStringLiteral("[\n  \"a,b:{c}\\\"\",\n  1.50e3\n]");
        QTest::addRow("scalar") << QByteArray(" 42 ") << QStringLiteral("42");
        QTest::addRow("unicode") << QByteArray("{\"k\":\"\xc3\xa9t\xc3\xa9\"}") << QStringLiteral("{\n  \"k\": \"été\"\n}");
    }

    void reindentKeepsOrderAndSpelling()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, pretty);
        QCOMPARE(JsonReindent::pretty(json, 2), pretty);
    }

    void reindentStopsAtItsCap()
    {
        QByteArray json = "[";
        for (int i = 0; i < 10000; ++i)
            json += "\"\xc3\xa9\xc3\xa9\xc3\xa9\",";
        json += "1]";
        const QString out = JsonReindent::pretty(json, 4, 1000);
        QVERIFY(out.size() < 1200);
        QVERIFY(out.contains(QLatin1String("more bytes")));
        QVERIFY(!out.contains(QChar::ReplacementCharacter));
        // Broken input still ends.
        QVERIFY(!JsonReindent::pretty("{{{{\"unterminated", 4).isEmpty());
    }

    void eventAsJson()
    {
        RecordedEvent e;
        e.streamId = "order-1";
        e.id = QUuid::fromString(QStringLiteral("0ccde018-29f0-4813-b5c9-6f0000000001"));
        e.revision = 3;
        e.position = {1234567890123ull, 1234567890120ull};
        e.type = "OrderPlaced";
        e.contentType = "application/json";
        e.createdTicks = 17000000000000000LL; // 2023-11-14T22:13:20Z
        e.data = "{\"total\":12,\"currency\":\"EUR\"}";
        e.metadata = QByteArray("\xff\x00", 2);
        const QJsonObject o = EventJson::toJson(e);
        QCOMPARE(o.value(QLatin1String("streamId")).toString(), QStringLiteral("order-1"));
        QCOMPARE(o.value(QLatin1String("eventId")).toString(), QStringLiteral("0ccde018-29f0-4813-b5c9-6f0000000001"));
        QCOMPARE(o.value(QLatin1String("revision")).toString(), QStringLiteral("3"));
        QCOMPARE(o.value(QLatin1String("position")).toObject().value(QLatin1String("commit")).toString(),
                 QStringLiteral("1234567890123"));
        QCOMPARE(o.value(QLatin1String("created")).toString(), QStringLiteral("2023-11-14T22:13:20.000Z"));
        QCOMPARE(o.value(QLatin1String("data")).toObject().value(QLatin1String("total")).toInt(), 12);
        QCOMPARE(o.value(QLatin1String("dataEncoding")).toString(), QStringLiteral("json"));
        QCOMPARE(o.value(QLatin1String("metadataEncoding")).toString(), QStringLiteral("base64"));
        QCOMPARE(QByteArray::fromBase64(o.value(QLatin1String("metadata")).toString().toLatin1()), e.metadata);
        QCOMPARE(QJsonDocument::fromJson(EventJson::toText(e)).object(), o);
    }

    void eventAsJsonWithTheDecodedData()
    {
        RecordedEvent e;
        e.type = "Transcript";
        e.contentType = "application/octet-stream";
        e.data = QByteArray(PayloadViewDecoders::kMaxTextBytes + 100, 'a') + "\xc3\xa9"; // ends in "é"
        PayloadViewDecoders decoders;
        const PayloadView text = decoders.decode(e.data, e.contentType, QStringLiteral("utf8"));
        QVERIFY(text.text.size() < e.data.size()); // the view is capped…
        QJsonObject o = EventJson::toJson(e, text);
        QCOMPARE(o.value(QLatin1String("dataEncoding")).toString(), QStringLiteral("utf8"));
        QCOMPARE(o.value(QLatin1String("data")).toString().toUtf8(), e.data); // …the copy is not
        QVERIFY(!o.contains(QLatin1String("dataRawBase64")));

        // The JSON decoder on JSON bytes: the same as the plain form.
        e.contentType = "application/json";
        e.data = "{\"a\":[1,2]}";
        QCOMPARE(EventJson::toJson(e, decoders.decode(e.data, e.contentType)), EventJson::toJson(e));
        // Not JSON when JSON is forced: base64 of the bytes.
        e.data = "{\"a\":";
        o = EventJson::toJson(e, decoders.decode(e.data, e.contentType, QStringLiteral("json")));
        QCOMPARE(o.value(QLatin1String("dataEncoding")).toString(), QStringLiteral("base64"));
        QCOMPARE(QByteArray::fromBase64(o.value(QLatin1String("data")).toString().toLatin1()), e.data);
    }
};

QTEST_GUILESS_MAIN(TestPayloadViews)
#include "tst_payloadviews.moc"
