// 1 000 scripted appends with faults drawn from a seeded FaultPlan, retried as a careful client
// retries (same ids, same expected state), with a restart on the same --db whenever a fault killed
// the server: what survives with an exact expected revision and what duplicates with `any`.
#include "support/FaultSandbox.h"
#include "support/IdempotencyProbe.h"

#include <QElapsedTimer>
#include <QTest>

#include <map>

using namespace chronoscope;
using sandbox::Fault;
using sandbox::FaultPlan;
using test::Appender;
using test::FaultSandbox;
using test::Outcome;
using test::Rpc;
using namespace std::chrono_literals;

namespace {

QUuid id(const QByteArray &stream, const QByteArray &name)
{
    return test::namedId(stream, name);
}

} // namespace

class TestSandboxFaultsSeeded : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // 1 000 appends to 10 streams, a seeded 8 % of them faulted (every kind, with and without the
    // server dying, which the test answers with a restart on the same --db), each retried with the
    // same ids and the same exact expected revision until it succeeds: every stream ends with each
    // append exactly once, in order — the guarantee the Corrector will stand on.
    void seededFaultsExactRevisionNeverDuplicates()
    {
        FaultSandbox box;
        box.plan = std::make_shared<FaultPlan>(20240611);
        box.plan->add({"",
                       0,
                       0.08,
                       {Fault::killBeforeCommit(), Fault::killBeforeCommit(true), Fault::commitThenDrop(),
                        Fault::commitThenDrop(true), Fault::stallThenCommit(90ms), Fault::stallThenDrop(90ms)}});
        QString error;
        QVERIFY2(box.start(&error), qPrintable(error));
        // A short deadline keeps the stalls cheap; an append that is merely slow on a loaded
        // machine times out too, and its retry is one more retry the strong check must answer.
        Appender a(box.port, Rpc::Append, 60);
        QElapsedTimer t;
        t.start();
        constexpr int kStreams = 10, kPerStream = 100;
        int attempts = 0, restarts = 0;
        std::map<QString, int> failures;
        for (int n = 0; n < kPerStream; ++n) {
            for (int k = 0; k < kStreams; ++k) {
                const QByteArray s = "seeded-exact-" + QByteArray::number(k);
                const ExpectedState expected = n == 0 ? ExpectedState::noStream() : ExpectedState::at(quint64(n) - 1);
                for (int attempt = 0;; ++attempt) {
                    QVERIFY2(attempt < 30,
                             qPrintable(QStringLiteral("%1 #%2 never got through").arg(QString::fromUtf8(s)).arg(n)));
                    ++attempts;
                    const Outcome o = a.append(s, expected, {id(s, QByteArray::number(n))});
                    if (box.server.hasCrashed()) {
                        QVERIFY2(box.server.restart(&error), qPrintable(error));
                        ++restarts;
                    }
                    if (o.ok()) {
                        QCOMPARE(o.next, std::optional<quint64>(n));
                        break;
                    }
                    // Only what a lost connection or a deadline looks like; never a conflict.
                    QVERIFY2(o.error == QLatin1String("unavailable") || o.error == QLatin1String("deadline-exceeded"),
                             qPrintable(o.toString()));
                    ++failures[o.error];
                }
            }
        }
        QVERIFY(box.stallsOver());
        std::map<Fault::Kind, int> kinds;
        int crashes = 0;
        for (const sandbox::FaultDecision &d : box.plan->decisions()) {
            ++kinds[d.fault.kind];
            crashes += d.fault.crash ? 1 : 0;
        }
        qInfo("%d appends in %d attempts, %d restarts, %d unavailable, %d deadline exceeded, %lld ms",
              kStreams * kPerStream, attempts, restarts, failures[QStringLiteral("unavailable")],
              failures[QStringLiteral("deadline-exceeded")], static_cast<long long>(t.elapsed()));
        for (const Fault::Kind k : {Fault::Kind::KillBeforeCommit, Fault::Kind::CommitThenDrop,
                                    Fault::Kind::StallThenCommit, Fault::Kind::StallThenDrop})
            QVERIFY2(kinds[k] > 0, Fault::kindName(k));
        QVERIFY(crashes > 0);
        QCOMPARE(restarts, crashes);
        for (int k = 0; k < kStreams; ++k) {
            const QByteArray s = "seeded-exact-" + QByteArray::number(k);
            QList<QUuid> want;
            for (int n = 0; n < kPerStream; ++n)
                want << id(s, QByteArray::number(n));
            QCOMPARE(a.idsOf(s), want);
        }
    }

    // The same with `any`, without stalls: what the weak check does is then a function of the plan
    // alone. The test replays the plan (faultFor) beside the appends: an attempt that reaches the
    // commit writes its ids unless the memory of committed ids holds them; a crash (restart) empties
    // that memory. Every stream must hold exactly the copies this predicts — duplicates only where
    // a commit was followed by a restart before the retry got through.
    void seededFaultsAnyDuplicatesExactlyAfterRestarts()
    {
        FaultSandbox box;
        box.plan = std::make_shared<FaultPlan>(977);
        box.plan->add({"",
                       0,
                       0.15,
                       {Fault::killBeforeCommit(), Fault::killBeforeCommit(true), Fault::commitThenDrop(),
                        Fault::commitThenDrop(true)}});
        QString error;
        QVERIFY2(box.start(&error), qPrintable(error));
        Appender a(box.port, Rpc::BatchAppend);
        constexpr int kStreams = 4, kPerStream = 50;
        std::map<QUuid, int> predicted;
        int duplicates = 0;
        for (int n = 0; n < kPerStream; ++n) {
            for (int k = 0; k < kStreams; ++k) {
                const QByteArray s = "seeded-any-" + QByteArray::number(k);
                const QUuid event = id(s, QByteArray::number(n));
                bool remembered = false; // by the server's memory of committed ids
                for (int attempt = 0;; ++attempt) {
                    QVERIFY2(attempt < 30, "never got through");
                    const quint64 before = box.plan->appendsSeen(s.toStdString());
                    const Outcome o = a.append(s, ExpectedState::any(), {event});
                    const quint64 after = box.plan->appendsSeen(s.toStdString());
                    if (after == before + 1) { // it reached the server: replay what the plan did to it
                        const Fault f = box.plan->faultFor(s.toStdString(), after);
                        if (f.writes() && !remembered) {
                            ++predicted[event];
                            remembered = true;
                        }
                        if (f.crash)
                            remembered = false;
                    }
                    if (box.server.hasCrashed())
                        QVERIFY2(box.server.restart(&error), qPrintable(error));
                    if (o.ok())
                        break;
                    QCOMPARE(o.error, QStringLiteral("unavailable"));
                }
                duplicates += predicted[event] - 1;
            }
        }
        QVERIFY2(duplicates > 0, "the seed should make the weak check write some append twice");
        qInfo("%d appends, %d written twice or more after a restart", kStreams * kPerStream, duplicates);
        for (int k = 0; k < kStreams; ++k) {
            const QByteArray s = "seeded-any-" + QByteArray::number(k);
            std::map<QUuid, int> copies;
            for (const QUuid &e : a.idsOf(s))
                ++copies[e];
            for (int n = 0; n < kPerStream; ++n) {
                const QUuid event = id(s, QByteArray::number(n));
                QVERIFY2(copies[event] == predicted[event],
                         qPrintable(QStringLiteral("%1 #%2: %3 copies, %4 predicted")
                                        .arg(QString::fromUtf8(s))
                                        .arg(n)
                                        .arg(copies[event])
                                        .arg(predicted[event])));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestSandboxFaultsSeeded)
#include "tst_sandboxfaultsseeded.moc"
