// End to end, as a support engineer refunds the demo's duplicate charge (issue 12, F9): the real
// main window on the in-process demo, the composer opened from the inspector on the second charge,
// the refund from the reducer file's template, the dry run's diff in the diff pane, writes unlocked,
// Append, and the event read back with its automatic metadata; then a second refund that breaks
// "refunds never exceed what was paid" is refused at its field, and a conflict (another client
// appends in between) is explained, checked again and re-pinned only by the user.
#include "ConnectionController.h"
#include "CorrectionActions.h"
#include "DemoReducer.h"
#include "MainWindow.h"
#include "client/StreamsClient.h"
#include "correct/AppendOutcomeView.h"
#include "correct/CorrectionComposer.h"
#include "correct/JsonDraftEditor.h"
#include "inspector/EventInspector.h"
#include "state/DiffPane.h"
#include "timeline/TimelineIndex.h"

#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using namespace chronoscope;

namespace {

QString diffRows(const QTreeWidget &tree)
{
    QString out;
    std::function<void(QTreeWidgetItem *, const QString &)> walk = [&](QTreeWidgetItem *item, const QString &path) {
        const QString here = path + QLatin1Char('/') + item->text(0);
        out += here + QStringLiteral(" | ") + item->text(1) + QStringLiteral(" | ") + item->text(2) + QLatin1Char('\n');
        for (int c = 0; c < item->childCount(); ++c)
            walk(item->child(c), here);
    };
    for (int i = 0; i < tree.topLevelItemCount(); ++i)
        walk(tree.topLevelItem(i), QString());
    return out;
}

/// The draft's data with `amount` set.
QString withAmount(const QString &data, qint64 amount)
{
    QJsonObject o = QJsonDocument::fromJson(data.toUtf8()).object();
    o.insert(QStringLiteral("amount"), amount);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

QAction *templateAction(CorrectionComposer *composer, const QString &name)
{
    Q_EMIT composer->templateMenu()->aboutToShow(); // the menu is built as it opens
    return composer->templateMenu()->findChild<QAction *>(QStringLiteral("template:") + name);
}

AppendOutcome clickAppend(CorrectionComposer *composer)
{
    QSignalSpy finished(composer, &CorrectionComposer::appendFinished);
    QTest::mouseClick(composer->appendButton(), Qt::LeftButton);
    if (!finished.wait(20000))
        return {};
    return finished.takeFirst().at(0).value<AppendOutcome>();
}

bool dryRun(CorrectionComposer *composer)
{
    QTest::mouseClick(composer->dryRunButton(), Qt::LeftButton);
    return QTest::qWaitFor([composer] { return composer->dryRunIsCurrent(); }, 20000);
}

} // namespace

class TestCorrections : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<AppendOutcome>();
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        // A clean slate: the shipped demo reducer (with its refund template and invariant), no drafts, no log.
        QDir(DemoReducer::folder()).removeRecursively();
        QDir(DraftStore::defaultDirectory()).removeRecursively();
        QFile::remove(AuditLog::defaultPath());
    }

    void refundTheDuplicateCharge()
    {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        DemoHistory::Options options;
        options.eventCount = 16000;
        window.startDemo(options);
        TimelineSession *session = window.session();
        FoldController *fold = window.workspace()->fold();
        QTRY_VERIFY_WITH_TIMEOUT(session->stream().startsWith("payment-") && !session->isLoading()
                                     && session->cursor()->hasMarkers()
                                     && fold->reducerName() == QLatin1String("demo-orders"),
                                 60000);
        const QByteArray stream = session->stream();
        const engine::TimelineIndex &index = session->index();
        const quint64 duplicate = quint64(session->cursor()->position());
        QCOMPARE(index.typeName(duplicate), QByteArray("PaymentProcessed"));
        QCOMPARE(index.typeName(duplicate - 1), QByteArray("PaymentProcessed"));
        const quint64 head = index.revision(index.size() - 1);

        // Corrections ▸ New Correction…: an empty draft for the stream on the timeline, pinned to its head.
        CorrectionComposer *composer = window.corrections()->composer();
        QVERIFY(window.corrections()->newAction()->isEnabled());
        window.corrections()->newAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(composer->hasDraft(), 20000);
        QVERIFY(composer->draft().correctsEventId.isNull());
        QVERIFY(composer->draft().eventType.isEmpty());
        QCOMPARE(*composer->draft().expected, ExpectedState::at(head));
        QVERIFY(composer->typeBox()->findText(QStringLiteral("PaymentProcessed")) >= 0); // the stream's types

        // Open the duplicate charge in the composer from the inspector.
        auto *inspector = window.findChild<views::EventInspector *>();
        QTRY_VERIFY_WITH_TIMEOUT(
            inspector->currentEvent() && inspector->currentEvent()->revision == index.revision(duplicate), 15000);
        const RecordedEvent corrected = *inspector->currentEvent();
        auto *button = inspector->findChild<QToolButton *>(QStringLiteral("correctLikeButton"));
        QVERIFY(button);
        QTRY_VERIFY(button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(composer->hasDraft() && !composer->draft().correctsEventId.isNull(), 20000);
        QVERIFY(window.corrections()->dock()->isVisible());
        QCOMPARE(composer->streamLabel()->text(), QString::fromUtf8(stream));
        QCOMPARE(composer->pinLabel()->text(),
                 QStringLiteral("Pinned to revision %1 — the head you inspected").arg(head));
        QCOMPARE(composer->draft().correctsEventId, corrected.id);
        QCOMPARE(*composer->draft().expected, ExpectedState::at(head));

        // The refund, from the reducer file's template: offered first, as the suggestion.
        QAction *refund = templateAction(composer, QStringLiteral("Refund this payment"));
        QVERIFY2(refund, "the demo reducer's refund template is offered on a PaymentProcessed");
        QVERIFY(refund->text().contains(QStringLiteral("suggested")));
        QCOMPARE(composer->templateMenu()->actions().constFirst(), refund);
        refund->trigger();
        QCOMPARE(composer->draft().eventType, QStringLiteral("PaymentRefunded"));
        const qint64 amount =
            QJsonDocument::fromJson(corrected.data).object().value(QStringLiteral("amount")).toInteger();
        QCOMPARE(QJsonDocument::fromJson(composer->draft().data.toUtf8())
                     .object()
                     .value(QStringLiteral("amount"))
                     .toInteger(),
                 amount);
        QTRY_VERIFY_WITH_TIMEOUT(composer->validationIsCurrent(), 10000);
        QCOMPARE(composer->validation().schemaSource, DraftValidation::SchemaSource::ReducerFile);
        QVERIFY2(!composer->validation().hasErrors(),
                 qPrintable(composer->validation().toStringList().join(QLatin1Char('\n'))));

        // Dry run: the state after vs before in the diff pane; the order's payments change.
        QVERIFY(dryRun(composer));
        auto *diff = window.findChild<DiffPane *>();
        QCOMPARE(diff->mode(), DiffPane::Mode::Correction);
        const QString rows = diffRows(*diff->tree());
        QVERIFY2(rows.contains(QStringLiteral("/paid | %1 | %2").arg(2 * amount).arg(amount)), qPrintable(rows));
        QVERIFY2(composer->previewLabel()->text().contains(QStringLiteral("none broken")),
                 qPrintable(composer->previewLabel()->text()));

        // Writes are locked: Append says so and waits.
        QVERIFY(!composer->appendButton()->isEnabled());
        QCOMPARE(composer->appendButton()->text(), QStringLiteral("Unlock Writes First"));
        QVERIFY(composer->unlockButton()->isVisible());
        const QString reason = QStringLiteral("refund the day-60 duplicate charge");
        QVERIFY(window.workspace()->writeGuard()->unlock(reason).isEmpty());
        QTRY_VERIFY(composer->appendButton()->isEnabled());
        QVERIFY(!composer->unlockButton()->isVisible());

        const EventDraft first = composer->draft();
        const AppendOutcome ok = clickAppend(composer);
        QCOMPARE(ok.kind, AppendOutcome::Kind::Appended);
        QCOMPARE(ok.revision, std::optional<quint64>(head + 1));
        QCOMPARE(composer->outcomeView()->titleLabel()->text(), QStringLiteral("Appended"));
        QVERIFY(composer->outcomeView()->messageLabel()->text().contains(QStringLiteral("revision %1").arg(head + 1)));

        // Read back: the new event with the automatic metadata.
        const ReadResult read = window.client()->readAll(ReadRequest::forStream(stream).fromRevision(head + 1));
        QVERIFY(!read.error);
        QCOMPARE(read.events.size(), 1);
        const RecordedEvent &e = *read.events.at(0).event;
        QCOMPARE(e.id, first.eventId);
        QCOMPARE(e.type, QByteArray("PaymentRefunded"));
        const QJsonObject meta = QJsonDocument::fromJson(e.metadata).object();
        const QJsonObject correctedMeta = QJsonDocument::fromJson(corrected.metadata).object();
        QCOMPARE(meta.value(QStringLiteral("$correlationId")), correctedMeta.value(QStringLiteral("$correlationId")));
        QCOMPARE(meta.value(QStringLiteral("$causationId")).toString(), corrected.id.toString(QUuid::WithoutBraces));
        QCOMPARE(meta.value(QStringLiteral("reason")).toString(), reason);
        QCOMPARE(meta.value(QStringLiteral("operator")).toObject().value(QStringLiteral("osUser")).toString(),
                 AuditOperator::osUserName());
        QCOMPARE(meta.value(QStringLiteral("tool")).toString(), QStringLiteral("chronoscope"));
        QVERIFY(!meta.value(QStringLiteral("toolVersion")).toString().isEmpty());
        QVERIFY2(window.workspace()->auditLog()->verify().ok(),
                 qPrintable(window.workspace()->auditLog()->verify().toString()));
        QTRY_VERIFY(!window.workspace()->drafts()->load(first.draftId).draft); // appended: the draft is gone

        // A second refund of three times the charge: more than was paid, refused at its field.
        refund->trigger();
        QVERIFY(composer->draft().eventId != first.eventId);
        QCOMPARE(*composer->draft().expected, ExpectedState::at(head + 1));
        composer->setDataText(withAmount(composer->draft().data, 3 * amount));
        QVERIFY(dryRun(composer));
        const QString issues = composer->dataEditor()->issuesLabel()->text();
        QVERIFY2(issues.contains(QStringLiteral("refunds never exceed what was paid")), qPrintable(issues));
        QVERIFY2(issues.contains(QStringLiteral("more than")), qPrintable(issues));
        QVERIFY(composer->dataEditor()->issuesLabel()->isVisible());
        QVERIFY(!composer->appendButton()->isEnabled());
        QSignalSpy refused(composer, &CorrectionComposer::appendFinished);
        composer->append(); // even when asked for: the Corrector refuses it
        QVERIFY(refused.wait(20000));
        QCOMPARE(refused.at(0).at(0).value<AppendOutcome>().kind, AppendOutcome::Kind::RefusedByValidation);
        QCOMPARE(window.client()->readAll(ReadRequest::forStream(stream).fromRevision(head + 2)).events.size(), 0);

        // A conflict: another client appends between the dry run and the append.
        composer->setDataText(withAmount(composer->draft().data, 1));
        QVERIFY(dryRun(composer));
        QTRY_VERIFY(composer->appendButton()->isEnabled());
        const ConnectionString::Result other = ConnectionString::parse(window.connectionText());
        QVERIFY(other.ok());
        StreamsClient someoneElse(other.settings);
        const QJsonObject note{{QStringLiteral("note"), QStringLiteral("customer called")}};
        QVERIFY(!someoneElse
                     .append(stream, ExpectedState::any(),
                             {EventData::json("PaymentNoteAdded", QJsonDocument(note).toJson(QJsonDocument::Compact))})
                     .error);
        QSignalSpy revalidated(composer->session(), &CorrectionSession::validated);
        const EventDraft pinned = composer->draft();
        const AppendOutcome conflict = clickAppend(composer);
        QCOMPARE(conflict.kind, AppendOutcome::Kind::Conflict);
        AppendOutcomeView *outcome = composer->outcomeView();
        QCOMPARE(outcome->titleLabel()->text(), QStringLiteral("Conflict"));
        QVERIFY(outcome->messageLabel()->text().contains(QStringLiteral("nothing was written")));
        QCOMPARE(outcome->eventsList()->count(), 1);
        QVERIFY(outcome->eventsList()->item(0)->text().contains(QStringLiteral("PaymentNoteAdded")));
        QVERIFY(outcome->repinButton()->isVisible());
        QVERIFY(revalidated.wait(10000));                        // checked again against the new head
        QCOMPARE(*composer->draft().expected, *pinned.expected); // not re-pinned behind the user's back
        QVERIFY(composer->pinLabel()->text().contains(QStringLiteral("is at revision %1 now").arg(head + 2)));
        QVERIFY(!composer->appendButton()->isEnabled());
        QCOMPARE(window.client()->readAll(ReadRequest::forStream(stream).fromRevision(head + 2)).events.size(), 1);

        // Seen: re-pin, dry run again, append.
        QTest::mouseClick(outcome->repinButton(), Qt::LeftButton);
        QCOMPARE(*composer->draft().expected, ExpectedState::at(head + 2));
        QCOMPARE(composer->pinLabel()->text(),
                 QStringLiteral("Pinned to revision %1 — the head you inspected").arg(head + 2));
        QVERIFY(!composer->appendButton()->isEnabled());
        QVERIFY(dryRun(composer));
        QTRY_VERIFY(composer->appendButton()->isEnabled());
        const AppendOutcome after = clickAppend(composer);
        QCOMPARE(after.kind, AppendOutcome::Kind::Appended);
        QCOMPARE(after.revision, std::optional<quint64>(head + 3));
        QCOMPARE(window.client()->readAll(ReadRequest::forStream(stream).fromRevision(head + 3)).events.at(0).event->id,
                 pinned.eventId); // the same event id through the conflict
        QVERIFY(window.workspace()->auditLog()->verify().ok());
    }

    void profileFlagsReachTheGuard()
    {
        // What the profile banner shows is what the write guard enforces.
        MainWindow window;
        window.show();
        ConnectionProfile prod;
        prod.name = QStringLiteral("prod-eu");
        prod.connectionString = QStringLiteral("kurrentdb://127.0.0.1:1?tls=false");
        prod.production = true;
        prod.readOnly = false;
        ConnectionProfile audit = prod;
        audit.name = QStringLiteral("audit");
        audit.production = false;
        audit.readOnly = true;
        QVERIFY(window.connections()->profiles().save(prod).isEmpty());
        QVERIFY(window.connections()->profiles().save(audit).isEmpty());
        WriteGuard *guard = window.workspace()->writeGuard();
        CorrectionComposer *composer = window.corrections()->composer();

        window.connections()->connectProfile(prod.name);
        QCOMPARE(guard->state(), WriteGuard::State::Locked);
        QVERIFY(guard->needsTypedProfileName());
        QVERIFY(guard->unlock(QStringLiteral("production fix")).isEmpty());
        QVERIFY(!guard->authorize().isEmpty());
        QVERIFY(guard->authorize(prod.name).isEmpty());
        QVERIFY(composer->profileNameEdit()->isVisibleTo(composer));

        window.connections()->connectProfile(audit.name); // another connection: locked again, for good
        QCOMPARE(guard->state(), WriteGuard::State::ReadOnlyProfile);
        QVERIFY(!guard->unlock(QStringLiteral("just this once")).isEmpty());
        QCOMPARE(composer->appendButton()->text(), QStringLiteral("Read-Only Profile"));
    }
};

QTEST_MAIN(TestCorrections)
#include "tst_corrections.moc"
