#include "FoldFixture.h"
#include "correct/DraftTemplates.h"
#include "demo/DemoHistory.h"
#include "script/ReducerFile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::engine;
using chronoscope::test::FoldFixture;

namespace {

const QString kDemo = QStringLiteral(CHRONOSCOPE_TEST_DATA "/../../resources/reducers/demo-orders.reducer.json");

/// A merge-kind reducer file (no script to compile) with `templates` as given.
QByteArray fileWith(const QByteArray &templates, const QByteArray &appliesTo = "[\"payment-*\"]")
{
    return R"({"name":"t","kind":"merge","appliesTo":)" + appliesTo + R"(,"templates":)" + templates + '}';
}

QJsonObject object(const QString &json)
{
    return QJsonDocument::fromJson(json.toUtf8()).object();
}

RecordedEvent charge()
{
    RecordedEvent e;
    e.streamId = "payment-7";
    e.id = QUuid::fromString(QLatin1String("11111111-2222-3333-4444-555555555555"));
    e.revision = 4;
    e.type = "PaymentProcessed";
    e.contentType = "application/json";
    e.data = R"({"paymentId":"payment-7","orderId":"order-7","amount":2500,"currency":"EUR","paid":true,)"
             R"("card":{"last4":"4242"},"lines":[{"sku":"A"},{"sku":"B"}]})";
    e.metadata = R"({"$correlationId":"corr-7","$causationId":"cause-7","userId":"svc-payments"})";
    return e;
}

} // namespace

class TestDraftTemplates : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadErrors_data()
    {
        QTest::addColumn<QByteArray>("templates");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("not an array") << QByteArray(R"({"name":"x"})") << QStringLiteral("templates")
                                      << QStringLiteral("must be an array");
        QTest::newRow("not an object") << QByteArray(R"([3])") << QStringLiteral("templates[0]")
                                       << QStringLiteral("must be an object");
        QTest::newRow("no name") << QByteArray(R"([{"eventType":"X"}])") << QStringLiteral("templates[0].name")
                                 << QStringLiteral("missing");
        QTest::newRow("no event type") << QByteArray(R"([{"name":"a"},{"name":"b"}])")
                                       << QStringLiteral("templates[0].eventType") << QStringLiteral("missing");
        QTest::newRow("second without type") << QByteArray(R"([{"name":"a","eventType":"X"},{"name":"b"}])")
                                             << QStringLiteral("templates[1].eventType") << QStringLiteral("missing");
        QTest::newRow("server type") << QByteArray(R"([{"name":"a","eventType":"$metadata"}])")
                                     << QStringLiteral("templates[0].eventType") << QStringLiteral("server's own");
        QTest::newRow("same name twice") << QByteArray(R"([{"name":"a","eventType":"X"},{"name":"a","eventType":"Y"}])")
                                         << QStringLiteral("templates[1].name") << QStringLiteral("another template");
        QTest::newRow("from not types") << QByteArray(R"([{"name":"a","eventType":"X","from":[1]}])")
                                        << QStringLiteral("templates[0].from") << QStringLiteral("non-empty string");
        QTest::newRow("from an object") << QByteArray(R"([{"name":"a","eventType":"X","from":{}}])")
                                        << QStringLiteral("templates[0].from") << QStringLiteral("array of them");
        QTest::newRow("data not an object")
            << QByteArray(R"([{"name":"a","eventType":"X","data":"{}"}])") << QStringLiteral("templates[0].data")
            << QStringLiteral("must be an object");
        QTest::newRow("typo in a placeholder")
            << QByteArray(R"([{"name":"a","eventType":"X","data":{"x":{"amount":"${dta.amount}"}}}])")
            << QStringLiteral("templates[0].data")
            << QStringLiteral("/x/amount: \"${dta.amount}\" is not a placeholder");
        QTest::newRow("placeholder inside text")
            << QByteArray(R"([{"name":"a","eventType":"X","data":{"note":"refund of ${data.amount}"}}])")
            << QStringLiteral("templates[0].data") << QStringLiteral("/note:");
        QTest::newRow("empty path segment")
            << QByteArray(R"([{"name":"a","eventType":"X","metadata":{"m":["${metadata..x}"]}}])")
            << QStringLiteral("templates[0].metadata") << QStringLiteral("/m/0:");
        QTest::newRow("automatic metadata")
            << QByteArray(R"([{"name":"a","eventType":"X","metadata":{"$causationId":"${eventId}"}}])")
            << QStringLiteral("templates[0].metadata") << QStringLiteral("/$causationId: `$` keys");
        QTest::newRow("unknown field") << QByteArray(R"([{"name":"a","eventType":"X","form":["Y"]}])")
                                       << QStringLiteral("templates[0].form") << QStringLiteral("unknown field");
    }
    void loadErrors()
    {
        QFETCH(QByteArray, templates);
        QFETCH(QString, field);
        QFETCH(QString, message);
        ReducerFile::LoadError error;
        QVERIFY(!ReducerFile::parse(fileWith(templates), QStringLiteral("t.reducer.json"), &error));
        QCOMPARE(error.field, field);
        QVERIFY2(error.message.contains(message), qPrintable(error.toString()));
        QVERIFY2(error.toString().startsWith(QStringLiteral("t.reducer.json: ") + field + QStringLiteral(": ")),
                 qPrintable(error.toString()));
    }

    void loadsTemplatesInOrder()
    {
        ReducerFile::LoadError error;
        const auto file = ReducerFile::parse(
            fileWith(
                R"([{"name":"Refund","eventType":"PaymentRefunded","from":["PaymentProcessed","PaymentCaptured"], "description":"give it back","data":{"amount":"${data.amount}"}}, {"name":"Note","eventType":"NoteAdded","from":"PaymentProcessed"}])"),
            QStringLiteral("t.reducer.json"), &error);
        QVERIFY2(file, qPrintable(error.toString()));
        QCOMPARE(file->templates().size(), 2);
        const ReducerTemplate &t = file->templates().at(0);
        QCOMPARE(t.name, QStringLiteral("Refund"));
        QCOMPARE(t.eventType, QByteArray("PaymentRefunded"));
        QCOMPARE(t.from, (QList<QByteArray>{"PaymentProcessed", "PaymentCaptured"}));
        QCOMPARE(t.description, QStringLiteral("give it back"));
        QCOMPARE(file->templates().at(1).from, QList<QByteArray>{"PaymentProcessed"});
        QVERIFY(file->templates().at(1).data.toObject().isEmpty());
        // A file without templates has none.
        const auto none = ReducerFile::parse(R"({"name":"t","kind":"merge"})", QStringLiteral("n.reducer.json"),
                                             &error);
        QVERIFY(none && none->templates().isEmpty());
    }

    void substitutionKeepsJsonTypes()
    {
        const QJsonObject tmpl = object(QStringLiteral(
            R"({ "amount": "${data.amount}", "paid": "${data.paid}", "card": "${data.card}", "secondSku": "${data.lines.1.sku}", "id": "${eventId}", "stream": "${streamId}", "revision": "${revision}", "correlation": "${metadata.$correlationId}", "nested": {"list": ["${data.currency}", 3]}, "fixed": "duplicate charge", "whole": "${data}"})"));
        // Strings holding "${" that are no placeholder (the loader refuses them; substitute() leaves them).
        QJsonObject withText = tmpl;
        QJsonObject nested = withText.value(QLatin1String("nested")).toObject();
        QJsonArray texts = nested.value(QLatin1String("list")).toArray();
        texts.append(QStringLiteral("plain ${ text"));
        texts.append(QStringLiteral("${}"));
        nested.insert(QStringLiteral("list"), texts);
        withText.insert(QStringLiteral("nested"), nested);
        const RecordedEvent source = charge();
        QStringList missing;
        const QJsonObject got = ReducerTemplate::substitute(withText, &source, &missing).toObject();
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
        QCOMPARE(got.value(QLatin1String("amount")), QJsonValue(2500));
        QVERIFY(got.value(QLatin1String("amount")).isDouble());
        QCOMPARE(got.value(QLatin1String("paid")), QJsonValue(true));
        QCOMPARE(got.value(QLatin1String("card")).toObject().value(QLatin1String("last4")).toString(),
                 QStringLiteral("4242"));
        QCOMPARE(got.value(QLatin1String("secondSku")).toString(), QStringLiteral("B"));
        QCOMPARE(got.value(QLatin1String("id")).toString(), QStringLiteral("11111111-2222-3333-4444-555555555555"));
        QCOMPARE(got.value(QLatin1String("stream")).toString(), QStringLiteral("payment-7"));
        QCOMPARE(got.value(QLatin1String("revision")), QJsonValue(4));
        QCOMPARE(got.value(QLatin1String("correlation")).toString(), QStringLiteral("corr-7"));
        const QJsonArray list = got.value(QLatin1String("nested")).toObject().value(QLatin1String("list")).toArray();
        QCOMPARE(list.at(0).toString(), QStringLiteral("EUR"));
        QCOMPARE(list.at(1), QJsonValue(3));
        QCOMPARE(list.at(2).toString(), QStringLiteral("plain ${ text")); // not a placeholder: left as written
        QCOMPARE(list.at(3).toString(), QStringLiteral("${}"));
        QCOMPARE(got.value(QLatin1String("fixed")).toString(), QStringLiteral("duplicate charge"));
        QCOMPARE(got.value(QLatin1String("whole")).toObject().value(QLatin1String("orderId")).toString(),
                 QStringLiteral("order-7"));
    }

    void missingPathsAreNullAndReported()
    {
        const QJsonObject tmpl = object(QStringLiteral(
            R"({"a": "${data.total}", "b": {"c": "${data.card.last4.x}"}, "d": ["${data.lines.9}"], "e": "${metadata.tenant}"})"));
        const RecordedEvent source = charge();
        QStringList missing;
        const QJsonObject got = ReducerTemplate::substitute(tmpl, &source, &missing).toObject();
        QVERIFY(got.value(QLatin1String("a")).isNull());
        QVERIFY(got.value(QLatin1String("b")).toObject().value(QLatin1String("c")).isNull());
        QVERIFY(got.value(QLatin1String("d")).toArray().at(0).isNull());
        QVERIFY(got.value(QLatin1String("e")).isNull());
        QCOMPARE(missing.size(), 4);
        QVERIFY2(missing.contains(QStringLiteral("/a: ${data.total} (not in the source event)")),
                 qPrintable(missing.join(QLatin1Char('\n'))));
        QVERIFY(missing.contains(QStringLiteral("/b/c: ${data.card.last4.x} (not in the source event)")));
        QVERIFY(missing.contains(QStringLiteral("/d/0: ${data.lines.9} (not in the source event)")));

        // Without a source event every placeholder is missing.
        missing.clear();
        const QJsonObject none =
            ReducerTemplate::substitute(object(QStringLiteral(R"({"id":"${eventId}"})")), nullptr, &missing).toObject();
        QVERIFY(none.value(QLatin1String("id")).isNull());
        QCOMPARE(missing, QStringList{QStringLiteral("/id: ${eventId} (no source event)")});
    }

    void applicableByStreamSourceAndType()
    {
        ReducerFile::LoadError error;
        const auto file = ReducerFile::parse(
            fileWith(
                R"([{"name":"Refund","eventType":"PaymentRefunded","from":["PaymentProcessed"]}, {"name":"Note","eventType":"NoteAdded"}, {"name":"Void","eventType":"PaymentVoided","from":["PaymentRequested"]}])"),
            QStringLiteral("t.reducer.json"), &error);
        QVERIFY2(file, qPrintable(error.toString()));
        auto names = [](const QList<ReducerTemplate> &list) {
            QStringList out;
            for (const ReducerTemplate &t : list)
                out.append(t.name);
            return out;
        };
        const RecordedEvent source = charge();
        QCOMPARE(names(DraftTemplates::applicable(*file, "payment-7", &source)),
                 (QStringList{QStringLiteral("Refund"), QStringLiteral("Note")}));
        // Without a source event: only the templates that need none.
        QCOMPARE(names(DraftTemplates::applicable(*file, "payment-7")), QStringList{QStringLiteral("Note")});
        // Another event type, another stream, a type filter.
        RecordedEvent requested = source;
        requested.type = "PaymentRequested";
        QCOMPARE(names(DraftTemplates::applicable(*file, "payment-7", &requested)),
                 (QStringList{QStringLiteral("Note"), QStringLiteral("Void")}));
        QVERIFY(DraftTemplates::applicable(*file, "order-7").isEmpty()); // appliesTo is payment-*
        QCOMPARE(names(DraftTemplates::applicable(*file, "payment-7", &source, "PaymentRefunded")),
                 QStringList{QStringLiteral("Refund")});
        QVERIFY(DraftTemplates::find(*file, QStringLiteral("Refund"), "payment-7", &source));
        QVERIFY(!DraftTemplates::find(*file, QStringLiteral("Refund"), "payment-7"));
        QVERIFY(!DraftTemplates::find(*file, QStringLiteral("Nope"), "payment-7", &source));
    }

    void instantiateFromASourceEvent()
    {
        ReducerFile::LoadError error;
        const auto file = ReducerFile::parse(
            fileWith(
                R"([{"name":"Refund","eventType":"PaymentRefunded","from":["PaymentProcessed"], "data":{"orderId":"${data.orderId}","amount":"${data.amount}","reason":"duplicate charge"}, "metadata":{"refundOfRevision":"${revision}","ticket":"${metadata.ticket}"}}])"),
            QStringLiteral("t.reducer.json"), &error);
        QVERIFY2(file, qPrintable(error.toString()));
        const RecordedEvent source = charge();
        const auto made = DraftTemplates::instantiate(file->templates().at(0), QStringLiteral("ignored"),
                                                      ExpectedState::at(9), &source);
        const EventDraft &d = made.draft;
        QCOMPARE(d.stream, QStringLiteral("payment-7")); // the source's stream
        QCOMPARE(d.eventType, QStringLiteral("PaymentRefunded"));
        QVERIFY(d.expected && *d.expected == ExpectedState::at(9));
        QCOMPARE(d.correctsEventId, source.id);
        QCOMPARE(d.correlationId, QStringLiteral("corr-7"));
        QVERIFY(!d.eventId.isNull() && !d.draftId.isNull() && d.eventId != source.id);
        QVERIFY2(d.data.contains(QStringLiteral("\n    \"amount\": 2500")), qPrintable(d.data)); // indented
        QCOMPARE(object(d.data),
                 object(QStringLiteral(R"({"orderId":"order-7","amount":2500,"reason":"duplicate charge"})")));
        // The template's custom metadata, not the source's (no "userId" copied).
        QCOMPARE(object(d.customMetadata), object(QStringLiteral(R"({"refundOfRevision":4,"ticket":null})")));
        QCOMPARE(made.missing,
                 QStringList{QStringLiteral("metadata /ticket: ${metadata.ticket} (not in the source event)")});
        QVERIFY(d.appendBlocker().isEmpty());

        // A source without a correlation id: its own id is the correlation; every draft its own ids.
        RecordedEvent bare = source;
        bare.metadata = "{}";
        const auto second = DraftTemplates::instantiate(file->templates().at(0), {}, ExpectedState::at(9), &bare);
        QCOMPARE(second.draft.correlationId, source.id.toString(QUuid::WithoutBraces));
        QVERIFY(second.draft.eventId != d.eventId && second.draft.draftId != d.draftId);
    }

    void instantiateWithoutASourceEvent()
    {
        ReducerFile::LoadError error;
        const auto file = ReducerFile::parse(fileWith(
                                                 R"([{"name":"Note","eventType":"NoteAdded","data":{"text":""}}])"),
                                             QStringLiteral("t.reducer.json"), &error);
        QVERIFY2(file, qPrintable(error.toString()));
        const auto made = DraftTemplates::instantiate(file->templates().at(0), QStringLiteral("payment-9"),
                                                      ExpectedState::noStream());
        QCOMPARE(made.draft.stream, QStringLiteral("payment-9"));
        QVERIFY(made.draft.correctsEventId.isNull());
        QVERIFY(made.draft.correlationId.isEmpty());
        QVERIFY(made.draft.customMetadata.isEmpty());
        QVERIFY(made.draft.expected && *made.draft.expected == ExpectedState::noStream());
        QCOMPARE(object(made.draft.data), object(QStringLiteral(R"({"text":""})")));
        QVERIFY(made.missing.isEmpty());
    }

    /// The demo: the refund template on the incident's duplicate charge gives a draft the reducer
    /// file's schema accepts; refunding both charges is allowed, a third refund breaks "refunds
    /// never exceed what was paid" with the amounts in its message.
    void demoRefundsTheDuplicateCharge()
    {
        ReducerFile::LoadError error;
        const auto file = ReducerFile::load(kDemo, &error);
        QVERIFY2(file, qPrintable(error.toString()));
        QCOMPARE(file->invariants().size(), 2);
        QVERIFY(file->schemas().contains("PaymentRefunded"));

        DemoHistory::Options options;
        options.eventCount = 8000;
        const auto incident = DemoHistory(options).firstDoubleCharge();
        QVERIFY(incident);
        FoldFixture f;
        DemoHistory(options).generate([&](const DemoEvent &e) {
            if (e.stream == incident->paymentStream)
                f.add(e.stream, e.type, e.data, e.metadata);
            return true;
        });
        const RecordedEvent duplicate = f.records().at(size_t(incident->duplicateRevision));
        QCOMPARE(duplicate.type, QByteArray("PaymentProcessed"));

        const QList<ReducerTemplate> offered = DraftTemplates::applicable(*file, duplicate.streamId, &duplicate);
        QCOMPARE(offered.size(), 1);
        QCOMPARE(offered.at(0).name, QStringLiteral("Refund this payment"));
        const quint64 head = f.records().size() - 1;
        const auto made = DraftTemplates::instantiate(offered.at(0), {}, ExpectedState::at(head), &duplicate);
        QVERIFY2(made.missing.isEmpty(), qPrintable(made.missing.join(QLatin1Char('\n'))));
        const QJsonObject charged = QJsonDocument::fromJson(duplicate.data).object();
        const QJsonObject refund = object(made.draft.data);
        for (const char *key : {"paymentId", "orderId", "amount", "currency"})
            QCOMPARE(refund.value(QLatin1String(key)), charged.value(QLatin1String(key)));

        auto reducer = file->createReducer(&error);
        QVERIFY2(reducer, qPrintable(error.toString()));
        f.foldInto(*reducer); // the head: the double charge is flagged by the other invariant
        for (int n = 1; n <= 3; ++n) {
            FoldFixture one;
            one.add(duplicate.streamId, "PaymentRefunded", made.draft.data.toUtf8(), "{}");
            QVERIFY2(file->validatePayload(one.records().front()).isEmpty(),
                     qPrintable(file->validatePayload(one.records().front()).join(QLatin1Char('\n'))));
            const FoldResult res = one.foldInto(*reducer);
            if (n < 3) {
                QVERIFY2(res.ok(), qPrintable(res.errors.value(0).message));
                continue;
            }
            QCOMPARE(res.errors.size(), 1);
            const QString amount = QString::number(charged.value(QLatin1String("amount")).toInteger());
            const QString message = res.errors.at(0).message;
            QVERIFY2(message.contains(QLatin1String("invariant \"refunds never exceed what was paid\"")),
                     qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("refunds to ") + QString::number(3 * amount.toLongLong())
                                      + QStringLiteral(", more than the ") + QString::number(2 * amount.toLongLong())
                                      + QStringLiteral(" paid")),
                     qPrintable(message));
        }
        const QJsonObject order = reducer->state()
                                      .toObject()
                                      .value(QLatin1String("orders"))
                                      .toObject()
                                      .value(charged.value(QLatin1String("orderId")).toString())
                                      .toObject();
        QCOMPARE(order.value(QLatin1String("refunded")).toInteger(),
                 3 * charged.value(QLatin1String("amount")).toInteger());
    }
};

QTEST_GUILESS_MAIN(TestDraftTemplates)
#include "tst_drafttemplates.moc"
