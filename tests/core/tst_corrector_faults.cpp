// The fault test of issue 12: 1 000 corrective appends through the Corrector, each under a fault
// drawn from a seed (kill before commit, commit then drop, stall then commit, stall then drop, and
// the server restarting between the attempt and the retry), each retried as a user would: after an
// uncertain outcome read the stream back, then retry the same draft. Afterwards every correction
// is in its stream exactly once and the audit log tells every attempt's story and verifies.
// Then the same appends with `any` instead of the pinned revision, straight through the client
// (the Corrector never appends with `any`): duplicates occur, so the test can tell the difference.
#include "CorrectorRig.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

#include <map>

using namespace chronoscope;
using namespace chronoscope::test;
using sandbox::Fault;
using Kind = AppendOutcome::Kind;
using namespace std::chrono_literals;

namespace {

constexpr int kStreams = 20;
constexpr int kPerStream = 50; // 1 000 corrections
constexpr int kDeadlineMs = 50;
constexpr auto kStall = 80ms; // past the deadline

QByteArray streamName(const char *prefix, int k)
{
    return QByteArray(prefix) + QByteArray::number(k);
}

/// One of the five faults of issue 12, drawn from `rng`; "restart" is one of the four with the
/// server dying at the fault point (the test restarts it before the retry).
Fault drawFault(QRandomGenerator &rng, std::map<QString, int> *drawn)
{
    const int which = int(rng.bounded(5));
    const bool restart = which == 4;
    const int base = restart ? int(rng.bounded(4)) : which;
    Fault f;
    switch (base) {
    case 0:
        f = Fault::killBeforeCommit(restart);
        break;
    case 1:
        f = Fault::commitThenDrop(restart);
        break;
    case 2:
        f = Fault::stallThenCommit(kStall, restart);
        break;
    default:
        f = Fault::stallThenDrop(kStall, restart);
        break;
    }
    ++(*drawn)[restart ? QStringLiteral("restart") : QString::fromLatin1(Fault::kindName(f.kind))];
    return f;
}

} // namespace

class TestCorrectorFaults : public QObject
{
    Q_OBJECT

    int m_restarts = 0;

    /// Restarts the sandbox if a fault killed it.
    bool reviveIfDead(CorrectorRig &rig)
    {
        if (!rig.box.server.hasCrashed())
            return true;
        QString error;
        if (!rig.box.server.restart(&error)) {
            qWarning("restart: %s", qPrintable(error));
            return false;
        }
        ++m_restarts;
        return true;
    }

private Q_SLOTS:
    void pinnedCorrectionsLandExactlyOnce()
    {
        CorrectorRig rig;
        QString error;
        QVERIFY2(rig.start(&error, kDeadlineMs), qPrintable(error));
        std::vector<std::unique_ptr<CorrectionTarget>> targets;
        for (int k = 0; k < kStreams; ++k) {
            const QByteArray s = streamName("payment-faults-", k);
            rig.seed(s, {{"PaymentProcessed", paymentData(QStringLiteral("o-%1").arg(k), 1000000)}});
            targets.push_back(rig.load(s));
        }
        QRandomGenerator rng(20261207);
        std::map<QString, int> drawn, outcomes;
        std::map<QByteArray, QList<QUuid>> intended;
        int attempts = 0, calls = 0, readBacks = 0;
        QElapsedTimer t;
        t.start();
        for (int n = 0; n < kPerStream; ++n) {
            for (int k = 0; k < kStreams; ++k) {
                CorrectionTarget &target = *targets[size_t(k)];
                const QByteArray s = target.stream();
                const EventDraft draft = refundDraft(target, 1 + n, QStringLiteral("o-%1").arg(k));
                intended[s] << draft.eventId;
                rig.box.plan->at(s.toStdString(), rig.box.plan->appendsSeen(s.toStdString()) + 1, drawFault(rng, &drawn));
                bool done = false;
                for (int attempt = 0; !done; ++attempt) {
                    QVERIFY2(attempt < 40, qPrintable(QStringLiteral("%1 #%2 never got through").arg(QString::fromUtf8(s)).arg(n)));
                    ++attempts;
                    const AppendOutcome o = rig.corrector->append(draft, target);
                    QVERIFY(reviveIfDead(rig));
                    ++outcomes[AppendOutcome::kindName(o.kind)];
                    calls += o.attemptSeq > 0 ? 1 : 0;
                    if (o.isSuccess())
                        break;
                    if (o.kind == Kind::Error) { // the check before the call met a reconnecting client
                        QThread::msleep(5);
                        continue;
                    }
                    QVERIFY2(o.isUncertain(), qPrintable(AppendOutcome::kindName(o.kind) + QStringLiteral(": ") + o.message));
                    // As a user: learn whether it landed before retrying.
                    for (int r = 0;; ++r) {
                        QVERIFY2(r < 200, "read back never got an answer");
                        ++readBacks;
                        const AppendOutcome back = rig.corrector->readBack(draft, target);
                        QVERIFY(reviveIfDead(rig));
                        if (back.isUncertain() || back.kind == Kind::Error) {
                            QThread::msleep(5);
                            continue;
                        }
                        QVERIFY2(back.kind == Kind::AlreadyAppended || back.kind == Kind::NotAppended,
                                 qPrintable(AppendOutcome::kindName(back.kind) + QStringLiteral(": ") + back.message));
                        done = back.kind == Kind::AlreadyAppended;
                        break;
                    }
                }
                QCOMPARE(target.headRevision(), std::optional<quint64>(quint64(n) + 1));
            }
        }
        QVERIFY(rig.box.stallsOver());
        qInfo("%d corrections, %d attempts, %d read-backs, %d restarts, %lld ms", kStreams * kPerStream, attempts,
              readBacks, m_restarts, static_cast<long long>(t.elapsed()));
        for (const auto &[name, count] : drawn)
            qInfo("  fault %s: %d", qPrintable(name), count);
        for (const auto &[name, count] : outcomes)
            qInfo("  outcome %s: %d", qPrintable(name), count);
        QCOMPARE(int(drawn.size()), 5); // every kind of fault met
        QVERIFY(m_restarts > 0);

        // Every intended correction exactly once, in order, none missing, nothing else.
        for (const auto &[s, ids] : intended) {
            QList<QUuid> stored;
            for (const RecordedEvent &e : rig.stored(s)) {
                if (e.type == "PaymentRefunded")
                    stored << e.id;
            }
            QCOMPARE(stored, ids);
        }

        // The audit log tells each story: every attempt has its outcome; each correction ends
        // appended / already appended, or a read-back that found it.
        const AuditVerification v = rig.audit->verify();
        QVERIFY2(v.ok(), qPrintable(v.toString()));
        AuditReader reader(rig.audit->path());
        QVERIFY(reader.load().isEmpty());
        QCOMPARE(reader.skippedLines(), 0);
        QVERIFY(reader.pendingAttempts().isEmpty());
        std::map<QString, QStringList> story; // eventId → kinds/results in order
        int attemptRecords = 0;
        for (const AuditRecord &r : reader.records()) {
            const QString id = r.text("eventId");
            if (r.kind == QLatin1String("attempt")) {
                ++attemptRecords;
                story[id] << QStringLiteral("attempt");
            } else if (r.kind == QLatin1String("outcome")) {
                story[id] << r.text("result");
            } else if (r.kind == QLatin1String("readback")) {
                story[id] << QStringLiteral("readback:") + r.text("found");
            }
        }
        QCOMPARE(attemptRecords, calls);
        for (const auto &[s, ids] : intended) {
            for (const QUuid &id : ids) {
                const QStringList events = story[id.toString(QUuid::WithoutBraces)];
                QVERIFY2(!events.isEmpty(), "a correction without a story");
                const QString last = events.constLast();
                QVERIFY2(last == QLatin1String("appended") || last == QLatin1String("already-appended")
                             || last == QLatin1String("readback:already-appended"),
                         qPrintable(events.join(QLatin1Char(','))));
                // Nothing after a success, and an attempt is always followed by its outcome.
                for (qsizetype i = 0; i < events.size(); ++i) {
                    if (events[i] == QLatin1String("attempt"))
                        QVERIFY2(i + 1 < events.size() && events[i + 1] != QLatin1String("attempt")
                                     && !events[i + 1].startsWith(QLatin1String("readback")),
                                 qPrintable(events.join(QLatin1Char(','))));
                }
            }
        }
    }

    void anyDuplicates()
    {
        // The same appends with `any`, retried as the tools that use it retry (same id, at once):
        // a retry after a restart meets a server that forgot the id, and writes it again.
        CorrectorRig rig;
        QString error;
        QVERIFY2(rig.start(&error, kDeadlineMs), qPrintable(error));
        QRandomGenerator rng(20261207);
        std::map<QString, int> drawn;
        std::map<QByteArray, QList<QUuid>> intended;
        m_restarts = 0;
        QElapsedTimer t;
        t.start();
        for (int n = 0; n < kPerStream; ++n) {
            for (int k = 0; k < kStreams; ++k) {
                const QByteArray s = streamName("payment-any-", k);
                const QUuid id = QUuid::createUuid();
                intended[s] << id;
                rig.box.plan->at(s.toStdString(), rig.box.plan->appendsSeen(s.toStdString()) + 1, drawFault(rng, &drawn));
                const EventData event = EventData::json("PaymentRefunded", "{\"amount\":1}", {}, id);
                for (int attempt = 0;; ++attempt) {
                    QVERIFY2(attempt < 40, "never got through");
                    const AppendResult r = rig.client->append(s, ExpectedState::any(), {event});
                    QVERIFY(reviveIfDead(rig));
                    if (!r.error)
                        break;
                    QThread::msleep(1);
                }
            }
        }
        QVERIFY(rig.box.stallsOver());
        int duplicates = 0, missing = 0;
        for (const auto &[s, ids] : intended) {
            std::map<QUuid, int> copies;
            for (const RecordedEvent &e : rig.stored(s))
                ++copies[e.id];
            for (const QUuid &id : ids) {
                missing += copies[id] == 0 ? 1 : 0;
                duplicates += qMax(0, copies[id] - 1);
            }
        }
        qInfo("any: %d appends, %d written more than once, %d restarts, %lld ms", kStreams * kPerStream, duplicates,
              m_restarts, static_cast<long long>(t.elapsed()));
        QCOMPARE(missing, 0);
        QVERIFY2(duplicates > 0, "with `any`, a retry after a restart must be able to write twice");
    }
};

QTEST_GUILESS_MAIN(TestCorrectorFaults)
#include "tst_corrector_faults.moc"
