// Issue 17 item 3: lists a server hands the client (HostileServer). A real server sends one Statistics
// reply per projection and one entry per persistent group, consumer and measurement; a hostile one that
// streams statistics forever, sends megabytes per projection or packs millions of empty entries into one
// List / GetInfo / gossip reply is refused with one named protocol-error, and the client's memory stays
// bounded.

#include "client/PersistentSubscriptionsClient.h"
#include "client/ProjectionsClient.h"
#include "client/StreamsClient.h"
#include "support/HostileServer.h"

#include <QTest>

using namespace chronoscope;
using chronoscope::test::HostileServer;
using B = HostileServer::Behaviour;

constexpr int kDeadlineMs = 60000; ///< the limits, not the deadline, must end these calls

class TestHostileLists : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void endlessStatisticsAreRefusedPastTheProjectionLimit()
    {
        HostileServer server(B::EndlessStatistics);
        ProjectionsClient client(server.settings(kDeadlineMs));
        test::PeakRss rss;
        const ProjectionListResult r = client.list();
        const long grown = rss.grownKb();
        qInfo() << "endless statistics:" << server.written() << "replies written, peak RSS KiB +" << grown;
        QCOMPARE(r.error.toString(),
                 QStringLiteral("protocol-error: the server sent statistics for more than 100000 "
                                "projections (a server sends one reply per projection and none "
                                "manages that many): refused"));
        QVERIFY(r.projections.isEmpty());
        QVERIFY(server.written() > quint64(ProjectionsClient::kMaxProjections));
        QVERIFY2(grown < 96 * 1024, "the list is held to kMaxProjections entries, then dropped");
    }

    void statusTakesOneReply()
    {
        HostileServer server(B::EndlessStatistics);
        ProjectionsClient client(server.settings(kDeadlineMs));
        const ProjectionStatusResult r = client.status(QStringLiteral("p-0"));
        QCOMPARE(r.error.toString(),
                 QStringLiteral("protocol-error: the server sent more than one statistics reply "
                                "for projection 'p-0' (a server sends one per projection): "
                                "refused"));
        QVERIFY(r.details.name.isEmpty());
    }

    void hugeStatisticsAreRefusedPastTheByteLimit()
    {
        HostileServer server(B::FatStatistics); // 1 MiB of stateReason per projection
        ProjectionsClient client(server.settings(kDeadlineMs));
        test::PeakRss rss;
        const ProjectionListResult r = client.list(ProjectionsClient::Mode::Continuous);
        const long grown = rss.grownKb();
        qInfo() << "fat statistics:" << server.written() << "replies written, peak RSS KiB +" << grown;
        QCOMPARE(r.error.toString(),
                 QStringLiteral("protocol-error: the server's projection statistics passed 32 MiB "
                                "after 32 replies (a projection's are a few hundred bytes): "
                                "refused"));
        QVERIFY(r.projections.isEmpty());
        QVERIFY2(grown < 192 * 1024, "32 MiB of statistics (UTF-16 in the list) and gRPC's buffers, then dropped");
    }

    void crowdedPersistentRepliesAreRefusedBeforeParsing_data()
    {
        QTest::addColumn<bool>("list");
        QTest::newRow("List: 2 Mi empty groups") << true;
        QTest::newRow("GetInfo: 2 Mi empty connections") << false;
    }
    void crowdedPersistentRepliesAreRefusedBeforeParsing()
    {
        QFETCH(bool, list);
        HostileServer server(B::CrowdedList);
        PersistentSubscriptionsClient client(server.settings(kDeadlineMs));
        test::PeakRss rss;
        const PersistentGroup group = PersistentGroup::onStream(QByteArrayLiteral("s"), QStringLiteral("g"));
        const ClientError error = list ? client.list().error : client.getInfo(group).error;
        const long grown = rss.grownKb();
        qInfo() << (list ? "List" : "GetInfo") << "of 2 Mi entries: peak RSS KiB +" << grown;
        const QString expected = list ? QStringLiteral("protocol-error: the server's ListResp holds more than 200000 "
                                                       "groups, connections and measurements (4194304 bytes; a server "
                                                       "sends one per group, one per connected consumer and a dozen "
                                                       "per consumer): refused")
                                      : QStringLiteral("protocol-error: the server's GetInfoResp holds more than "
                                                       "200000 groups, connections and measurements (4194309 bytes; "
                                                       "a server sends one per group, one per connected consumer and "
                                                       "a dozen per consumer): refused");
        QCOMPARE(error.toString(), expected);
        QVERIFY2(grown < 32 * 1024, "the reply's bytes, not millions of parsed entries");
    }

    void crowdedGossipIsRefusedBeforeParsing()
    {
        HostileServer server(B::CrowdedList);
        StreamsClient client(server.settings(kDeadlineMs));
        test::PeakRss rss;
        const GossipResult r = client.clusterMembers();
        const long grown = rss.grownKb();
        qInfo() << "gossip of 2 Mi members: peak RSS KiB +" << grown;
        QCOMPARE(r.error.toString(),
                 QStringLiteral("protocol-error: the gossip of 127.0.0.1:%1 lists more than 1000 "
                                "members (4194304 bytes; a cluster has a handful of nodes): "
                                "refused")
                     .arg(server.port()));
        QVERIFY(r.members.isEmpty());
        QVERIFY2(grown < 32 * 1024, "the reply's bytes, not millions of parsed members");
    }
};

QTEST_GUILESS_MAIN(TestHostileLists)
#include "tst_hostilelists.moc"
