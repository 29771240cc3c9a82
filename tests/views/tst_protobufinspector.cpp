// The inspector's protobuf decoding on the offscreen platform against an in-process sandbox:
// "Load Descriptor Set…" through the non-modal file dialog, a binary event shown as JSON in the
// Tree tab, the message type chosen for an event type, and the set remembered in QSettings.
#include "client/StreamsClient.h"
#include "common/JsonTreeWidget.h"
#include "inspector/DecoderChooser.h"
#include "inspector/EventInspector.h"
#include "payload/ProtobufDescriptorDecoder.h"
#include "session/TimelineSession.h"
#include "support/DemoSandbox.h"
#include "support/ProtoWire.h"

#include <QApplication>
#include <QClipboard>
#include <QJsonDocument>
#include <QJsonObject>
#include <QComboBox>
#include <QFileDialog>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using namespace chronoscope;
using chronoscope::test::ProtoWire;
using views::DecoderChooser;

namespace {
const QString kSet = test::descriptorSet();
const QString kProcessed = test::kPaymentsPackage + QStringLiteral("PaymentProcessed");
const QByteArray kStream = "payment-proto-1";
const QByteArray kNote = QStringLiteral("r\u00e9sum\u00e9 of the call\nline 2").toUtf8(); // UTF-8, sent as bytes

/// The inspector's "Copy as JSON", parsed back from the clipboard.
QJsonObject copied(views::EventInspector &inspector)
{
    inspector.findChild<QToolButton *>(QStringLiteral("copyJsonButton"))->click();
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(QApplication::clipboard()->text().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("clipboard is not JSON: %s", qPrintable(error.errorString()));
    return doc.object();
}
} // namespace

class TestProtobufInspector : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;

    /// An inspector over kStream; its constructor loads what QSettings remember.
    struct Fixture
    {
        TimelineSession session;
        views::EventInspector inspector{&session};

        bool load(const std::shared_ptr<const StreamsClient> &client)
        {
            inspector.resize(700, 600);
            inspector.show();
            QSignalSpy finished(&session, &TimelineSession::loadFinished);
            session.load(client, kStream);
            return finished.wait(15000);
        }
        bool show(qint64 ordinal)
        {
            QSignalSpy shown(&inspector, &views::EventInspector::eventShown);
            session.cursor()->setPosition(ordinal);
            return shown.wait(10000) && shown.last().at(0).toLongLong() == ordinal;
        }
        /// Runs `action` and waits for the shown event to be decoded again.
        template<typename F> bool redecoded(F action)
        {
            QSignalSpy shown(&inspector, &views::EventInspector::eventShown);
            action();
            return shown.wait(10000);
        }
        QComboBox *decoders() const { return inspector.decoderChooser()->decoderCombo(); }
        QString treeValue(const QString &path) const
        {
            QTreeWidgetItem *item = inspector.jsonTree()->itemAtPath(path);
            return item ? item->text(views::JsonTreeWidget::ValueColumn) : QStringLiteral("(none)");
        }
    };

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings stay out of the user's config
        QSettings().clear();
        QVERIFY2(m_sandbox.start(10), qPrintable(m_sandbox.error()));
        m_client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        const AppendResult appended = m_client->append(
            kStream, ExpectedState::any(),
            {EventData::binary("PaymentProcessed", ProtoWire::paymentProcessed()),
             EventData::binary("PaymentCaptured", ProtoWire::paymentProcessed()), // not named like its message
             EventData::binary("PaymentProcessed", QByteArray("\x0a\x10pay", 5)),
             EventData::binary("OperatorNote", kNote),
             EventData::binary("Encoded", QByteArray("{\"refund\":12}").toBase64())});
        QVERIFY2(!appended.error.isError(), qPrintable(appended.error.toString()));
    }

    void cleanup() { QSettings().clear(); }

    void loadsASetAndShowsABinaryEventAsJson()
    {
        Fixture f;
        QVERIFY(f.load(m_client));
        QVERIFY(f.show(0));
        QCOMPARE(f.inspector.tabs()->currentWidget(), f.inspector.hexView()); // nothing to decode with yet
        QCOMPARE(f.decoders()->findData(QStringLiteral("protobuf")), -1);
        QCOMPARE(f.decoders()->itemText(f.decoders()->count() - 1), QStringLiteral("Load Descriptor Set…"));

        Q_EMIT f.decoders()->activated(f.decoders()->count() - 1);
        QFileDialog *dialog = f.inspector.decoderChooser()->fileDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->isModal());
        QCOMPARE(f.decoders()->currentIndex(), 0); // still "Auto-decode", not the action
        QVERIFY(f.redecoded([&]() {
            dialog->selectFile(kSet);
            static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept(), as the Open button
        }));
        QVERIFY2(f.inspector.status().startsWith(QStringLiteral("Loaded payments.desc: 5 message type")),
                 qPrintable(f.inspector.status()));
        QVERIFY(f.decoders()->findData(QStringLiteral("protobuf")) > 0);
        QCOMPARE(f.decoders()->itemText(f.decoders()->findData(QStringLiteral("protobuf"))),
                 QStringLiteral("Protobuf (payments.desc)"));
        QCOMPARE(QSettings().value(QLatin1String(DecoderChooser::kPathKey)).toString(), kSet);

        // Chosen automatically: binary content, the event type names the message, the bytes parse.
        QCOMPARE(f.inspector.payloadView().decoder, QStringLiteral("protobuf"));
        QCOMPARE(f.inspector.tabs()->currentWidget(), f.inspector.jsonTree());
        QCOMPARE(f.treeValue(QStringLiteral("payment_id")), QStringLiteral("\"pay-42\""));
        QCOMPARE(f.treeValue(QStringLiteral("method")), QStringLiteral("\"CARD\""));
        QCOMPARE(f.treeValue(QStringLiteral("total/currency")), QStringLiteral("\"EUR\""));
        QCOMPARE(f.treeValue(QStringLiteral("fees/1/minor_units")), QStringLiteral("\"5\""));
        QCOMPARE(f.treeValue(QStringLiteral("order_lines/0")), QStringLiteral("\"KB-MECH x1\""));
        // The text keeps the .proto's field order; the hex view keeps the wire bytes.
        QVERIFY2(f.inspector.textView()->toPlainText().startsWith(QStringLiteral("{\n    \"payment_id\": \"pay-42\",\n    \"amount_minor\"")),
                 qPrintable(f.inspector.textView()->toPlainText().left(80)));
        QVERIFY(f.inspector.hexView()->toPlainText().startsWith(QStringLiteral("00000000  0a 06 70 61 79 2d 34 32")));
        QVERIFY(f.inspector.message().contains(kProcessed));

        // Bytes that do not parse: not chosen, shown as bytes.
        QVERIFY(f.show(2));
        QVERIFY(f.inspector.payloadView().decoder != QStringLiteral("protobuf"));
        QCOMPARE(f.inspector.tabs()->currentWidget(), f.inspector.hexView());
        QVERIFY(f.redecoded([&]() { f.inspector.setDecoder(QStringLiteral("protobuf")); }));
        QCOMPARE(f.inspector.tabs()->currentWidget(), f.inspector.hexView());
        QVERIFY2(f.inspector.message().contains(QLatin1String("not a ") + kProcessed), qPrintable(f.inspector.message()));
    }

    void copyAsJsonCopiesTheDataAsDecoded()
    {
        Fixture f;
        QVERIFY(f.inspector.decoderChooser()->loadDescriptorSet(kSet));
        QVERIFY(f.load(m_client));
        QVERIFY(f.show(0));
        QCOMPARE(f.inspector.payloadView().decoder, QStringLiteral("protobuf"));

        // Protobuf: the decoded fields, and the wire bytes under their own key.
        QJsonObject o = copied(f.inspector);
        QCOMPARE(o.value(QLatin1String("eventType")).toString(), QStringLiteral("PaymentProcessed"));
        QCOMPARE(o.value(QLatin1String("dataEncoding")).toString(), QStringLiteral("json"));
        QCOMPARE(o.value(QLatin1String("dataDecoder")).toString(), QStringLiteral("protobuf"));
        const QJsonObject data = o.value(QLatin1String("data")).toObject();
        QCOMPARE(data.value(QLatin1String("payment_id")).toString(), QStringLiteral("pay-42"));
        QCOMPARE(data.value(QLatin1String("method")).toString(), QStringLiteral("CARD"));
        QCOMPARE(data.value(QLatin1String("total")).toObject().value(QLatin1String("currency")).toString(), QStringLiteral("EUR"));
        QVERIFY(o.value(QLatin1String("dataDecoderNote")).toString().contains(kProcessed));
        QCOMPARE(QByteArray::fromBase64(o.value(QLatin1String("dataRawBase64")).toString().toLatin1()),
                 ProtoWire::paymentProcessed());

        // Hex chosen: the bytes as base64, nothing decoded.
        QVERIFY(f.redecoded([&]() { f.inspector.setDecoder(QStringLiteral("hex")); }));
        o = copied(f.inspector);
        QCOMPARE(o.value(QLatin1String("dataEncoding")).toString(), QStringLiteral("base64"));
        QCOMPARE(QByteArray::fromBase64(o.value(QLatin1String("data")).toString().toLatin1()), ProtoWire::paymentProcessed());
        QVERIFY(!o.contains(QLatin1String("dataRawBase64")));

        // Bytes that do not parse as the message: base64 even with protobuf chosen.
        QVERIFY(f.redecoded([&]() { f.inspector.setDecoder(QStringLiteral("protobuf")); }));
        QVERIFY(f.show(2));
        o = copied(f.inspector);
        QCOMPARE(o.value(QLatin1String("dataEncoding")).toString(), QStringLiteral("base64"));
        QCOMPARE(QByteArray::fromBase64(o.value(QLatin1String("data")).toString().toLatin1()), QByteArray("\x0a\x10pay", 5));

        // UTF-8 text: the text itself (it is the raw bytes: no extra copy).
        QVERIFY(f.redecoded([&]() { f.inspector.setDecoder(QStringLiteral("utf8")); }));
        QVERIFY(f.show(3));
        o = copied(f.inspector);
        QCOMPARE(o.value(QLatin1String("dataEncoding")).toString(), QStringLiteral("utf8"));
        QCOMPARE(o.value(QLatin1String("data")).toString(), QString::fromUtf8(kNote));
        QVERIFY(!o.contains(QLatin1String("dataRawBase64")));

        // Base64 of JSON: the JSON, and the raw (base64) bytes kept.
        QVERIFY(f.redecoded([&]() { f.inspector.setDecoder(QStringLiteral("base64")); }));
        QVERIFY(f.show(4));
        o = copied(f.inspector);
        QCOMPARE(o.value(QLatin1String("dataEncoding")).toString(), QStringLiteral("json"));
        QCOMPARE(o.value(QLatin1String("data")).toObject().value(QLatin1String("refund")).toInt(), 12);
        QCOMPARE(o.value(QLatin1String("dataDecoder")).toString(), QStringLiteral("base64"));
        QCOMPARE(QByteArray::fromBase64(o.value(QLatin1String("dataRawBase64")).toString().toLatin1()),
                 QByteArray("{\"refund\":12}").toBase64());
    }

    void theMessageTypeOfAnEventTypeIsChosenAndRemembered()
    {
        Fixture f;
        QVERIFY(f.inspector.decoderChooser()->loadDescriptorSet(kSet));
        QVERIFY(f.load(m_client));
        QVERIFY(f.show(1)); // PaymentCaptured: no message of that name
        QVERIFY(f.inspector.payloadView().decoder != QStringLiteral("protobuf"));
        QComboBox *messages = f.inspector.decoderChooser()->messageCombo();
        QVERIFY(!messages->isVisible());
        QVERIFY(f.redecoded([&]() { f.inspector.setDecoder(QStringLiteral("protobuf")); }));
        QVERIFY2(f.inspector.message().contains(QLatin1String("PaymentCaptured")), qPrintable(f.inspector.message()));
        QVERIFY(messages->isVisible());
        QCOMPARE(messages->currentIndex(), 0); // by event type
        QVERIFY(f.redecoded([&]() { Q_EMIT messages->activated(messages->findData(kProcessed)); }));
        QCOMPARE(int(f.inspector.payloadView().kind), int(PayloadView::Kind::Json));
        QCOMPARE(f.treeValue(QStringLiteral("payment_id")), QStringLiteral("\"pay-42\""));
        QCOMPARE(QSettings().value(QLatin1String(DecoderChooser::kMessageTypesKey)).toMap().value(QStringLiteral("PaymentCaptured")).toString(),
                 kProcessed);
        // Automatic now chooses it too, and a new inspector remembers both the set and the choice.
        QVERIFY(f.redecoded([&]() { f.inspector.setDecoder(QString()); }));
        QCOMPARE(f.inspector.payloadView().decoder, QStringLiteral("protobuf"));

        Fixture again;
        QVERIFY(again.inspector.protobufDecoder()->isLoaded());
        QVERIFY(again.inspector.status().isEmpty()); // a quiet start when all is well
        QVERIFY(again.load(m_client));
        QVERIFY(again.show(1));
        QCOMPARE(again.inspector.payloadView().decoder, QStringLiteral("protobuf"));
        QCOMPARE(again.inspector.decoderChooser()->messageCombo()->currentData().toString(), kProcessed);
    }

    void loadErrorsAreShownOnceInTheStatusLine()
    {
        QSettings().setValue(QLatin1String(DecoderChooser::kPathKey), QStringLiteral("/nonexistent/gone.desc"));
        Fixture f;
        QVERIFY2(f.inspector.status().contains(QLatin1String("Could not open the descriptor set /nonexistent/gone.desc")),
                 qPrintable(f.inspector.status()));
        QCOMPARE(f.decoders()->findData(QStringLiteral("protobuf")), -1);
        QVERIFY(f.load(m_client));
        QVERIFY(f.show(0));
        QCOMPARE(f.inspector.tabs()->currentWidget(), f.inspector.hexView());

        // A file that is not a descriptor set, after a good one: the good one stays.
        QVERIFY(f.inspector.decoderChooser()->loadDescriptorSet(kSet));
        QVERIFY(!f.inspector.decoderChooser()->loadDescriptorSet(QStringLiteral(CHRONOSCOPE_TEST_DATA "/protobuf/payments.proto")));
        QVERIFY2(f.inspector.status().contains(QLatin1String("Not a protobuf descriptor set")), qPrintable(f.inspector.status()));
        QCOMPARE(f.inspector.protobufDecoder()->sourceName(), QStringLiteral("payments.desc"));
        QCOMPARE(QSettings().value(QLatin1String(DecoderChooser::kPathKey)).toString(), kSet);
    }
};

QTEST_MAIN(TestProtobufInspector)
#include "tst_protobufinspector.moc"
