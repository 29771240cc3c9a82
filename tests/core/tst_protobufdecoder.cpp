// The protobuf payload decoder: descriptor sets made by protoc at build time, payloads written by
// hand (ProtoWire.h), decoded to exact JSON; the message type chosen by event type; bad sets and
// bad bytes giving a message and the bytes; the automatic score.
#include "payload/PayloadViewDecoder.h"
#include "payload/ProtobufDescriptorDecoder.h"
#include "support/ProtoWire.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace chronoscope;
using chronoscope::test::ProtoWire;

namespace {
const QString kSet = test::descriptorSet();
const QString &kPayments = test::kPaymentsPackage;
const QString &kLegacy = test::kLegacyPackage;
const QByteArray kBinary = "application/octet-stream";
} // namespace

class TestProtobufDecoder : public QObject
{
    Q_OBJECT

    ProtobufDescriptorDecoder m_decoder;

private Q_SLOTS:
    void initTestCase() { QCOMPARE(m_decoder.loadFile(kSet), QString()); }

    void loadsTheSet()
    {
        QVERIFY(m_decoder.isLoaded());
        QCOMPARE(m_decoder.name(), QStringLiteral("Protobuf (payments.desc)"));
        QCOMPARE(m_decoder.messageTypes(),
                 QStringList({kLegacy + QStringLiteral("PaymentRefunded"), kPayments + QStringLiteral("Money"),
                              kPayments + QStringLiteral("PaymentProcessed"), kPayments + QStringLiteral("PaymentRefunded"),
                              QStringLiteral("google.protobuf.Timestamp")}));
    }

    void decodesToExactJson_data()
    {
        QTest::addColumn<QByteArray>("eventType");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("json");
        QTest::addColumn<bool>("extraFields");
        QTest::addRow("every kind of field") << QByteArray("PaymentProcessed") << ProtoWire::paymentProcessed()
                                             << ProtoWire::paymentProcessedJson() << false;
        QTest::addRow("zeros are shown, unset messages are not")
            << QByteArray("PaymentProcessed") << ProtoWire::bytes(1, "p")
            << QStringLiteral(R"({"payment_id":"p","amount_minor":"0","method":"PAYMENT_METHOD_UNSPECIFIED",)"
                              R"("order_lines":[],"fees":[],"captured":false})")
            << false;
        QTest::addRow("an enum number the schema lacks")
            << QByteArray("chronoscope.test.payments.PaymentProcessed") << ProtoWire::number(3, 7)
            << QStringLiteral(R"({"payment_id":"","amount_minor":"0","method":7,"order_lines":[],"fees":[],"captured":false})")
            << false;
        QTest::addRow("a field the schema does not define")
            << QByteArray("Money") << ProtoWire::money("USD", 3) + ProtoWire::number(99, 1)
            << QStringLiteral(R"({"currency":"USD","minor_units":"3"})") << true;
        QTest::addRow("negative int64, unicode")
            << QByteArray("Money") << ProtoWire::money("\xe2\x82\xac", quint64(-42))
            << QStringLiteral(R"({"currency":"€","minor_units":"-42"})") << false;
    }

    void decodesToExactJson()
    {
        QFETCH(QByteArray, eventType);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, json);
        QFETCH(bool, extraFields);
        const PayloadView v = m_decoder.decode(bytes, kBinary, eventType);
        QVERIFY2(v.kind == PayloadView::Kind::Json, qPrintable(v.message));
        QCOMPARE(QString::fromUtf8(v.jsonText), json);
        QCOMPARE(v.json, QJsonDocument::fromJson(json.toUtf8()).object());
        QCOMPARE(v.bytes, bytes); // the hex view shows the wire bytes
        QCOMPARE(v.decoder, QStringLiteral("protobuf"));
        QVERIFY2(v.message.startsWith(QStringLiteral("Protobuf chronoscope.test.payments.")), qPrintable(v.message));
        QCOMPARE(v.message.contains(QLatin1String("does not define")), extraFields);
    }

    void choosesTheMessageType_data()
    {
        QTest::addColumn<QString>("explicitType");
        QTest::addColumn<QString>("mapping"); ///< "EventType=message"
        QTest::addColumn<QByteArray>("eventType");
        QTest::addColumn<QString>("expected"); ///< empty: none
        QTest::addColumn<QString>("problem");  ///< part of the reason when none
        const QString none;
        QTest::addRow("named like the event type") << none << none << QByteArray("PaymentProcessed")
                                                   << kPayments + QStringLiteral("PaymentProcessed") << none;
        QTest::addRow("the event type is a full name") << none << none << QByteArray("chronoscope.test.legacy.PaymentRefunded")
                                                       << kLegacy + QStringLiteral("PaymentRefunded") << none;
        QTest::addRow("two messages with that name") << none << none << QByteArray("PaymentRefunded") << none
                                                     << QStringLiteral("Several messages");
        QTest::addRow("mapped") << none << QStringLiteral("Refunded=chronoscope.test.legacy.PaymentRefunded")
                                << QByteArray("Refunded") << kLegacy + QStringLiteral("PaymentRefunded") << none;
        QTest::addRow("the mapping beats the name") << none << QStringLiteral("Money=chronoscope.test.payments.PaymentProcessed")
                                                    << QByteArray("Money") << kPayments + QStringLiteral("PaymentProcessed") << none;
        QTest::addRow("mapped to a type the set lacks") << none << QStringLiteral("Refunded=x.Nope") << QByteArray("Refunded")
                                                        << none << QStringLiteral("x.Nope");
        QTest::addRow("explicit beats everything") << kPayments + QStringLiteral("Money")
                                                   << QStringLiteral("Refunded=chronoscope.test.legacy.PaymentRefunded")
                                                   << QByteArray("Refunded") << kPayments + QStringLiteral("Money") << none;
        QTest::addRow("explicit type the set lacks") << QStringLiteral("x.Nope") << none << QByteArray("PaymentProcessed")
                                                     << none << QStringLiteral("does not define the message type x.Nope");
        QTest::addRow("no message for the event type") << none << none << QByteArray("OrderPlaced") << none
                                                       << QStringLiteral("OrderPlaced");
        QTest::addRow("a prefix is not a name") << none << none << QByteArray("Processed") << none << QStringLiteral("Processed");
    }

    void choosesTheMessageType()
    {
        QFETCH(QString, explicitType);
        QFETCH(QString, mapping);
        QFETCH(QByteArray, eventType);
        QFETCH(QString, expected);
        QFETCH(QString, problem);
        ProtobufDescriptorDecoder decoder;
        QCOMPARE(decoder.loadFile(kSet), QString());
        decoder.setMessageType(explicitType);
        if (!mapping.isEmpty())
            decoder.setTypeMapping({{mapping.section(QLatin1Char('='), 0, 0), mapping.section(QLatin1Char('='), 1)}});
        QString why;
        QCOMPARE(decoder.messageTypeFor(eventType, &why), expected);
        if (expected.isEmpty()) {
            QVERIFY2(why.contains(problem), qPrintable(why));
            // Decoding says the same and falls back to the bytes.
            const PayloadView v = decoder.decode(ProtoWire::bytes(1, "p"), kBinary, eventType);
            QCOMPARE(int(v.kind), int(PayloadView::Kind::Binary));
            QVERIFY2(v.message.contains(problem), qPrintable(v.message));
        }
    }

    void badBytesGiveAMessageAndTheBytes_data()
    {
        QTest::addColumn<QByteArray>("eventType");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        QTest::addRow("empty") << QByteArray("PaymentProcessed") << QByteArray() << QStringLiteral("Empty payload");
        QTest::addRow("length past the end") << QByteArray("PaymentProcessed") << QByteArray("\x0a\x10pay", 5)
                                             << QStringLiteral("not a chronoscope.test.payments.PaymentProcessed");
        QTest::addRow("varint that never ends") << QByteArray("Money") << QByteArray(12, '\xff')
                                                << QStringLiteral("not a chronoscope.test.payments.Money");
        QTest::addRow("JSON text") << QByteArray("Money") << QByteArray("{\"currency\":\"EUR\"}")
                                   << QStringLiteral("not a chronoscope.test.payments.Money");
        QTest::addRow("invalid UTF-8 in a proto3 string") << QByteArray("Money") << ProtoWire::bytes(1, "\xc3(")
                                                          << QStringLiteral("not a chronoscope.test.payments.Money");
        QTest::addRow("proto2 required field missing") << QByteArray("chronoscope.test.legacy.PaymentRefunded")
                                                       << ProtoWire::bytes(2, ProtoWire::money("EUR", 1))
                                                       << QStringLiteral("missing payment_id");
        QTest::addRow("unknown event type") << QByteArray("Nope") << ProtoWire::bytes(1, "p") << QStringLiteral("Nope");
    }

    void badBytesGiveAMessageAndTheBytes()
    {
        QFETCH(QByteArray, eventType);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        const PayloadView v = m_decoder.decode(bytes, kBinary, eventType);
        QCOMPARE(int(v.kind), int(PayloadView::Kind::Binary));
        QCOMPARE(v.bytes, bytes);
        QCOMPARE(v.decoder, QStringLiteral("protobuf"));
        QVERIFY2(v.message.contains(problem), qPrintable(v.message));
        QCOMPARE(m_decoder.score(bytes, kBinary, eventType), 0);
    }

    void badDescriptorSetsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("contents"); ///< written to a file; "@path" loads that path instead
        QTest::addColumn<QString>("problem");
        QFile proto(QStringLiteral(CHRONOSCOPE_TEST_DATA "/protobuf/payments.proto"));
        QVERIFY(proto.open(QIODevice::ReadOnly));
        QTest::addRow("empty file") << QByteArray() << QStringLiteral("empty");
        QTest::addRow("the .proto source") << proto.readAll() << QStringLiteral("Not a protobuf descriptor set");
        QTest::addRow("JSON") << QByteArray("{\"file\": []}") << QStringLiteral("Not a protobuf descriptor set");
        QTest::addRow("bytes") << QByteArray("\x00\x01\x02\xff\xfe", 5) << QStringLiteral("Not a protobuf descriptor set");
        QTest::addRow("a message, not a set") << ProtoWire::paymentProcessed() << QStringLiteral("Not a protobuf descriptor set");
        QTest::addRow("no such file") << QByteArray("@/nonexistent/x.desc") << QStringLiteral("Could not open");
        QTest::addRow("a device that never ends") << QByteArray("@/dev/zero") << QStringLiteral("too large");
        QTest::addRow("an import left out") << QByteArray('@' + test::descriptorSet("legacy-no-imports.desc").toUtf8())
                                            << QStringLiteral("imports payments.proto, which the descriptor set does not contain");
    }

    void badDescriptorSetsAreRefused()
    {
        QFETCH(QByteArray, contents);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        QString path = QString::fromUtf8(contents.mid(1));
        if (!contents.startsWith('@')) {
            path = dir.filePath(QStringLiteral("bad.desc"));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(contents);
        }
        ProtobufDescriptorDecoder decoder;
        const QString error = decoder.loadFile(path);
        QVERIFY2(error.contains(problem), qPrintable(error));
        QVERIFY(!decoder.isLoaded());
        QCOMPARE(decoder.name(), QStringLiteral("Protobuf"));
        // A failed load keeps the set loaded before.
        QCOMPARE(decoder.loadFile(kSet), QString());
        QVERIFY(!decoder.loadFile(path).isEmpty());
        QCOMPARE(decoder.sourceName(), QStringLiteral("payments.desc"));
        QCOMPARE(int(decoder.decode(ProtoWire::paymentProcessed(), kBinary, "PaymentProcessed").kind), int(PayloadView::Kind::Json));
    }

    void wellKnownImportsLeftOutAreAdded()
    {
        ProtobufDescriptorDecoder decoder;
        QCOMPARE(decoder.loadFile(test::descriptorSet("payments-no-imports.desc")), QString());
        const PayloadView v = decoder.decode(ProtoWire::paymentProcessed(), kBinary, "PaymentProcessed");
        QCOMPARE(QString::fromUtf8(v.jsonText), ProtoWire::paymentProcessedJson());
    }

    void scoresOnlyBinaryPayloadsOfAKnownMessage_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("eventType");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("score");
        QTest::addColumn<QString>("chosen"); ///< by PayloadViewDecoders with the protobuf decoder added
        const QByteArray good = ProtoWire::paymentProcessed();
        QTest::addRow("binary, known type, parses") << kBinary << QByteArray("PaymentProcessed") << good
                                                   << ProtobufDescriptorDecoder::kScore << "protobuf";
        QTest::addRow("with extra fields") << kBinary << QByteArray("PaymentProcessed") << good + ProtoWire::number(40, 1)
                                           << ProtobufDescriptorDecoder::kScoreExtraFields << "protobuf";
        QTest::addRow("declared JSON") << QByteArray("application/json") << QByteArray("PaymentProcessed") << good << 0 << "json";
        QTest::addRow("unknown event type") << kBinary << QByteArray("OrderPlaced") << good << 0 << "hex";
        QTest::addRow("does not parse") << kBinary << QByteArray("PaymentProcessed") << QByteArray("\x0a\x10pay", 5) << 0 << "hex";
        QTest::addRow("empty") << kBinary << QByteArray("PaymentProcessed") << QByteArray() << 0 << "hex";
        QTest::addRow("JSON bytes stay JSON") << kBinary << QByteArray("Money") << QByteArray("{\"a\":1}") << 0 << "json";
    }

    void scoresOnlyBinaryPayloadsOfAKnownMessage()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, eventType);
        QFETCH(QByteArray, bytes);
        QFETCH(int, score);
        QFETCH(QString, chosen);
        QCOMPARE(m_decoder.score(bytes, contentType, eventType), score);
        PayloadViewDecoders decoders;
        auto decoder = std::make_unique<ProtobufDescriptorDecoder>();
        QCOMPARE(decoder->score(bytes, contentType, eventType), 0); // nothing loaded
        QCOMPARE(decoder->loadFile(kSet), QString());
        decoders.add(std::move(decoder));
        QCOMPARE(decoders.decode(bytes, contentType, QString(), eventType).decoder, chosen);
    }

    void decodesWhileAnotherSetLoads()
    {
        // The inspector decodes on worker threads while the GUI may load a set: every decode
        // sees one whole set.
        ProtobufDescriptorDecoder decoder;
        QCOMPARE(decoder.loadFile(kSet), QString());
        std::atomic<int> wrong{0};
        std::atomic<bool> stop{false};
        std::vector<std::thread> workers;
        for (int t = 0; t < 3; ++t)
            workers.emplace_back([&]() {
                while (!stop)
                    if (decoder.decode(ProtoWire::paymentProcessed(), kBinary, "PaymentProcessed").jsonText
                        != ProtoWire::paymentProcessedJson().toUtf8())
                        ++wrong;
            });
        for (int i = 0; i < 30; ++i)
            QCOMPARE(decoder.loadFile(i % 2 ? kSet : test::descriptorSet("payments-no-imports.desc")), QString());
        stop = true;
        for (std::thread &w : workers)
            w.join();
        QCOMPARE(wrong.load(), 0);
    }
};

QTEST_GUILESS_MAIN(TestProtobufDecoder)
#include "tst_protobufdecoder.moc"
