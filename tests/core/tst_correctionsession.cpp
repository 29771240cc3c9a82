// CorrectionSession against a real sandbox server: the composer's write path off the GUI thread —
// load with progress and cancel, latest-wins validation, the dry run's diff, appends through the
// guard (locked, unlocked), a conflict that catches the target up, drafts saved as typed and removed
// once appended.
#include "client/StreamsClient.h"
#include "correct/AuditLog.h"
#include "correct/CorrectionSession.h"
#include "correct/DraftStore.h"
#include "correct/WriteGuard.h"
#include "support/DemoSandbox.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;

namespace {

const QString kReducer = QStringLiteral(CHRONOSCOPE_TEST_DATA "/../../resources/reducers/demo-orders.reducer.json");

/// A charge (or, with a reason, its refund) of the demo reducer's shape.
QByteArray charge(const QString &order, int amount, const QString &reason = {})
{
    QJsonObject o{{QStringLiteral("paymentId"), QString(QStringLiteral("payment-") + order)},
                  {QStringLiteral("orderId"), QString(QStringLiteral("order-") + order)},
                  {QStringLiteral("amount"), amount},
                  {QStringLiteral("currency"), QStringLiteral("EUR")}};
    if (!reason.isEmpty())
        o.insert(QStringLiteral("reason"), reason);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class TestCorrectionSession : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;
    QTemporaryDir m_dir;
    int m_streams = 0;

    /// A fresh payment stream with `charges` PaymentProcessed events; its name.
    QByteArray makeStream(int charges)
    {
        const QByteArray stream = "payment-session-" + QByteArray::number(++m_streams);
        QList<EventData> events;
        for (int i = 0; i < charges; ++i)
            events << EventData::json("PaymentProcessed", charge(QStringLiteral("s%1").arg(m_streams), 2500));
        const AppendResult r = m_client->append(stream, ExpectedState::noStream(), events);
        if (r.error)
            qWarning() << r.error.toString();
        return stream;
    }

    /// Loads `stream` and waits for the answer.
    static CorrectionLoaded loaded(CorrectionSession &session, const CorrectionRequest &request)
    {
        QSignalSpy done(&session, &CorrectionSession::loadFinished);
        session.load(request);
        if (!done.wait(20000))
            return {};
        return done.takeFirst().at(0).value<CorrectionLoaded>();
    }

    static AppendOutcome appended(CorrectionSession &session, const EventDraft &draft)
    {
        QSignalSpy done(&session, &CorrectionSession::appendFinished);
        session.append(draft);
        if (!done.wait(20000))
            return {};
        return done.takeFirst().at(0).value<AppendOutcome>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<CorrectionLoaded>();
        qRegisterMetaType<AppendOutcome>();
        qRegisterMetaType<DraftValidation>();
        qRegisterMetaType<CorrectionPreview>();
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_sandbox.start(200), qPrintable(m_sandbox.error()));
        m_client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        QVERIFY(QFile::exists(kReducer));
    }

    void loadsTheTargetWithItsHead()
    {
        const QByteArray stream = makeStream(3);
        WriteGuard guard(WriteProfile::adHoc());
        AuditLog audit(m_dir.filePath(QStringLiteral("a1.jsonl")));
        DraftStore drafts(m_dir.filePath(QStringLiteral("d1")));
        CorrectionSession session(m_client, &audit, &guard, &drafts, AuditOperator::current(m_sandbox.settings()));
        const CorrectionLoaded l = loaded(session, {stream, kReducer, 1, ExpectedState::at(2)});
        QVERIFY2(l.ok(), qPrintable(l.error.toString()));
        QCOMPARE(l.target.headRevision, std::optional<quint64>(2));
        QCOMPARE(l.target.eventCount, quint64(3));
        QCOMPARE(l.target.knownTypes, QStringList{QStringLiteral("PaymentProcessed")});
        QCOMPARE(l.target.reducerName, QStringLiteral("demo-orders"));
        QVERIFY(l.likeEvent);
        QCOMPARE(l.likeEvent->revision, quint64(1));
        QVERIFY(l.unseen.isEmpty());
        QCOMPARE(session.target().headRevision, std::optional<quint64>(2));

        // Inspected at revision 0: the two events after it are what the user has not seen.
        const CorrectionLoaded behind = loaded(session, {stream, kReducer, std::nullopt, ExpectedState::at(0)});
        QVERIFY(behind.ok());
        QCOMPARE(behind.unseen.size(), 2);
        QCOMPARE(behind.unseen.at(0).revision, quint64(1));

        // A reducer file that does not apply falls back to the merge reducer, and says so.
        const CorrectionLoaded other = loaded(session, {"customer-none", kReducer, std::nullopt, std::nullopt});
        QVERIFY(other.ok());
        QVERIFY(other.target.reducerName.isEmpty());
        QVERIFY2(other.target.reducerNote.contains(QStringLiteral("does not apply")),
                 qPrintable(other.target.reducerNote));
        QCOMPARE(other.target.headRevision, std::optional<quint64>());
    }

    void cancelledLoadSaysSo()
    {
        const QByteArray stream = makeStream(2);
        WriteGuard guard(WriteProfile::adHoc());
        AuditLog audit(m_dir.filePath(QStringLiteral("a2.jsonl")));
        CorrectionSession session(m_client, &audit, &guard, nullptr, AuditOperator{});
        QSignalSpy done(&session, &CorrectionSession::loadFinished);
        session.load({stream, kReducer, std::nullopt, std::nullopt});
        session.cancelLoad();
        QCOMPARE(done.size(), 1); // at once, on this thread
        QVERIFY(done.at(0).at(0).value<CorrectionLoaded>().cancelled);
        QVERIFY(!session.isLoading());
        QTest::qWait(300);
        QCOMPARE(done.size(), 1); // the worker's late answer is dropped
    }

    void latestValidationWinsAndIssuesAreAtTheirFields()
    {
        const QByteArray stream = makeStream(1);
        WriteGuard guard(WriteProfile::adHoc());
        AuditLog audit(m_dir.filePath(QStringLiteral("a3.jsonl")));
        CorrectionSession session(m_client, &audit, &guard, nullptr, AuditOperator{});
        QVERIFY(loaded(session, {stream, kReducer, std::nullopt, std::nullopt}).ok());
        EventDraft draft = EventDraft::create(QString::fromUtf8(stream), ExpectedState::at(0));
        draft.eventType = QStringLiteral("PaymentProcessed");
        QSignalSpy validated(&session, &CorrectionSession::validated);
        // Typing: many requests in a row; only the last one's answer comes back.
        quint64 last = 0;
        for (int i = 0; i < 20; ++i) {
            draft.data = QStringLiteral("{\"orderId\": \"order-1\", \"amount\": %1").arg(i); // unclosed
            last = session.validate(draft);
        }
        draft.data = QStringLiteral("{\n  \"orderId\": \"order-1\",\n  \"amount\": 5 5\n}");
        last = session.validate(draft);
        QTRY_VERIFY_WITH_TIMEOUT(!validated.isEmpty(), 10000);
        QTest::qWait(200);
        QCOMPARE(validated.size(), 1);
        QCOMPARE(validated.at(0).at(0).toULongLong(), last);
        const DraftValidation v = validated.at(0).at(1).value<DraftValidation>();
        QVERIFY(v.hasErrors());
        const QList<DraftIssue> data = v.forField(DraftIssue::Field::Data);
        QVERIFY(!data.isEmpty());
        QCOMPARE(data.at(0).stage, DraftIssue::Stage::Syntax);
        QCOMPARE(data.at(0).line, 3);

        // Valid syntax, but the schema wants paymentId and currency: errors at their pointers.
        draft.data = QStringLiteral("{\"orderId\": \"order-1\", \"amount\": -5}");
        const quint64 id = session.validate(draft);
        QTRY_COMPARE_WITH_TIMEOUT(validated.constLast().at(0).toULongLong(), id, 10000);
        const DraftValidation schema = validated.constLast().at(1).value<DraftValidation>();
        QCOMPARE(schema.schemaSource, DraftValidation::SchemaSource::ReducerFile);
        QVERIFY2(schema.hasErrors(), qPrintable(schema.toStringList().join(QLatin1Char('\n'))));
        bool amount = false;
        for (const DraftIssue &i : schema.forField(DraftIssue::Field::Data))
            amount = amount || (i.stage == DraftIssue::Stage::Schema && i.pointer == QStringLiteral("/amount"));
        QVERIFY2(amount, qPrintable(schema.toStringList().join(QLatin1Char('\n'))));
    }

    void dryRunAppendConflictAndDrafts()
    {
        const QByteArray stream = makeStream(2);
        WriteGuard guard(WriteProfile::adHoc());
        AuditLog audit(m_dir.filePath(QStringLiteral("a4.jsonl")));
        DraftStore drafts(m_dir.filePath(QStringLiteral("d4")));
        CorrectionSession session(m_client, &audit, &guard, &drafts, AuditOperator::current(m_sandbox.settings()));
        const CorrectionLoaded l = loaded(session, {stream, kReducer, 1, std::nullopt});
        QVERIFY(l.ok() && l.likeEvent);
        EventDraft draft = EventDraft::likeEvent(*l.likeEvent, l.target.headExpected);
        draft.eventType = QStringLiteral("PaymentRefunded");
        draft.data = QString::fromUtf8(
            charge(QStringLiteral("s%1").arg(m_streams), 2500, QStringLiteral("duplicate charge")));

        // Autosave: an edit is on disk shortly after, exactly as typed.
        QSignalSpy saved(&session, &CorrectionSession::draftSaved);
        session.draftEdited(draft);
        QVERIFY(saved.wait(5000));
        QCOMPARE(saved.at(0).at(1).toString(), QString());
        const DraftStore::Loaded back = drafts.load(draft.draftId);
        QVERIFY(back.draft);
        QCOMPARE(back.draft->data, draft.data);
        QCOMPARE(back.draft->eventId, draft.eventId);

        // Dry run: the state after vs before, as a diff.
        QSignalSpy previews(&session, &CorrectionSession::dryRunReady);
        const quint64 id = session.dryRun(draft);
        QVERIFY(previews.wait(10000));
        QCOMPARE(previews.at(0).at(0).toULongLong(), id);
        const CorrectionPreview p = previews.at(0).at(1).value<CorrectionPreview>();
        QVERIFY2(p.dryRun.canAppend(), qPrintable(p.dryRun.validation.toStringList().join(QLatin1Char('\n'))));
        QVERIFY(p.diff.summary.changes() > 0);

        // Locked: refused, nothing written, the GUI thread never waited.
        QElapsedTimer call;
        call.start();
        QSignalSpy done(&session, &CorrectionSession::appendFinished);
        session.append(draft);
        QVERIFY2(call.elapsed() < 50, "append() returns at once");
        QVERIFY(session.isWriting());
        QVERIFY(done.wait(10000));
        QCOMPARE(done.at(0).at(0).value<AppendOutcome>().kind, AppendOutcome::Kind::RefusedByGuard);

        // Someone else appends: a conflict, the target catches up and says what came.
        QVERIFY(!m_client
                     ->append(stream, ExpectedState::at(1),
                              {EventData::json("PaymentProcessed", charge(QStringLiteral("x"), 1))})
                     .error);
        QVERIFY(guard.unlock(QStringLiteral("refund the duplicate charge")).isEmpty());
        QSignalSpy moved(&session, &CorrectionSession::targetChanged);
        const AppendOutcome conflict = appended(session, draft);
        QCOMPARE(conflict.kind, AppendOutcome::Kind::Conflict);
        QCOMPARE(conflict.newEvents.size(), 1);
        QCOMPARE(moved.size(), 1);
        QCOMPARE(session.target().headRevision, std::optional<quint64>(2));
        QVERIFY(drafts.load(draft.draftId).draft); // still there: nothing was appended

        // Re-pinned after seeing it: appended; the draft file goes.
        draft.expected = session.target().headExpected;
        const AppendOutcome ok = appended(session, draft);
        QCOMPARE(ok.kind, AppendOutcome::Kind::Appended);
        QCOMPARE(ok.revision, std::optional<quint64>(3));
        QCOMPARE(session.target().headRevision, std::optional<quint64>(3));
        QTRY_VERIFY(!drafts.load(draft.draftId).draft);
        // A later edit of the appended draft is not saved again.
        session.draftEdited(draft);
        session.flushDraft();
        QTest::qWait(CorrectionSession::kAutosaveDelayMs + 200);
        QVERIFY(!drafts.load(draft.draftId).draft);

        // Read back: the event is there, with the automatic metadata.
        const ReadResult read = m_client->readAll(ReadRequest::forStream(stream).fromRevision(3));
        QCOMPARE(read.events.size(), 1);
        const RecordedEvent &e = *read.events.at(0).event;
        QCOMPARE(e.id, draft.eventId);
        const QJsonObject meta = QJsonDocument::fromJson(e.metadata).object();
        QCOMPARE(meta.value(QStringLiteral("$causationId")).toString(),
                 draft.correctsEventId.toString(QUuid::WithoutBraces));
        QCOMPARE(meta.value(QStringLiteral("reason")).toString(), QStringLiteral("refund the duplicate charge"));

        // Checking whether it landed (what the composer offers after a lost answer): it did, once.
        QSignalSpy checked(&session, &CorrectionSession::readBackFinished);
        session.readBack(draft);
        QVERIFY(checked.wait(10000));
        const AppendOutcome landed = checked.at(0).at(0).value<AppendOutcome>();
        QCOMPARE(landed.kind, AppendOutcome::Kind::AlreadyAppended);
        QCOMPARE(landed.revision, std::optional<quint64>(3));
        // The same draft appended again is refused before any call (its pin is behind the head).
        QVERIFY(appended(session, draft).kind != AppendOutcome::Kind::Appended);
        QCOMPARE(m_client->readAll(ReadRequest::forStream(stream)).events.size(), 4);
    }

    void listsDraftsLeftOnDisk()
    {
        DraftStore drafts(m_dir.filePath(QStringLiteral("d5")));
        EventDraft d = EventDraft::create(QStringLiteral("payment-x"), ExpectedState::at(4));
        d.data = QStringLiteral("{\"half\": typed");
        QVERIFY(drafts.save(d).isEmpty());
        CorrectionSession session(nullptr, nullptr, nullptr, &drafts, AuditOperator{});
        QSignalSpy listed(&session, &CorrectionSession::draftsListed);
        session.listDrafts();
        QVERIFY(listed.wait(5000));
        const DraftStore::Listing l = listed.at(0).at(0).value<DraftStore::Listing>();
        QCOMPARE(l.drafts.size(), 1);
        QCOMPARE(l.drafts.at(0), d);
    }
};

QTEST_GUILESS_MAIN(TestCorrectionSession)
#include "tst_correctionsession.moc"
