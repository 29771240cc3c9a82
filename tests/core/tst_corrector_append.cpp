// Every outcome of Corrector::append() and readBack() against the real sandbox (issue 12, items 5
// and 6): appended (and the metadata read back from the stored event), already appended after a
// lost answer, a conflict, deleted and tombstoned streams, oversized, deadline exceeded, a killed
// server, and the write guard's refusals; each with the audit records it leaves.
#include "CorrectorRig.h"
#include "support/TestCertificates.h"

#include <QTest>

using namespace chronoscope;
using namespace chronoscope::test;
using sandbox::Fault;
using Kind = AppendOutcome::Kind;
using namespace std::chrono_literals;

namespace {

QString text(const AppendOutcome &o)
{
    return AppendOutcome::kindName(o.kind) + QStringLiteral(": ") + o.message;
}

/// The attempt and outcome records of one append, as the log holds them.
struct Story
{
    QStringList kinds;   ///< "attempt", "outcome", "readback" in order
    QStringList results; ///< the outcomes' results
};

Story storyOf(const QList<AuditRecord> &records, const QUuid &eventId)
{
    Story s;
    const QString id = eventId.toString(QUuid::WithoutBraces);
    for (const AuditRecord &r : records) {
        if (r.text("eventId") != id)
            continue;
        s.kinds << r.kind;
        if (r.kind == QLatin1String("outcome"))
            s.results << r.text("result");
    }
    return s;
}

} // namespace

class TestCorrectorAppend : public QObject
{
    Q_OBJECT

    CorrectorRig m_rig;

    void seedPayments(const QByteArray &stream)
    {
        m_rig.seed(stream,
                   {{"PaymentProcessed", paymentData(QStringLiteral("o-1"), 1000)},
                    {"PaymentProcessed", paymentData(QStringLiteral("o-1"), 1000)}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_rig.start(&error, 400), qPrintable(error));
    }

    void appendedWithTheAutomaticMetadata()
    {
        const QByteArray stream = "payment-appended";
        seedPayments(stream);
        auto target = m_rig.load(stream);
        const RecordedEvent duplicate = *target->latestOfType("PaymentProcessed");
        EventDraft d = EventDraft::likeEvent(duplicate, target->headExpected());
        d.eventType = QStringLiteral("PaymentRefunded");
        d.data = QStringLiteral(R"({"orderId": "o-1", "amount": 1000})");
        d.customMetadata = QStringLiteral(R"({"ticket": "T-42"})");
        const QByteArray anchor = m_rig.audit->headSha256();
        const AppendOutcome o = m_rig.corrector->append(d, *target);
        QVERIFY2(o.kind == Kind::Appended, qPrintable(text(o)));
        QCOMPARE(o.revision, std::optional<quint64>(2));
        QVERIFY(o.position && !o.position->isEnd());
        QVERIFY(o.attemptSeq > 0);
        QCOMPARE(o.exitCode(), 0);
        // The head moved with it.
        QCOMPARE(target->headRevision(), std::optional<quint64>(2));
        QCOMPARE(target->headState().toObject().value(QStringLiteral("refunded")).toInt(), 1000);

        const QList<RecordedEvent> events = m_rig.stored(stream);
        QCOMPARE(events.size(), 3);
        const RecordedEvent &stored = events.last();
        QCOMPARE(stored.id, d.eventId);
        QCOMPARE(stored.type, QByteArray("PaymentRefunded"));
        QCOMPARE(stored.data, d.data.toUtf8());
        QCOMPARE(stored.position, *o.position);
        const QJsonObject meta = QJsonDocument::fromJson(stored.metadata).object();
        QCOMPARE(meta.value(QStringLiteral("ticket")).toString(), QStringLiteral("T-42"));
        QCOMPARE(meta.value(QStringLiteral("$causationId")).toString(), duplicate.id.toString(QUuid::WithoutBraces));
        QCOMPARE(meta.value(QStringLiteral("$correlationId")).toString(), d.correlationId);
        QVERIFY(!d.correlationId.isEmpty());
        QCOMPARE(meta.value(QStringLiteral("reason")).toString(), kReason);
        const QJsonObject op = meta.value(QStringLiteral("operator")).toObject();
        QCOMPARE(op.value(QStringLiteral("osUser")).toString(), AuditOperator::osUserName());
        QVERIFY(op.contains(QStringLiteral("connectionUser")));
        QCOMPARE(meta.value(QStringLiteral("tool")).toString(), QStringLiteral("chronoscope"));
        QCOMPARE(meta.value(QStringLiteral("toolVersion")).toString(), QStringLiteral(CHRONOSCOPE_VERSION));
        QCOMPARE(meta.value(QStringLiteral("draftId")).toString(), d.draftId.toString(QUuid::WithoutBraces));
        QCOMPARE(meta.value(QStringLiteral("auditAnchor")).toString().toLatin1(), anchor);

        // The audit log: the attempt (with the metadata sent) and its outcome, and the chain holds.
        const QList<AuditRecord> records = m_rig.auditRecords();
        const Story s = storyOf(records, d.eventId);
        QCOMPARE(s.kinds, (QStringList{QStringLiteral("attempt"), QStringLiteral("outcome")}));
        QCOMPARE(s.results, QStringList{QStringLiteral("appended")});
        for (const AuditRecord &r : records) {
            if (r.kind == QLatin1String("attempt") && r.text("eventId") == d.eventId.toString(QUuid::WithoutBraces)) {
                QCOMPARE(r.seq, o.attemptSeq);
                QCOMPARE(r.text("metadata").toUtf8(), stored.metadata);
                QCOMPARE(r.text("reason"), kReason);
            }
        }
        QVERIFY2(m_rig.audit->verify().ok(), qPrintable(m_rig.audit->verify().toString()));
    }

    void invariantRefusalMakesNoCall()
    {
        const QByteArray stream = "payment-refused";
        seedPayments(stream);
        auto target = m_rig.load(stream);
        const qsizetype recordsBefore = m_rig.auditRecords().size();
        const AppendOutcome o = m_rig.corrector->append(refundDraft(*target, 2500), *target);
        QVERIFY2(o.kind == Kind::RefusedByValidation, qPrintable(text(o)));
        QCOMPARE(o.exitCode(), 3);
        QVERIFY(o.message.contains(kRefundInvariant));
        QCOMPARE(o.validation.errors().constFirst().invariant, kRefundInvariant);
        QCOMPARE(m_rig.stored(stream).size(), 2);
        QCOMPARE(m_rig.auditRecords().size(), recordsBefore); // no call, no attempt
    }

    void alreadyAppendedAfterCommitThenDrop()
    {
        const QByteArray stream = "payment-dropped";
        seedPayments(stream); // append #1 of this stream
        auto target = m_rig.load(stream);
        m_rig.box.plan->at(stream.toStdString(), 2, Fault::commitThenDrop());
        const EventDraft d = refundDraft(*target, 1000);
        const AppendOutcome lost = m_rig.corrector->append(d, *target);
        QVERIFY2(lost.kind == Kind::ConnectionLost, qPrintable(text(lost)));
        QVERIFY(lost.isUncertain());
        QCOMPARE(target->headRevision(), std::optional<quint64>(1)); // nothing known yet
        // The user retries the same draft at once: the server's strong check answers it.
        const AppendOutcome retry = m_rig.corrector->append(d, *target);
        QVERIFY2(retry.kind == Kind::AlreadyAppended, qPrintable(text(retry)));
        QCOMPARE(retry.revision, std::optional<quint64>(2));
        QCOMPARE(target->headRevision(), std::optional<quint64>(2));
        QCOMPARE(m_rig.stored(stream).size(), 3);
        const Story s = storyOf(m_rig.auditRecords(), d.eventId);
        QCOMPARE(s.kinds,
                 (QStringList{QStringLiteral("attempt"), QStringLiteral("outcome"), QStringLiteral("attempt"),
                              QStringLiteral("outcome")}));
        QCOMPARE(s.results, (QStringList{QStringLiteral("unknown"), QStringLiteral("already-appended")}));
        QVERIFY(m_rig.audit->verify().ok());
    }

    void readBackFindsTheEventThatLanded()
    {
        const QByteArray stream = "payment-readback";
        seedPayments(stream);
        auto target = m_rig.load(stream);
        m_rig.box.plan->at(stream.toStdString(), 2, Fault::commitThenDrop());
        const EventDraft d = refundDraft(*target, 300);
        QCOMPARE(m_rig.corrector->append(d, *target).kind, Kind::ConnectionLost);
        const AppendOutcome back = m_rig.corrector->readBack(d, *target);
        QVERIFY2(back.kind == Kind::AlreadyAppended, qPrintable(text(back)));
        QCOMPARE(back.revision, std::optional<quint64>(2));
        QCOMPARE(target->headRevision(), std::optional<quint64>(2)); // caught up
        // Retrying now is refused before any call: the draft is pinned behind the head.
        const AppendOutcome again = m_rig.corrector->append(d, *target);
        QCOMPARE(again.kind, Kind::RefusedByValidation);
        QCOMPARE(m_rig.stored(stream).size(), 3);
        const Story s = storyOf(m_rig.auditRecords(), d.eventId);
        QCOMPARE(s.kinds,
                 (QStringList{QStringLiteral("attempt"), QStringLiteral("outcome"), QStringLiteral("readback")}));
    }

    void conflictCatchesTheTargetUp()
    {
        const QByteArray stream = "payment-conflict";
        seedPayments(stream);
        auto target = m_rig.load(stream);
        EventDraft d = refundDraft(*target, 400);
        // Another client appends in between.
        m_rig.seed(stream, {{"PaymentProcessed", paymentData(QStringLiteral("o-1"), 50)}});
        const AppendOutcome o = m_rig.corrector->append(d, *target);
        QVERIFY2(o.kind == Kind::Conflict, qPrintable(text(o)));
        QCOMPARE(o.exitCode(), 3);
        QCOMPARE(o.actualRevision, std::optional<quint64>(2));
        QCOMPARE(o.newEvents.size(), 1);
        QCOMPARE(o.newEvents[0].revision, quint64(2));
        QCOMPARE(target->headRevision(), std::optional<quint64>(2));
        QCOMPARE(target->headState().toObject().value(QStringLiteral("paid")).toInt(), 2050);
        QCOMPARE(m_rig.stored(stream).size(), 3);
        // Never retried silently: the draft is refused until re-pinned to the new head, then goes.
        QVERIFY(m_rig.corrector->validate(d, *target).hasErrors());
        d.expected = target->headExpected();
        QVERIFY(!m_rig.corrector->validate(d, *target).hasErrors());
        const AppendOutcome after = m_rig.corrector->append(d, *target);
        QVERIFY2(after.kind == Kind::Appended, qPrintable(text(after)));
        QCOMPARE(after.revision, std::optional<quint64>(3));
        const Story s = storyOf(m_rig.auditRecords(), d.eventId);
        QCOMPARE(s.results, (QStringList{QStringLiteral("conflict"), QStringLiteral("appended")}));
    }

    void deletedAndTombstonedStreams()
    {
        const QByteArray soft = "payment-softdeleted";
        seedPayments(soft);
        auto target = m_rig.load(soft);
        QVERIFY(!m_rig.client->deleteStream(soft, ExpectedState::any()).error);
        AppendOutcome o = m_rig.corrector->append(refundDraft(*target, 10), *target);
        QVERIFY2(o.kind == Kind::StreamDeleted, qPrintable(text(o)));
        QVERIFY(target->isDeleted());
        QVERIFY(m_rig.stored(soft).isEmpty()); // not brought back to life

        const QByteArray hard = "payment-tombstoned";
        seedPayments(hard);
        target = m_rig.load(hard);
        QVERIFY(!m_rig.client->tombstoneStream(hard, ExpectedState::any()).error);
        o = m_rig.corrector->append(refundDraft(*target, 10), *target);
        QVERIFY2(o.kind == Kind::StreamDeleted, qPrintable(text(o)));
        QVERIFY(o.message.contains(QStringLiteral("tombstoned")));
        QVERIFY(target->isDeleted());
    }

    void oversizedEvents()
    {
        const QByteArray stream = "payment-big";
        seedPayments(stream);
        auto target = m_rig.load(stream);
        // Over the server's own (lowered) limit, under ours: the server refuses it.
        m_rig.box.server.store().setMaxAppendSize(2000);
        EventDraft d = refundDraft(*target, 5);
        d.data = QStringLiteral("{\"orderId\": \"o-1\", \"amount\": 5, \"note\": \"%1\"}")
                     .arg(QString(150, QLatin1Char('n')));
        d.customMetadata = QStringLiteral("{\"attachment\": \"%1\"}").arg(QString(2500, QLatin1Char('a')));
        const AppendOutcome o = m_rig.corrector->append(d, *target);
        m_rig.box.server.store().setMaxAppendSize(1024 * 1024);
        QVERIFY2(o.kind == Kind::TooBig, qPrintable(text(o)));
        QCOMPARE(storyOf(m_rig.auditRecords(), d.eventId).results, QStringList{QStringLiteral("error")});
        // Over the default limit: refused before any call.
        d.customMetadata = QStringLiteral("{\"attachment\": \"%1\"}").arg(QString(1024 * 1024, QLatin1Char('a')));
        const AppendOutcome local = m_rig.corrector->append(d, *target);
        QCOMPARE(local.kind, Kind::RefusedByValidation);
        QCOMPARE(local.validation.errors().constFirst().stage, DraftIssue::Stage::Size);
        QCOMPARE(storyOf(m_rig.auditRecords(), d.eventId).kinds.size(), 2); // still the one attempt
        QCOMPARE(m_rig.stored(stream).size(), 2);
    }

    void deadlineExceededThenReadBack()
    {
        const QByteArray stream = "payment-stall";
        seedPayments(stream);
        auto target = m_rig.load(stream);
        // Stalled past the 400 ms deadline, then committed.
        m_rig.box.plan->at(stream.toStdString(), 2, Fault::stallThenCommit(900ms));
        const EventDraft d = refundDraft(*target, 100);
        const AppendOutcome o = m_rig.corrector->append(d, *target);
        QVERIFY2(o.kind == Kind::DeadlineExceeded, qPrintable(text(o)));
        QVERIFY(m_rig.box.stallsOver());
        const AppendOutcome back = m_rig.corrector->readBack(d, *target);
        QVERIFY2(back.kind == Kind::AlreadyAppended, qPrintable(text(back)));
        QCOMPARE(m_rig.stored(stream).size(), 3);

        // Stalled, then dropped: read back says it is safe to retry, and the retry lands once.
        m_rig.box.plan->at(stream.toStdString(), 3, Fault::stallThenDrop(900ms));
        const EventDraft second = refundDraft(*target, 200);
        QCOMPARE(m_rig.corrector->append(second, *target).kind, Kind::DeadlineExceeded);
        QVERIFY(m_rig.box.stallsOver());
        const AppendOutcome notThere = m_rig.corrector->readBack(second, *target);
        QVERIFY2(notThere.kind == Kind::NotAppended, qPrintable(text(notThere)));
        const AppendOutcome retry = m_rig.corrector->append(second, *target);
        QVERIFY2(retry.kind == Kind::Appended, qPrintable(text(retry)));
        QCOMPARE(retry.revision, std::optional<quint64>(3));
        QCOMPARE(m_rig.stored(stream).size(), 4);
        const Story s = storyOf(m_rig.auditRecords(), second.eventId);
        QCOMPARE(s.kinds,
                 (QStringList{QStringLiteral("attempt"), QStringLiteral("outcome"), QStringLiteral("readback"),
                              QStringLiteral("attempt"), QStringLiteral("outcome")}));
        QCOMPARE(s.results, (QStringList{QStringLiteral("unknown"), QStringLiteral("appended")}));
    }

    void killedServerThenRestart()
    {
        const QByteArray stream = "payment-killed";
        seedPayments(stream);
        auto target = m_rig.load(stream);
        m_rig.box.plan->at(stream.toStdString(), 2, Fault::killBeforeCommit(true));
        const EventDraft d = refundDraft(*target, 100);
        const AppendOutcome o = m_rig.corrector->append(d, *target);
        QVERIFY2(o.kind == Kind::ConnectionLost, qPrintable(text(o)));
        // While the server is down, read back cannot tell either.
        const AppendOutcome down = m_rig.corrector->readBack(d, *target);
        QVERIFY2(down.isUncertain(), qPrintable(text(down)));
        QString error;
        QVERIFY(m_rig.box.server.hasCrashed());
        QVERIFY2(m_rig.box.server.restart(&error), qPrintable(error));
        AppendOutcome back;
        for (int i = 0; i < 50; ++i) { // the client reconnects
            back = m_rig.corrector->readBack(d, *target);
            if (!back.isUncertain())
                break;
            QThread::msleep(20);
        }
        QVERIFY2(back.kind == Kind::NotAppended, qPrintable(text(back)));
        const AppendOutcome retry = m_rig.corrector->append(d, *target);
        QVERIFY2(retry.kind == Kind::Appended, qPrintable(text(retry)));
        QCOMPARE(m_rig.stored(stream).size(), 3);
        QVERIFY(m_rig.audit->verify().ok());
    }

    void guardRefusals()
    {
        const QByteArray stream = "payment-guarded";
        seedPayments(stream);
        auto target = m_rig.load(stream);
        const EventDraft d = refundDraft(*target, 10);
        const qsizetype before = m_rig.auditRecords().size();

        WriteGuard locked(WriteProfile::adHoc());
        Corrector lockedCorrector(m_rig.client.get(), m_rig.audit.get(), &locked, AuditOperator());
        AppendOutcome o = lockedCorrector.append(d, *target);
        QVERIFY2(o.kind == Kind::RefusedByGuard, qPrintable(text(o)));

        WriteGuard readOnly(WriteProfile{QStringLiteral("prod-ro"), false, true});
        QVERIFY(!readOnly.unlock(kReason).isEmpty());
        Corrector readOnlyCorrector(m_rig.client.get(), m_rig.audit.get(), &readOnly, AuditOperator());
        QCOMPARE(readOnlyCorrector.append(d, *target).kind, Kind::RefusedByGuard);

        WriteGuard production(WriteProfile{QStringLiteral("payments-prod"), true, false});
        QVERIFY(production.unlock(kReason).isEmpty());
        Corrector prodCorrector(m_rig.client.get(), m_rig.audit.get(), &production, AuditOperator());
        QCOMPARE(prodCorrector.append(d, *target).kind, Kind::RefusedByGuard);
        AppendOptions typed;
        typed.typedProfileName = QStringLiteral("payments-pro");
        QCOMPARE(prodCorrector.append(d, *target, typed).kind, Kind::RefusedByGuard);

        EventDraft any = d;
        any.expected = ExpectedState::any();
        QCOMPARE(m_rig.corrector->append(any, *target).kind, Kind::NotPinned);

        QCOMPARE(m_rig.auditRecords().size(), before); // none of these made a call
        QCOMPARE(m_rig.stored(stream).size(), 2);

        typed.typedProfileName = QStringLiteral("payments-prod");
        const AppendOutcome ok = prodCorrector.append(d, *target, typed);
        QVERIFY2(ok.kind == Kind::Appended, qPrintable(text(ok)));
    }

    void auditFailureMakesNoCall()
    {
        const QByteArray stream = "payment-noaudit";
        seedPayments(stream);
        auto target = m_rig.load(stream);
        // The log's folder is a file: nothing can be written there.
        QFile blocker(m_rig.auditDir.filePath(QStringLiteral("not-a-folder")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        AuditLog broken(m_rig.auditDir.filePath(QStringLiteral("not-a-folder/audit.jsonl")));
        Corrector corrector(m_rig.client.get(), &broken, &m_rig.guard, AuditOperator());
        const AppendOutcome o = corrector.append(refundDraft(*target, 10), *target);
        QVERIFY2(o.kind == Kind::AuditFailed, qPrintable(text(o)));
        QCOMPARE(m_rig.stored(stream).size(), 2);
    }

    // A secure sandbox (TLS, credentials, stream ACLs): `ops` may read the stream but its $acl
    // lets only $admins write.
    void accessDenied()
    {
        TestCertificates certs;
        QVERIFY2(certs.ok(), qPrintable(certs.error()));
        sandbox::SandboxServer secure;
        QVERIFY(secure.enableSecurity({certs.path("server.crt"), certs.path("server.key"), certs.path("ca.crt")})
                    .isEmpty());
        QString error;
        const int port = secure.start(QStringLiteral("127.0.0.1:0"), &error);
        QVERIFY2(port > 0, qPrintable(error));
        const QString query = QStringLiteral("tls=true&tlsCAFile=") + certs.path("ca.crt");
        auto connect = [&](const QString &user) {
            return std::make_unique<StreamsClient>(
                ConnectionString::parse(
                    QStringLiteral("kurrentdb://%1:changeit@127.0.0.1:%2?%3").arg(user).arg(port).arg(query))
                    .settings);
        };
        const auto admin = connect(QStringLiteral("admin"));
        const auto ops = connect(QStringLiteral("ops"));
        const QByteArray stream = "payment-acl";
        QVERIFY(!admin
                     ->append(stream, ExpectedState::any(),
                              {EventData::json("PaymentProcessed", paymentData(QStringLiteral("o-1"), 10))})
                     .error);
        StreamAcl acl;
        acl.writeRoles = {QStringLiteral("$admins")};
        StreamMetadata meta;
        meta.acl = acl;
        QVERIFY(!admin->setStreamMetadata(stream, meta).error);

        auto target = paymentsTarget(stream);
        QVERIFY(target->catchUp(*ops).ok());
        Corrector corrector(ops.get(), m_rig.audit.get(), &m_rig.guard, AuditOperator());
        const EventDraft d = refundDraft(*target, 5);
        const AppendOutcome o = corrector.append(d, *target);
        QVERIFY2(o.kind == Kind::AccessDenied, qPrintable(text(o)));
        QVERIFY(!o.error.isAuthenticationFailure());
        QCOMPARE(storyOf(m_rig.auditRecords(), d.eventId).results, QStringList{QStringLiteral("error")});
        // The same draft as admin goes through.
        Corrector asAdmin(admin.get(), m_rig.audit.get(), &m_rig.guard, AuditOperator());
        const AppendOutcome ok = asAdmin.append(d, *target);
        QVERIFY2(ok.kind == Kind::Appended, qPrintable(text(ok)));
        secure.shutdown();
    }

    void wholeLogVerifies()
    {
        const AuditVerification v = m_rig.audit->verify();
        QVERIFY2(v.ok(), qPrintable(v.toString()));
        QVERIFY(v.records > 10);
    }
};

QTEST_GUILESS_MAIN(TestCorrectorAppend)
#include "tst_corrector_append.moc"
