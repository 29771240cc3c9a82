// The Corrector's validation stages and dry run (issue 12, items 3 and 4), on a target built from
// events in memory: no server is needed to check a draft. The append paths against the sandbox are
// tst_corrector_append.cpp; the fault test is tst_corrector_faults.cpp.
#include "CorrectorTestSupport.h"
#include "correct/CorrectionTarget.h"
#include "correct/Corrector.h"
#include "correct/WriteGuard.h"

#include <QTest>

using namespace chronoscope;
using namespace chronoscope::test;
using Stage = DraftIssue::Stage;
using Field = DraftIssue::Field;

namespace {

const QByteArray kStream = "payment-t1";

/// Two payments of 1000 and 500 (the second with a field the first lacks), at revisions 0 and 1.
std::unique_ptr<CorrectionTarget> targetWithPayments()
{
    auto target = paymentsTarget(kStream);
    QJsonObject second = QJsonDocument::fromJson(paymentData(QStringLiteral("o-1"), 500)).object();
    second.insert(QStringLiteral("channel"), QStringLiteral("web"));
    const auto errors = target->add({recorded(kStream, 0, "PaymentProcessed", paymentData(QStringLiteral("o-1"), 1000)),
                                     recorded(kStream, 1, "PaymentProcessed", json(second))});
    if (!errors.isEmpty())
        qFatal("fold: %s", qPrintable(errors.constFirst().message));
    return target;
}

QList<DraftIssue> ofStage(const DraftValidation &v, Stage stage)
{
    QList<DraftIssue> out;
    for (const DraftIssue &i : v.issues) {
        if (i.stage == stage)
            out << i;
    }
    return out;
}

QString describe(const DraftValidation &v)
{
    return v.toStringList().join(QStringLiteral(" | "));
}

} // namespace

class TestCorrector : public QObject
{
    Q_OBJECT

    WriteGuard m_guard{WriteProfile::adHoc()};
    Corrector m_corrector{nullptr, nullptr, &m_guard, AuditOperator()};

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_guard.unlock(QStringLiteral("refund the duplicate charge")).isEmpty()); }

    void targetFoldsToTheHead()
    {
        auto target = targetWithPayments();
        QCOMPARE(target->headRevision(), std::optional<quint64>(1));
        QCOMPARE(target->headExpected(), ExpectedState::at(1));
        QCOMPARE(target->eventCount(), quint64(2));
        QCOMPARE(target->headState().toObject().value(QStringLiteral("paid")).toInt(), 1500);
        QCOMPARE(target->knownTypes(), QStringList{QStringLiteral("PaymentProcessed")});
        QVERIFY(target->latestOfType("PaymentProcessed"));
        QCOMPARE(target->latestOfType("PaymentProcessed")->revision, quint64(1));
        // An event that is not the next revision is refused, and the head stays.
        const auto errors = target->add(
            {recorded(kStream, 5, "PaymentProcessed", paymentData(QStringLiteral("o"), 1))});
        QCOMPARE(errors.size(), 1);
        QCOMPARE(target->headRevision(), std::optional<quint64>(1));
    }

    void validRefundPasses()
    {
        auto target = targetWithPayments();
        const DraftValidation v = m_corrector.validate(refundDraft(*target, 400), *target);
        QVERIFY2(v.issues.isEmpty(), qPrintable(describe(v)));
        QCOMPARE(v.schemaSource, DraftValidation::SchemaSource::ReducerFile);
        QVERIFY(v.folded);
        QCOMPARE(v.invariantsChecked, 1);
    }

    void syntaxErrorsNameLineAndColumn_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        // The column counts characters of the text as typed (é is one, though two bytes).
        QTest::newRow("bad value") << QStringLiteral("{\n  \"orderId\": \"o-1\",\n  \"amount\": 25x\n}") << 3 << 15;
        QTest::newRow("missing comma") << QStringLiteral("{\"orderId\": \"é-1\"\n \"amount\": 1}") << 2 << 2;
        QTest::newRow("unclosed") << QStringLiteral("{\"orderId\": \"o-1\",\n\"amount\": 1") << 2 << 12;
    }
    void syntaxErrorsNameLineAndColumn()
    {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(int, column);
        auto target = targetWithPayments();
        EventDraft d = refundDraft(*target, 1);
        d.data = text;
        const DraftValidation v = m_corrector.validate(d, *target);
        QVERIFY(v.hasErrors());
        const QList<DraftIssue> syntax = ofStage(v, Stage::Syntax);
        QCOMPARE(syntax.size(), 1);
        QCOMPARE(syntax[0].field, Field::Data);
        QCOMPARE(syntax[0].line, line);
        QCOMPARE(syntax[0].column, column);
        QVERIFY2(syntax[0].toString().startsWith(QStringLiteral("data: line %1, column %2: ").arg(line).arg(column)),
                 qPrintable(syntax[0].toString()));
        QVERIFY(!v.folded); // nothing after a broken syntax runs
        QCOMPARE(v.schemaSource, DraftValidation::SchemaSource::None);
    }

    void metadataSyntaxAndShape()
    {
        auto target = targetWithPayments();
        EventDraft d = refundDraft(*target, 1);
        d.customMetadata = QStringLiteral("{\n\"ticket\": \"T-1\",,\n}");
        DraftValidation v = m_corrector.validate(d, *target);
        QList<DraftIssue> syntax = ofStage(v, Stage::Syntax);
        QCOMPARE(syntax.size(), 1);
        QCOMPARE(syntax[0].field, Field::Metadata);
        QCOMPARE(syntax[0].line, 2);
        QVERIFY(syntax[0].column > 0);
        d.customMetadata = QStringLiteral("[1, 2]");
        v = m_corrector.validate(d, *target);
        QCOMPARE(v.forField(Field::Metadata).size(), 1);
        QVERIFY(v.forField(Field::Metadata)[0].message.contains(QStringLiteral("object")));
        // Empty custom metadata is fine: the automatic fields alone.
        d.customMetadata = QStringLiteral("  ");
        QVERIFY(!m_corrector.validate(d, *target).hasErrors());
        // A key twice is refused: readers disagree on which one counts.
        d.data = QStringLiteral("{\"orderId\": \"o-1\", \"amount\": 5,\n \"amount\": 6}");
        v = m_corrector.validate(d, *target);
        syntax = ofStage(v, Stage::Syntax);
        QCOMPARE(syntax.size(), 1);
        QCOMPARE(syntax[0].line, 2);
        QVERIFY(syntax[0].message.contains(QStringLiteral("\"amount\" appears twice")));
    }

    void declaredSchemaErrorsPointIntoTheData()
    {
        auto target = targetWithPayments();
        EventDraft d = refundDraft(*target, 1);
        d.data = QStringLiteral("{\"amount\": -5, \"note\": 7}");
        const DraftValidation v = m_corrector.validate(d, *target);
        QCOMPARE(v.schemaSource, DraftValidation::SchemaSource::ReducerFile);
        const QList<DraftIssue> schema = ofStage(v, Stage::Schema);
        QStringList pointers;
        for (const DraftIssue &i : schema) {
            QVERIFY2(i.isError(), qPrintable(i.toString())); // a declared schema: everything is an error
            QCOMPARE(i.field, Field::Data);
            pointers << i.pointer;
        }
        pointers.sort();
        QCOMPARE(pointers,
                 (QStringList{QStringLiteral("/amount"), QStringLiteral("/note"), QStringLiteral("/orderId")}));
        QVERIFY(!v.folded); // no invariants on data the schema refuses
        QCOMPARE(v.invariantsChecked, 0);
    }

    void inferredSchemaWarnsAndErrs()
    {
        auto target = targetWithPayments();
        EventDraft d = EventDraft::create(QString::fromUtf8(kStream), target->headExpected());
        d.eventType = QStringLiteral("PaymentProcessed");
        // Unseen field and a changed type: warnings; the draft can still be appended.
        d.data = QStringLiteral(
            R"({"paymentId": "p-2", "orderId": "o-2", "amount": 300, "currency": 978, "memo": "x"})");
        DraftValidation v = m_corrector.validate(d, *target);
        QCOMPARE(v.schemaSource, DraftValidation::SchemaSource::Inferred);
        QCOMPARE(v.inferredFrom, 2);
        QVERIFY2(!v.hasErrors(), qPrintable(describe(v)));
        QStringList warned;
        for (const DraftIssue &i : v.warnings()) {
            QCOMPARE(i.stage, Stage::Schema);
            warned << i.pointer;
            QVERIFY(i.toString().endsWith(QStringLiteral("(warning)")));
        }
        warned.sort();
        QCOMPARE(warned, (QStringList{QStringLiteral("/currency"), QStringLiteral("/memo")}));
        QVERIFY(v.folded); // warnings do not stop the invariants
        // "channel" is only in one of the two examples: not required. "orderId" is in both: required.
        d.data = QStringLiteral(R"({"paymentId": "p-2", "amount": 300, "currency": "EUR"})");
        v = m_corrector.validate(d, *target);
        QCOMPARE(v.errors().size(), 1);
        QCOMPARE(v.errors()[0].stage, Stage::Schema);
        QVERIFY2(v.errors()[0].message.contains(QStringLiteral("orderId"))
                     || v.errors()[0].pointer.contains(QStringLiteral("orderId")),
                 qPrintable(v.errors()[0].toString()));
        // A type never seen, without a declared schema: nothing to check against.
        d.eventType = QStringLiteral("PaymentDisputed");
        v = m_corrector.validate(d, *target);
        QCOMPARE(v.schemaSource, DraftValidation::SchemaSource::None);
        QVERIFY(!v.hasErrors());
    }

    void invariantViolationNamesTheInvariant()
    {
        auto target = targetWithPayments();
        const DraftValidation v = m_corrector.validate(refundDraft(*target, 2000), *target);
        const QList<DraftIssue> inv = ofStage(v, Stage::Invariant);
        QCOMPARE(inv.size(), 1);
        QVERIFY(inv[0].isError());
        QCOMPARE(inv[0].invariant, kRefundInvariant);
        QCOMPARE(inv[0].message, QStringLiteral("refunded 2000 of 1500 paid"));
        QCOMPARE(inv[0].toString(),
                 QStringLiteral("invariant 'refunds never exceed what was paid': refunded 2000 of 1500 paid"));
        // The head was not moved by the check: a refund that fits still passes afterwards.
        QCOMPARE(target->headState().toObject().value(QStringLiteral("refunded")).toInt(), 0);
        QVERIFY(!m_corrector.validate(refundDraft(*target, 1500), *target).hasErrors());
    }

    void reducerFailureIsAnError()
    {
        auto target = targetWithPayments();
        const DraftValidation v = m_corrector.validate(refundDraft(*target, 13), *target);
        const QList<DraftIssue> inv = ofStage(v, Stage::Invariant);
        QVERIFY(!inv.isEmpty());
        QVERIFY(inv[0].isError());
        QVERIFY(inv[0].invariant.isEmpty());
        QVERIFY2(inv[0].message.startsWith(QStringLiteral("the reducer failed on this event: ")),
                 qPrintable(inv[0].message));
        QVERIFY2(inv[0].message.contains(QStringLiteral("unlucky refund")), qPrintable(inv[0].message));
    }

    void reservedMetadataKeysAreRefused()
    {
        auto target = targetWithPayments();
        EventDraft d = refundDraft(*target, 10);
        d.customMetadata = QStringLiteral(
            R"({"ticket": "T-1", "reason": "mine", "$correlationId": "c", "auditAnchor": "0"})");
        const DraftValidation v = m_corrector.validate(d, *target);
        const QList<DraftIssue> meta = v.forField(Field::Metadata);
        QCOMPARE(meta.size(), 3);
        for (const DraftIssue &i : meta) {
            QVERIFY(i.isError());
            QVERIFY2(i.message.contains(QStringLiteral("set automatically")), qPrintable(i.message));
        }
        d.customMetadata = QStringLiteral(R"({"ticket": "T-1"})");
        QVERIFY(!m_corrector.validate(d, *target).hasErrors());
    }

    void oversizedDraftIsRefused()
    {
        auto target = targetWithPayments();
        EventDraft d = refundDraft(*target, 10);
        d.data = QStringLiteral("{\"orderId\": \"o-1\", \"amount\": 1, \"note\": \"%1\"}")
                     .arg(QString(int(Corrector::kMaxEventBytes), QLatin1Char('x')));
        const DraftValidation v = m_corrector.validate(d, *target);
        const QList<DraftIssue> size = ofStage(v, Stage::Size);
        QCOMPARE(size.size(), 1);
        QVERIFY(size[0].isError());
        QVERIFY2(size[0].message.contains(QString::number(Corrector::kMaxEventBytes)), qPrintable(size[0].message));
    }

    void draftFieldsAreChecked()
    {
        auto target = targetWithPayments();
        EventDraft d = refundDraft(*target, 10);
        d.expected.reset();
        d.eventType = QStringLiteral("$metadata");
        d.stream = QStringLiteral("payment-other");
        const DraftValidation v = m_corrector.validate(d, *target);
        QCOMPARE(v.forField(Field::ExpectedRevision).size(), 1);
        QCOMPARE(v.forField(Field::EventType).size(), 1);
        QCOMPARE(v.forField(Field::Stream).size(), 1);
        // Pinned to `any`: never.
        d = refundDraft(*target, 10);
        d.expected = ExpectedState::any();
        QCOMPARE(m_corrector.validate(d, *target).forField(Field::ExpectedRevision).size(), 1);
        // Pinned to a revision the stream has moved past: refused until re-pinned.
        d.expected = ExpectedState::at(0);
        const DraftValidation moved = m_corrector.validate(d, *target);
        QCOMPARE(moved.forField(Field::ExpectedRevision).size(), 1);
        QVERIFY(moved.forField(Field::ExpectedRevision)[0].message.contains(QStringLiteral("now at 1")));
    }

    void dryRunShowsTheStateChange()
    {
        auto target = targetWithPayments();
        const QJsonValue head = target->headState();
        const DryRun dry = m_corrector.dryRun(refundDraft(*target, 500), *target);
        QVERIFY2(dry.canAppend(), qPrintable(describe(dry.validation)));
        QCOMPARE(dry.before, head);
        QCOMPARE(dry.after.toObject().value(QStringLiteral("refunded")).toInt(), 500);
        QCOMPARE(dry.diff, QStringList{QStringLiteral("~ /refunded: 0 -> 500")});
        QCOMPARE(dry.expected, ExpectedState::at(1));
        QCOMPARE(dry.dataSent, QByteArray(R"({"amount":500,"orderId":"o-1"})"));
        const QJsonObject meta = QJsonDocument::fromJson(dry.metadataSent).object();
        QCOMPARE(meta.value(QStringLiteral("reason")).toString(), QStringLiteral("refund the duplicate charge"));
        // Dry runs do not accumulate: the next one starts from the head again.
        const DryRun again = m_corrector.dryRun(refundDraft(*target, 700), *target);
        QCOMPARE(again.diff, QStringList{QStringLiteral("~ /refunded: 0 -> 700")});
        QCOMPARE(target->headState(), head);
        // A refused draft still shows the head, and no diff.
        const DryRun refused = m_corrector.dryRun(refundDraft(*target, 5000), *target);
        QVERIFY(!refused.canAppend());
        QVERIFY(refused.validation.folded);
        QCOMPARE(refused.diff, QStringList{QStringLiteral("~ /refunded: 0 -> 5000")});
    }

    void metadataCarriesTheAutomaticFields()
    {
        auto target = targetWithPayments();
        const RecordedEvent corrected = *target->latestOfType("PaymentProcessed");
        EventDraft d = EventDraft::likeEvent(corrected, target->headExpected());
        AuditOperator op;
        op.osUser = QStringLiteral("alice");
        op.connectionUser = QStringLiteral("ops");
        op.host = QStringLiteral("desk-7");
        Corrector corrector(nullptr, nullptr, &m_guard, op);
        const QJsonObject meta =
            QJsonDocument::fromJson(corrector.metadataFor(d, QStringLiteral("why"), "abc")).object();
        QCOMPARE(meta.value(QStringLiteral("$causationId")).toString(), corrected.id.toString(QUuid::WithoutBraces));
        QCOMPARE(meta.value(QStringLiteral("$correlationId")).toString(), d.correlationId);
        QCOMPARE(meta.value(QStringLiteral("reason")).toString(), QStringLiteral("why"));
        QCOMPARE(meta.value(QStringLiteral("operator")).toObject().value(QStringLiteral("osUser")).toString(),
                 QStringLiteral("alice"));
        QCOMPARE(meta.value(QStringLiteral("operator")).toObject().value(QStringLiteral("connectionUser")).toString(),
                 QStringLiteral("ops"));
        QCOMPARE(meta.value(QStringLiteral("tool")).toString(), QStringLiteral("chronoscope"));
        QVERIFY(!meta.value(QStringLiteral("toolVersion")).toString().isEmpty());
        QCOMPARE(meta.value(QStringLiteral("draftId")).toString(), d.draftId.toString(QUuid::WithoutBraces));
        QCOMPARE(meta.value(QStringLiteral("auditAnchor")).toString(), QStringLiteral("abc"));
        // A draft of a new event (not "like" another): its own id is the correlation, no causation.
        const EventDraft fresh = refundDraft(*target, 1);
        const QJsonObject freshMeta =
            QJsonDocument::fromJson(corrector.metadataFor(fresh, QStringLiteral("w"))).object();
        QCOMPARE(freshMeta.value(QStringLiteral("$correlationId")).toString(),
                 fresh.eventId.toString(QUuid::WithoutBraces));
        QVERIFY(!freshMeta.contains(QStringLiteral("$causationId")));
        QVERIFY(!freshMeta.contains(QStringLiteral("auditAnchor")));
    }

    void issueTextAndOutcomeJson()
    {
        DraftIssue i;
        i.stage = Stage::Schema;
        i.field = Field::Data;
        i.pointer = QStringLiteral("/amount");
        i.message = QStringLiteral("must be at least 1");
        QCOMPARE(i.toString(), QStringLiteral("data /amount: must be at least 1"));
        i.severity = DraftIssue::Severity::Warning;
        QCOMPARE(i.toString(), QStringLiteral("data /amount: must be at least 1 (warning)"));
        AppendOutcome o;
        o.kind = AppendOutcome::Kind::Conflict;
        QCOMPARE(o.exitCode(), 3);
        QCOMPARE(o.toJson().value(QStringLiteral("outcome")).toString(), QStringLiteral("conflict"));
        o.kind = AppendOutcome::Kind::AlreadyAppended;
        QCOMPARE(o.exitCode(), 0);
        QCOMPARE(o.title(), QStringLiteral("Already appended"));
        o.kind = AppendOutcome::Kind::ConnectionLost;
        QCOMPARE(o.exitCode(), 1);
        QVERIFY(o.isUncertain());
    }
};

QTEST_GUILESS_MAIN(TestCorrector)
#include "tst_corrector.moc"
