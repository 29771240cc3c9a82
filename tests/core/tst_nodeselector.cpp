// Node choice from a gossip answer (NodeSelector), the resume point of a cut-off read
// (ReadResume) and the reconnection delays (Backoff): the pure parts of cluster support.
#include "client/ReadResume.h"
#include "cluster/Backoff.h"
#include "cluster/NodeSelector.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTest>

using namespace chronoscope;

namespace {

ClusterMember member(int state, quint16 port, bool alive = true)
{
    ClusterMember m;
    m.state = state;
    m.alive = alive;
    m.endPoint = EndPoint{QStringLiteral("10.0.0.1"), port};
    return m;
}

ResolvedEvent streamEvent(quint64 revision)
{
    RecordedEvent e;
    e.streamId = "s";
    e.revision = revision;
    e.position = {1000 + revision, 1000 + revision};
    return ResolvedEvent{e, std::nullopt, std::nullopt};
}

ResolvedEvent allEvent(quint64 commit)
{
    RecordedEvent e;
    e.streamId = "s";
    e.position = {commit, commit};
    return ResolvedEvent{e, std::nullopt, commit};
}

} // namespace

class TestNodeSelector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void select_data()
    {
        QTest::addColumn<int>("preference");
        QTest::addColumn<QList<int>>("states"); // node i listens on port 1000 + i; negative = dead
        QTest::addColumn<QList<int>>("allowed"); // ports the choice may be

        const int L = ClusterMember::Leader, F = ClusterMember::Follower, R = ClusterMember::ReadOnlyReplica;
        const int leader = int(NodePreference::Leader), follower = int(NodePreference::Follower);
        const int random = int(NodePreference::Random), ro = int(NodePreference::ReadOnlyReplica);
        QTest::newRow("leader") << leader << QList<int>{F, L, F} << QList<int>{1001};
        QTest::newRow("follower") << follower << QList<int>{F, L, F} << QList<int>{1000, 1002};
        QTest::newRow("readOnlyReplica") << ro << QList<int>{F, L, R} << QList<int>{1002};
        QTest::newRow("random takes any") << random << QList<int>{F, L, R} << QList<int>{1000, 1001, 1002};
        QTest::newRow("leader falls back to a follower") << leader << QList<int>{F, -L, F} << QList<int>{1000, 1002};
        QTest::newRow("follower falls back to the leader") << follower << QList<int>{L, -F} << QList<int>{1000};
        QTest::newRow("readOnlyReplica falls back to any") << ro << QList<int>{F, L} << QList<int>{1000, 1001};
        // Not serving clients: Initializing 0, CatchingUp 4, PreLeader 7, ShuttingDown 10, ResigningLeader 15.
        QTest::newRow("only serving states qualify") << random << QList<int>{0, 4, 7, 10, 15, F} << QList<int>{1005};
        QTest::newRow("nothing qualifies") << leader << QList<int>{-L, 4} << QList<int>{};
    }

    void select()
    {
        QFETCH(int, preference);
        QFETCH(QList<int>, states);
        QFETCH(QList<int>, allowed);
        QList<ClusterMember> members;
        for (int i = 0; i < states.size(); ++i)
            members << member(std::abs(states[i]), quint16(1000 + i), states[i] >= 0);
        std::mt19937 random(42);
        QSet<int> seen;
        for (int round = 0; round < 50; ++round) {
            const auto chosen = NodeSelector::select(NodePreference(preference), members, random);
            if (allowed.isEmpty()) {
                QVERIFY(!chosen);
                return;
            }
            QVERIFY(chosen);
            QVERIFY2(allowed.contains(chosen->port), qPrintable(QString::number(chosen->port)));
            seen << chosen->port;
        }
        // Ties are broken at random: every allowed node comes up in 50 draws.
        QCOMPARE(seen.size(), allowed.size());
    }

    void memberWithoutEndpointIsSkipped()
    {
        ClusterMember leader = member(ClusterMember::Leader, 1000);
        leader.endPoint.reset();
        std::mt19937 random(1);
        const auto chosen = NodeSelector::select(NodePreference::Leader, {leader, member(ClusterMember::Follower, 1001)}, random);
        QVERIFY(chosen);
        QCOMPARE(chosen->port, quint16(1001));
    }

    void resumeStreamForwards()
    {
        ReadResume resume(ReadRequest::forStream("s").count(10));
        for (quint64 r = 0; r < 4; ++r) {
            QVERIFY(!resume.isRepeat(streamEvent(r)));
            resume.delivered(streamEvent(r));
        }
        ReadRequest next = ReadRequest::forStream("s").count(10);
        QVERIFY(resume.advance(&next));
        QCOMPARE(next.from, ReadRequest::From::Revision);
        QCOMPARE(next.revision, quint64(4));
        QCOMPARE(next.maxCount, quint64(6));
        // A server answering from before the boundary: those events are not delivered twice.
        QVERIFY(resume.isRepeat(streamEvent(3)));
        QVERIFY(!resume.isRepeat(streamEvent(4)));
    }

    void resumeStreamBackwards()
    {
        ReadResume resume(ReadRequest::forStream("s", Direction::Backwards));
        resume.delivered(streamEvent(9));
        resume.delivered(streamEvent(8));
        ReadRequest next = ReadRequest::forStream("s", Direction::Backwards);
        QVERIFY(resume.advance(&next));
        QCOMPARE(next.revision, quint64(7));
        QVERIFY(resume.isRepeat(streamEvent(8)));
        resume.delivered(streamEvent(7));
        resume.delivered(streamEvent(0));
        QVERIFY(!resume.advance(&next)); // revision 0 delivered: nothing is left
    }

    void resumeAllForwardsRepeatsTheBoundary()
    {
        ReadResume resume(ReadRequest::forAll());
        resume.delivered(allEvent(100));
        resume.delivered(allEvent(250));
        ReadRequest next = ReadRequest::forAll();
        QVERIFY(resume.advance(&next));
        QCOMPARE(next.from, ReadRequest::From::Position);
        QCOMPARE(next.position.commit, quint64(250));
        QVERIFY(resume.isRepeat(allEvent(250))); // $all reads from a position include it
        QVERIFY(!resume.isRepeat(allEvent(300)));
    }

    void noRepeatFilteringWithinOneCall()
    {
        // Within one call the server's order is trusted (odd servers may repeat revisions).
        ReadResume resume(ReadRequest::forStream("s"));
        resume.delivered(streamEvent(0));
        QVERIFY(!resume.isRepeat(streamEvent(0)));
    }

    void completeCountLeavesNothing()
    {
        ReadResume resume(ReadRequest::forStream("s").count(2));
        resume.delivered(streamEvent(0));
        resume.delivered(streamEvent(1));
        ReadRequest next = ReadRequest::forStream("s").count(2);
        QVERIFY(!resume.advance(&next));
    }

    void backoffGrowsWithJitterUpToTheCeiling()
    {
        Backoff b(std::chrono::milliseconds(100), std::chrono::milliseconds(1000));
        const qint64 bounds[] = {100, 200, 400, 800, 1000, 1000};
        for (qint64 full : bounds) {
            const qint64 d = b.next().count();
            QVERIFY2(d >= full / 2 && d <= full, qPrintable(QStringLiteral("%1 not in [%2, %3]").arg(d).arg(full / 2).arg(full)));
        }
        b.reset();
        QVERIFY(b.next().count() <= 100);
        // Jitter: many draws of the same step are not all equal.
        QSet<qint64> draws;
        for (int i = 0; i < 20; ++i) {
            Backoff fresh(std::chrono::milliseconds(1000), std::chrono::milliseconds(1000));
            draws << fresh.next().count();
        }
        QVERIFY(draws.size() > 1);
    }

    void backoffWaitStopsOnCancel()
    {
        auto cancel = std::make_shared<Cancellation>();
        cancel->cancel();
        Backoff b(std::chrono::milliseconds(5000), std::chrono::milliseconds(5000));
        QElapsedTimer t;
        t.start();
        QVERIFY(!b.wait(cancel));
        QVERIFY(t.elapsed() < 1000);
    }
};

QTEST_GUILESS_MAIN(TestNodeSelector)
#include "tst_nodeselector.moc"
