// The composer's widgets against a sandbox that loses answers (FaultPlan): after an uncertain
// outcome the composer offers "Check Whether It Landed" and no Append; the check tells Already
// appended or Not appended, and only the latter offers Retry. And the JSON Pointer locator that
// marks a schema finding's line.
#include "client/StreamsClient.h"
#include "correct/AppendOutcomeView.h"
#include "correct/AuditLog.h"
#include "correct/CorrectionComposer.h"
#include "correct/JsonDraftEditor.h"
#include "correct/JsonPointerLocator.h"
#include "correct/WriteGuard.h"
#include "support/FaultSandbox.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;

namespace {
const QString kReducer = QStringLiteral(CHRONOSCOPE_TEST_DATA "/../../resources/reducers/demo-orders.reducer.json");
const QByteArray kStream = "payment-faults-1";

QByteArray charge()
{
    const QJsonObject o{{QStringLiteral("paymentId"), QStringLiteral("payment-f1")},
                        {QStringLiteral("orderId"), QStringLiteral("order-f1")},
                        {QStringLiteral("amount"), 4200},
                        {QStringLiteral("currency"), QStringLiteral("EUR")}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}
} // namespace

class TestComposer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pointerLocator_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<int>("line");
        QTest::addRow("document") << QString() << 0;
        QTest::addRow("member") << QStringLiteral("/amount") << 2;
        QTest::addRow("nested") << QStringLiteral("/total/currency") << 5;
        QTest::addRow("array element") << QStringLiteral("/lines/1") << 9;
        QTest::addRow("escaped key") << QStringLiteral("/a~1b") << 11;
        QTest::addRow("missing member: its object") << QStringLiteral("/total/nope") << 3;
    }
    void pointerLocator()
    {
        const QString json = QStringLiteral("{\n"
                                            "  \"orderId\": \"o-1\",\n"
                                            "  \"amount\": 12,\n"
                                            "  \"total\": {\n"
                                            "    \"amount\": 12,\n"
                                            "    \"currency\": \"EUR\"\n"
                                            "  },\n"
                                            "  \"lines\": [\n"
                                            "    {\"sku\": \"a\"},\n"
                                            "    {\"sku\": \"b\"}\n"
                                            "  ],\n"
                                            "  \"a/b\": true\n"
                                            "}");
        QFETCH(QString, pointer);
        QFETCH(int, line);
        QCOMPARE(JsonPointerLocator::lineOf(json, pointer), line);
    }

    void guardStatesShowInTheComposer()
    {
        // No server needed: what the guard says, and what Append allows, before any draft.
        WriteGuard guard(WriteProfile{QStringLiteral("prod-eu"), true, false});
        CorrectionSession session(nullptr, nullptr, &guard, nullptr, AuditOperator{});
        CorrectionComposer composer(&session);
        composer.show();
        QSignalSpy unlock(&composer, &CorrectionComposer::unlockRequested);
        QCOMPARE(composer.appendButton()->text(), QStringLiteral("Unlock Writes First"));
        QVERIFY(!composer.appendButton()->isEnabled());
        QVERIFY(composer.unlockButton()->isVisible());
        QTest::mouseClick(composer.unlockButton(), Qt::LeftButton);
        QCOMPARE(unlock.size(), 1); // the app's write-mode dialog takes it from there
        QVERIFY(!composer.profileNameEdit()->isVisible());

        QVERIFY(guard.unlock(QStringLiteral("fix a production charge")).isEmpty());
        QCOMPARE(composer.appendButton()->text(), QStringLiteral("Append"));
        QVERIFY(!composer.unlockButton()->isVisible());
        QVERIFY(composer.guardLabel()->text().contains(QStringLiteral("fix a production charge")));
        QVERIFY(composer.profileNameEdit()->isVisible()); // production: the name is typed per append
        QVERIFY(!composer.appendButton()->isEnabled());   // and there is no draft yet

        guard.setProfile(WriteProfile{QStringLiteral("audit-ro"), false, true});
        QCOMPARE(composer.appendButton()->text(), QStringLiteral("Read-Only Profile"));
        QVERIFY(!composer.unlockButton()->isVisible());
        QVERIFY(!composer.profileNameEdit()->isVisible());

        // An archive: the composer says why, not just that writes are off.
        guard.setArchive(QStringLiteral("orders.chronarc"));
        QCOMPARE(composer.appendButton()->text(), QStringLiteral("Read-Only Archive"));
        QVERIFY2(composer.guardLabel()->text().contains(QStringLiteral("an archive is read-only")),
                 qPrintable(composer.guardLabel()->text()));
        QVERIFY2(composer.appendButton()->toolTip().contains(QStringLiteral("an archive is read-only")),
                 qPrintable(composer.appendButton()->toolTip()));
        QVERIFY(!composer.unlockButton()->isVisible());
    }

    void uncertainOutcomeIsCheckedBeforeRetry()
    {
        test::FaultSandbox sandbox;
        QString error;
        QVERIFY2(sandbox.start(&error), qPrintable(error));
        const ConnectionString::Result parsed = ConnectionString::parse(
            QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(sandbox.port));
        auto client = std::make_shared<const StreamsClient>(parsed.settings);
        QVERIFY(
            !client->append(kStream, ExpectedState::noStream(), {EventData::json("PaymentProcessed", charge())}).error);
        // The next append lands but its answer is lost; the one after is lost before it lands.
        sandbox.plan->at(kStream.toStdString(), 2, sandbox::Fault::commitThenDrop());
        sandbox.plan->at(kStream.toStdString(), 3, sandbox::Fault::killBeforeCommit());

        QTemporaryDir dir;
        WriteGuard guard(WriteProfile::adHoc());
        QVERIFY(guard.unlock(QStringLiteral("refund a test charge")).isEmpty());
        AuditLog audit(dir.filePath(QStringLiteral("audit.jsonl")));
        DraftStore drafts(dir.filePath(QStringLiteral("drafts")));
        CorrectionSession session(client, &audit, &guard, &drafts, AuditOperator::current(parsed.settings));
        CorrectionComposer composer(&session);
        composer.resize(600, 900);
        composer.show();
        composer.setReducerFile(kReducer);
        composer.openLike(kStream, 0, ExpectedState::at(0));
        QTRY_VERIFY_WITH_TIMEOUT(composer.hasDraft(), 10000);
        QCOMPARE(composer.templates().size(), 1);
        QVERIFY(composer.templates().at(0).suggested);
        composer.applyTemplate(composer.templates().at(0));
        composer.runDryRun();
        QTRY_VERIFY_WITH_TIMEOUT(composer.dryRunIsCurrent(), 10000);
        QTRY_VERIFY(composer.appendButton()->isEnabled());
        const QUuid eventId = composer.draft().eventId;

        // Lost answer: whether it landed is not known; the composer checks before anything else.
        QSignalSpy finished(&composer, &CorrectionComposer::appendFinished);
        QTest::mouseClick(composer.appendButton(), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        AppendOutcomeView *outcome = composer.outcomeView();
        QVERIFY2(finished.at(0).at(0).value<AppendOutcome>().isUncertain(),
                 qPrintable(finished.at(0).at(0).value<AppendOutcome>().title()));
        QVERIFY(outcome->readBackButton()->isVisible());
        QVERIFY(!outcome->retryButton()->isVisible());
        QVERIFY(!composer.appendButton()->isEnabled());
        QVERIFY(outcome->messageLabel()->text().contains(QStringLiteral("may or may not have landed")));

        QSignalSpy checked(&session, &CorrectionSession::readBackFinished);
        QTest::mouseClick(outcome->readBackButton(), Qt::LeftButton);
        QVERIFY(checked.wait(10000));
        QCOMPARE(checked.at(0).at(0).value<AppendOutcome>().kind, AppendOutcome::Kind::AlreadyAppended);
        QCOMPARE(outcome->titleLabel()->text(), QStringLiteral("Checked: Already appended"));
        QVERIFY(!outcome->retryButton()->isVisible());
        QVERIFY(!composer.appendButton()->isEnabled()); // done: it landed once
        QCOMPARE(client->readAll(ReadRequest::forStream(kStream)).events.size(), 2);
        QCOMPARE(client->readAll(ReadRequest::forStream(kStream)).events.at(1).event->id, eventId);

        // A second correction whose append is lost before it lands: checked, not there, Retry.
        // (A note: a second refund would be more than was paid, which the invariant refuses.)
        composer.typeBox()->setEditText(QStringLiteral("PaymentNoteAdded")); // an edit starts a new draft
        composer.setDataText(QStringLiteral("{\"note\": \"refund checked with the customer\"}"));
        QVERIFY(composer.draft().eventId != eventId);
        QCOMPARE(*composer.draft().expected, ExpectedState::at(1));
        composer.runDryRun();
        QTRY_VERIFY_WITH_TIMEOUT(composer.dryRunIsCurrent(), 10000);
        QTRY_VERIFY2(composer.appendButton()->isEnabled(), qPrintable(composer.appendButton()->toolTip()));
        QTest::mouseClick(composer.appendButton(), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QVERIFY(finished.at(1).at(0).value<AppendOutcome>().isUncertain());
        QTest::mouseClick(outcome->readBackButton(), Qt::LeftButton);
        QVERIFY(checked.wait(10000));
        QCOMPARE(checked.at(1).at(0).value<AppendOutcome>().kind, AppendOutcome::Kind::NotAppended);
        QVERIFY(outcome->retryButton()->isVisible());
        QVERIFY(!outcome->readBackButton()->isVisible());
        QTest::mouseClick(outcome->retryButton(), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(2).at(0).value<AppendOutcome>().kind, AppendOutcome::Kind::Appended);
        QCOMPARE(client->readAll(ReadRequest::forStream(kStream)).events.size(), 3);
        QVERIFY2(audit.verify().ok(), qPrintable(audit.verify().toString()));

        // A draft given up: Discard deletes it from disk.
        composer.setDataText(QStringLiteral("{\"note\": \"never mind\"}"));
        const QUuid discarded = composer.draft().draftId;
        session.flushDraft();
        QTRY_VERIFY(drafts.load(discarded).draft);
        QVERIFY(composer.discardButton()->isEnabled());
        QTest::mouseClick(composer.discardButton(), Qt::LeftButton);
        QVERIFY(!composer.hasDraft());
        QTRY_VERIFY(!drafts.load(discarded).draft);
        QVERIFY(!composer.appendButton()->isEnabled());
    }
};

QTEST_MAIN(TestComposer)
#include "tst_composer.moc"
