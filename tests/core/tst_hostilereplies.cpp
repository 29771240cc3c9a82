// Issue 17 item 3: a server's replies that are not what the protocol says (HostileServer). The
// client reports each as one error that names what was wrong, keeps memory bounded, and never
// delivers (or indexes) an event that breaks the order of a stream or of `$all`.

#include "client/StreamsClient.h"
#include "session/TimelineIndexLoader.h"
#include "support/HostileServer.h"
#include "timeline/TimelineIndex.h"

#include <QTest>

#include <mutex>

using namespace chronoscope;
using chronoscope::test::HostileServer;
using B = HostileServer::Behaviour;

namespace {

struct Read
{
    ReadSummary summary;
    QList<quint64> revisions;
};

Read readFrom(const HostileServer &server, const ReadRequest &request)
{
    StreamsClient client(server.settings());
    Read r;
    r.summary = client.read(request, [&](ResolvedEvent &&e) {
        r.revisions << e.originalEvent().revision;
        return true;
    });
    return r;
}

Read readStream(const HostileServer &server)
{
    return readFrom(server, ReadRequest::forStream(HostileServer::streamName()));
}

} // namespace

class TestHostileReplies : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void malformedReply()
    {
        HostileServer server(B::Malformed);
        QVERIFY(server.ok());
        const Read r = readStream(server);
        QCOMPARE(r.summary.error.kind, ClientError::Kind::ProtocolError);
        QCOMPARE(r.summary.error.message, QStringLiteral("malformed ReadResp message (11 bytes): bad tag"));
        QVERIFY(r.revisions.isEmpty());
        StreamsClient client(server.settings());
        const AppendResult a = client.append("hostile-1", ExpectedState::any(), {EventData::json("T", "{}")});
        QCOMPARE(a.error.kind, ClientError::Kind::ProtocolError);
        QCOMPARE(a.error.message,
                 QStringLiteral("the server's reply to an append to 'hostile-1' is not an AppendResp "
                                "(11 bytes that do not parse)"));
        QVERIFY(!a.nextExpectedRevision);
        const ServerInfo info = client.serverInfo();
        QCOMPARE(info.error.kind, ClientError::Kind::ProtocolError);
        QCOMPARE(info.error.message,
                 QStringLiteral("the server's reply to GetSupportedMethods is not a SupportedMethods "
                                "message (11 bytes that do not parse)"));
    }

    void lyingLength()
    {
        HostileServer server(B::LyingLength);
        const Read r = readStream(server);
        QCOMPARE(r.summary.error.message, QStringLiteral("malformed ReadResp message (13 bytes): bad length"));
        QVERIFY(r.revisions.isEmpty());
        StreamsClient client(server.settings());
        const AppendResult a = client.append("hostile-1", ExpectedState::any(), {EventData::json("T", "{}")});
        QCOMPARE(a.error.kind, ClientError::Kind::ProtocolError);
        QCOMPARE(client.serverInfo().error.kind, ClientError::Kind::ProtocolError);
    }

    void oversizedMessageIsRefusedByTheReceiveLimit()
    {
        HostileServer server(B::Oversized);
        const long before = test::residentKb();
        const Read r = readStream(server);
        const long after = test::residentKb();
        qInfo() << "read:" << r.summary.error.toString() << "RSS KiB before" << before << "after" << after;
        QCOMPARE(r.summary.error.kind, ClientError::Kind::ProtocolError);
        QCOMPARE(r.summary.error.message,
                 QStringLiteral("the server sent a message larger than the client's receive limit, refused "
                                "[Received message larger than max (33554437 vs. 17825792)]"));
        QVERIFY(r.revisions.isEmpty());
        QVERIFY2(after - before < 64 * 1024, "a refused 32 MiB reply must not stay in memory");
        StreamsClient client(server.settings());
        const ServerInfo info = client.serverInfo();
        QCOMPARE(info.error.kind, ClientError::Kind::ProtocolError);
    }

    void hugeInitialMetadata()
    {
        HostileServer server(B::HugeInitialMetadata);
        const long before = test::residentKb();
        const Read r = readStream(server);
        const long grown = test::residentKb() - before;
        qInfo() << "read:" << r.summary.error.toString() << "RSS KiB +" << grown;
        QCOMPARE(r.summary.error.kind, ClientError::Kind::ProtocolError);
        QVERIFY(r.summary.error.message.startsWith(
            QLatin1String("the server sent headers or trailers larger than the client's metadata limit")));
        QVERIFY(r.revisions.isEmpty());
        QVERIFY(grown < 16 * 1024);
    }

    void hugeTrailer()
    {
        HostileServer server(B::HugeTrailer);
        const long before = test::residentKb();
        const Read r = readStream(server);
        const long grown = test::residentKb() - before;
        qInfo() << "read:" << r.summary.error.toString() << "events" << r.revisions << "RSS KiB +" << grown;
        QCOMPARE(r.summary.error.kind, ClientError::Kind::ProtocolError);
        QVERIFY(r.summary.error.message.startsWith(
            QLatin1String("the server sent headers or trailers larger than the client's metadata limit")));
        QVERIFY(grown < 16 * 1024);
    }

    void revisionGoingBackwardsIsRefused()
    {
        HostileServer server(B::RevisionBackwards);
        const Read r = readStream(server);
        QCOMPARE(r.summary.error.kind, ClientError::Kind::ProtocolError);
        QCOMPARE(r.summary.error.message,
                 QStringLiteral("the server sent revision 1 of stream 'hostile-1' after revision 2: revisions went "
                                "backwards in a forwards read"));
        QCOMPARE(r.revisions, (QList<quint64>{0, 1, 2}));
    }

    void skippedRevisionIsRefused()
    {
        HostileServer server(B::RevisionSkip);
        const Read r = readStream(server);
        QCOMPARE(r.summary.error.message,
                 QStringLiteral("the server sent revision 5 of stream 'hostile-1' after revision 1: revision 2 was "
                                "skipped"));
        QCOMPARE(r.revisions, (QList<quint64>{0, 1}));
    }

    void duplicateEventIsRefused()
    {
        HostileServer server(B::Duplicate);
        const Read r = readStream(server);
        QCOMPARE(r.summary.error.message,
                 QStringLiteral("the server sent revision 1 of stream 'hostile-1' twice (duplicate event)"));
        QCOMPARE(r.revisions, (QList<quint64>{0, 1}));
    }

    void allPositionGoingBackwardsIsRefused()
    {
        HostileServer server(B::PositionBackwards);
        const Read r = readFrom(server, ReadRequest::forAll());
        QCOMPARE(r.summary.error.kind, ClientError::Kind::ProtocolError);
        QCOMPARE(r.summary.error.message,
                 QStringLiteral("the server sent $all position C:150/P:150 (stream 'c' revision 0) after position "
                                "C:200/P:200: positions went backwards in a forwards read"));
        QCOMPARE(r.revisions.size(), 2);
    }

    void eventOfAnotherStreamIsRefused()
    {
        HostileServer server(B::Good);
        const Read r = readFrom(server, ReadRequest::forStream("other-7"));
        QCOMPARE(r.summary.error.message,
                 QStringLiteral("the server sent an event of stream 'hostile-1' (revision 0) in a read of stream "
                                "'other-7'"));
        QVERIFY(r.revisions.isEmpty());
    }

    void timelineLoadIndexesNothingWrong()
    {
        HostileServer server(B::RevisionBackwards);
        StreamsClient client(server.settings());
        engine::TimelineIndex index;
        const ReadSummary s = engine::TimelineIndexLoader::load(client,
                                                                ReadRequest::forTimeline(HostileServer::streamName()),
                                                                index);
        QCOMPARE(s.error.kind, ClientError::Kind::ProtocolError);
        QVERIFY(s.error.message.contains(QLatin1String("revision 1 of stream 'hostile-1' after revision 2")));
        QCOMPARE(index.size(), quint64(3)); // 0, 1, 2: the revision going back is not indexed
    }

    void subscriptionEndsOnceOnADuplicate()
    {
        HostileServer server(B::Duplicate);
        StreamsClient client(server.settings());
        std::mutex mutex;
        QList<quint64> revisions;
        QList<ClientError> ends;
        auto sub = client.subscribe(
            ReadRequest::forStream(HostileServer::streamName()),
            [&](SubscriptionMessage &&m) {
                std::lock_guard lock(mutex);
                if (m.kind == SubscriptionMessage::Kind::Event)
                    revisions << m.event.originalEvent().revision;
            },
            [&](const ClientError &e) {
                std::lock_guard lock(mutex);
                ends << e;
            });
        sub->wait();
        QCOMPARE(ends.size(), 1);
        QCOMPARE(ends.first().kind, ClientError::Kind::ProtocolError);
        QCOMPARE(ends.first().message,
                 QStringLiteral("the server sent revision 1 of stream 'hostile-1' twice (duplicate event)"));
        QCOMPARE(revisions, (QList<quint64>{0, 1}));
    }
};

QTEST_GUILESS_MAIN(TestHostileReplies)
#include "tst_hostilereplies.moc"
