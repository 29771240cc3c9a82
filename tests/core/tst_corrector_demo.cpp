// The correction the demo is for (issue 12): the day-60 incident charged a payment twice; the
// refund, composed "like" the duplicate charge with the demo's reducer file, is previewed as a
// state diff and appended through the Corrector, and the stored event carries the metadata of
// item 6 (the duplicate's correlation id kept, its id as the causation).
#include "client/StreamsClient.h"
#include "correct/AuditLog.h"
#include "correct/CorrectionTarget.h"
#include "correct/Corrector.h"
#include "correct/WriteGuard.h"
#include "demo/DemoHistory.h"
#include "script/ReducerFile.h"
#include "support/DemoSandbox.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;

class TestCorrectorDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refundTheDuplicateCharge()
    {
        constexpr quint64 kEvents = 30000;
        DemoHistory::Options options;
        options.eventCount = kEvents;
        const auto charge = DemoHistory(options).firstDoubleCharge();
        QVERIFY2(charge, "the demo history should have a double charge");
        DemoSandbox demo;
        QVERIFY2(demo.start(kEvents), qPrintable(demo.error()));
        StreamsClient client(demo.settings());

        engine::ReducerFile::LoadError loadError;
        auto file = engine::ReducerFile::load(
            QStringLiteral(CHRONOSCOPE_TEST_DATA "/../../resources/reducers/demo-orders.reducer.json"), &loadError);
        QVERIFY2(file, qPrintable(loadError.toString()));
        auto shared = std::make_shared<const engine::ReducerFile>(std::move(*file));
        QVERIFY(shared->appliesToStream(charge->paymentStream));
        auto reducer = shared->createReducer(&loadError);
        QVERIFY(reducer);
        CorrectionTarget target(charge->paymentStream, shared, std::move(reducer));
        QVERIFY(target.catchUp(client).ok());
        QVERIFY(target.headRevision() >= std::optional<quint64>(charge->duplicateRevision));

        // The duplicate as the inspector shows it, and the refund "like" it.
        const ReadResult read = client.readAll(
            ReadRequest::forStream(charge->paymentStream).fromRevision(charge->duplicateRevision).count(1));
        QCOMPARE(read.events.size(), 1);
        const RecordedEvent duplicate = read.events[0].originalEvent();
        QCOMPARE(duplicate.type, QByteArray("PaymentProcessed"));
        const QJsonObject paid = QJsonDocument::fromJson(duplicate.data).object();
        const QString orderId = paid.value(QStringLiteral("orderId")).toString();
        const QJsonObject orderBefore =
            target.headState().toObject().value(QStringLiteral("orders")).toObject().value(orderId).toObject();
        QCOMPARE(orderBefore.value(QStringLiteral("charges")).toInt(), 2);

        EventDraft draft = EventDraft::likeEvent(duplicate, target.headExpected());
        draft.eventType = QStringLiteral("PaymentRefunded");
        QJsonObject refund;
        for (const char *key : {"paymentId", "orderId", "amount", "currency"})
            refund.insert(QLatin1String(key), paid.value(QLatin1String(key)));
        draft.data = QString::fromUtf8(QJsonDocument(refund).toJson(QJsonDocument::Indented));

        QTemporaryDir dir;
        AuditLog audit(dir.filePath(QStringLiteral("audit.jsonl")));
        WriteGuard guard(WriteProfile::adHoc());
        QVERIFY(guard.unlock(QStringLiteral("refund the day-60 double charge")).isEmpty());
        const Corrector corrector(&client, &audit, &guard, AuditOperator::current(demo.settings()));

        const DryRun dry = corrector.dryRun(draft, target);
        QVERIFY2(dry.canAppend(), qPrintable(dry.validation.toStringList().join(QLatin1Char('\n'))));
        const QString amount = QString::number(paid.value(QStringLiteral("amount")).toInteger());
        const QString paidBefore = QString::number(orderBefore.value(QStringLiteral("paid")).toInteger());
        QVERIFY2(dry.diff.contains(QStringLiteral("~ /orders/%1/refunded: 0 -> %2").arg(orderId, amount)),
                 qPrintable(dry.diff.join(QLatin1Char('\n'))));
        QVERIFY2(dry.diff.contains(QStringLiteral("~ /orders/%1/paid: %2 -> %3")
                                       .arg(orderId, paidBefore,
                                            QString::number(orderBefore.value(QStringLiteral("paid")).toInteger()
                                                            - paid.value(QStringLiteral("amount")).toInteger()))),
                 qPrintable(dry.diff.join(QLatin1Char('\n'))));
        QVERIFY(!amount.isEmpty());

        const AppendOutcome o = corrector.append(draft, target);
        QVERIFY2(o.kind == AppendOutcome::Kind::Appended, qPrintable(o.message));
        const ReadResult back = client.readAll(
            ReadRequest::forStream(charge->paymentStream).fromRevision(*o.revision).count(1));
        QCOMPARE(back.events.size(), 1);
        const RecordedEvent stored = back.events[0].originalEvent();
        QCOMPARE(stored.id, draft.eventId);
        const QJsonObject meta = QJsonDocument::fromJson(stored.metadata).object();
        const QJsonObject duplicateMeta = QJsonDocument::fromJson(duplicate.metadata).object();
        QCOMPARE(meta.value(QStringLiteral("$correlationId")), duplicateMeta.value(QStringLiteral("$correlationId")));
        QCOMPARE(meta.value(QStringLiteral("$causationId")).toString(), duplicate.id.toString(QUuid::WithoutBraces));
        QCOMPARE(meta.value(QStringLiteral("reason")).toString(), QStringLiteral("refund the day-60 double charge"));
        QCOMPARE(target.headState()
                     .toObject()
                     .value(QStringLiteral("orders"))
                     .toObject()
                     .value(orderId)
                     .toObject()
                     .value(QStringLiteral("refunded")),
                 QJsonValue(paid.value(QStringLiteral("amount")).toInteger())); // the refunds' total
        QVERIFY(audit.verify().ok());
    }
};

QTEST_GUILESS_MAIN(TestCorrectorDemo)
#include "tst_corrector_demo.moc"
