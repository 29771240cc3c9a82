// The server's TimelineSource against a sandbox: what only a server does ($all without system
// events, link resolution, a subscription's live tail and its end), and that a session loaded
// from the server equals one loaded from the same events in memory.
#include "client/StreamsClient.h"
#include "session/ServerTimelineSource.h"
#include "session/TimelineIndexLoader.h"
#include "session/TimelineSession.h"
#include "support/DemoSandbox.h"
#include "timeline/InMemoryTimelineSource.h"
#include "timeline/LiveFeed.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <thread>

using namespace chronoscope;

namespace {

QList<EventData> events(int n, const QByteArray &type = "Ticked")
{
    QList<EventData> out;
    for (int i = 0; i < n; ++i)
        out.append(EventData::json(type, QByteArrayLiteral("{\"i\":") + QByteArray::number(i) + '}'));
    return out;
}

bool loadAndWait(TimelineSession &session, std::shared_ptr<engine::TimelineSource> source)
{
    QSignalSpy finished(&session, &TimelineSession::loadFinished);
    session.load(std::move(source));
    return finished.wait(15000) && !finished.first().at(0).value<ClientError>().isError();
}

bool loadAndFollow(TimelineSession &session, std::shared_ptr<const StreamsClient> client, const QByteArray &stream)
{
    QSignalSpy finished(&session, &TimelineSession::loadFinished);
    session.load(std::move(client), stream);
    return finished.wait(15000) && !finished.first().at(0).value<ClientError>().isError() && session.isFollowing();
}

/// What a session's index says of each event, one line per ordinal.
QStringList indexLines(const TimelineSession &session)
{
    QStringList out;
    const engine::TimelineIndex &index = session.index();
    for (quint64 o = 0; o < index.size(); ++o)
        out.append(QStringLiteral("%1 %2@%3 pos %4 %5 %6 bytes %7")
                       .arg(o)
                       .arg(QString::fromUtf8(index.streamName(o)))
                       .arg(index.revision(o))
                       .arg(index.commitPosition(o))
                       .arg(QString::fromUtf8(index.typeName(o)))
                       .arg(index.createdTicks(o))
                       .arg(index.payloadBytes(o)));
    return out;
}

/// The payloads a session serves, one line per ordinal. (For resolved links, a server serves each
/// target with its own revision, the in-memory source as it was given, at the link's place.)
QStringList payloadLines(const TimelineSession &session, bool withRevisions = true)
{
    QStringList out;
    const engine::FetchResult fetched = session.payloads()->events(0, session.index().size());
    if (!fetched.ok())
        return {fetched.error};
    for (const RecordedEvent &e : fetched.events)
        out.append(QStringLiteral("%1@%2 %3 %4 %5 %6")
                       .arg(QString::fromUtf8(e.streamId))
                       .arg(withRevisions ? QString::number(e.revision) : QStringLiteral("-"))
                       .arg(e.id.toString(), QString::fromUtf8(e.type), QString::fromUtf8(e.data),
                            QString::fromUtf8(e.metadata)));
    return out;
}

} // namespace

class TestServerTimelineSource : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;

    /// What loading `stream` reads, in the form the index keeps: the events an in-memory source
    /// needs to stand for the server.
    QList<RecordedEvent> indexed(const QByteArray &stream, bool links)
    {
        QList<RecordedEvent> out;
        const ReadResult r = m_client->readAll(TimelineSession::requestFor(stream, links));
        for (ResolvedEvent e : r.events)
            if (auto record = engine::TimelineIndexLoader::indexedRecord(std::move(e)))
                out.append(*record);
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(3000), qPrintable(m_sandbox.error()));
        m_client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        // A link stream whose targets are out of order and from two streams.
        QVERIFY(!m_client
                     ->append("same-links", ExpectedState::noStream(),
                              {EventData::binary(SystemEventTypes::LinkTo, "2@order-1"),
                               EventData::binary(SystemEventTypes::LinkTo, "0@order-2"),
                               EventData::binary(SystemEventTypes::LinkTo, "1@order-1")})
                     .error);
    }

    void describesTheServerTimeline()
    {
        ServerTimelineSource stream(m_client, "order-1", true);
        QCOMPARE(stream.name(), QByteArray("order-1"));
        QVERIFY(!stream.isAll());
        QVERIFY(stream.resolvesLinks());
        QVERIFY(stream.canFollowLive());
        QVERIFY(stream.client() == m_client);
        ServerTimelineSource all(m_client, TimelineSession::allStream(), true);
        QVERIFY(all.isAll());
        QVERIFY(!all.resolvesLinks()); // `$all` is read as it is
        QVERIFY(all.request().filter.has_value());

        TimelineSession session;
        session.load(m_client, "order-1");
        QVERIFY(session.client() == m_client); // the inspector's lookups go to the same server
        QVERIFY(std::dynamic_pointer_cast<ServerTimelineSource>(session.source()));
    }

    void aSessionFromTheServerEqualsOneFromTheSameEventsInMemory_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<bool>("links");
        QTest::addColumn<QByteArray>("appendTo");
        QTest::addRow("stream") << QByteArray("order-1") << false << QByteArray("order-1");
        QTest::addRow("$all") << TimelineSession::allStream() << false << QByteArray("same-all-live");
        QTest::addRow("resolved links") << QByteArray("same-links") << true << QByteArray();
    }
    void aSessionFromTheServerEqualsOneFromTheSameEventsInMemory()
    {
        QFETCH(QByteArray, stream);
        QFETCH(bool, links);
        QFETCH(QByteArray, appendTo);

        TimelineSession server;
        QSignalSpy serverGrown(&server, &TimelineSession::grown);
        QVERIFY(loadAndWait(server, std::make_shared<ServerTimelineSource>(m_client, stream, links)));
        QVERIFY(server.isFollowing());

        engine::InMemoryTimelineSource::Options options;
        options.all = stream == TimelineSession::allStream();
        options.resolvesLinks = links;
        const auto memory = std::make_shared<engine::InMemoryTimelineSource>(stream, indexed(stream, links), options);
        TimelineSession inMemory;
        QSignalSpy memoryGrown(&inMemory, &TimelineSession::grown);
        QVERIFY(loadAndWait(inMemory, memory));
        QVERIFY(inMemory.isFollowing());

        QVERIFY(server.index().size() > 2);
        QCOMPARE(inMemory.stream(), server.stream());
        QCOMPARE(inMemory.isAll(), server.isAll());
        QCOMPARE(inMemory.spansStreams(), server.spansStreams());
        QCOMPARE(inMemory.resolvesLinks(), server.resolvesLinks());
        QCOMPARE(indexLines(inMemory), indexLines(server));
        QCOMPARE(payloadLines(inMemory, !links), payloadLines(server, !links));
        QCOMPARE(inMemory.cursor()->count(), server.cursor()->count());
        QCOMPARE(inMemory.cursor()->position(), server.cursor()->position());
        QCOMPARE(memoryGrown.last().at(1), serverGrown.last().at(1));

        if (appendTo.isEmpty())
            return;
        // Live: what the server's subscription brings, the in-memory source's appends bring alike.
        const quint64 before = server.index().size();
        QVERIFY(!m_client->append(appendTo, ExpectedState::any(), events(3, "Appended")).error);
        QTRY_COMPARE_WITH_TIMEOUT(server.index().size(), before + 3, 10000);
        memory->append(indexed(stream, links).mid(qsizetype(before)));
        QTRY_COMPARE_WITH_TIMEOUT(inMemory.index().size(), before + 3, 10000);
        QCOMPARE(indexLines(inMemory), indexLines(server));
        QCOMPARE(payloadLines(inMemory), payloadLines(server));
    }

    void aLinkStreamIndexesTheLinksPlacesAndServesTheTargets()
    {
        const ReadResult order1 = m_client->readAll(ReadRequest::forStream("order-1"));
        const ReadResult order2 = m_client->readAll(ReadRequest::forStream("order-2"));
        QVERIFY(order1.events.size() >= 3 && !order2.events.isEmpty());

        TimelineSession session;
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(m_client, "same-links", true);
        QVERIFY(finished.wait(10000));
        QVERIFY(!finished.first().at(0).value<ClientError>().isError());
        QVERIFY(session.resolvesLinks());
        QCOMPARE(session.index().size(), quint64(3));
        QCOMPARE(session.index().revision(2), quint64(2)); // the link's place, not the target's revision
        QCOMPARE(session.index().streamName(1), QByteArray("order-2"));

        const engine::FetchResult fetched = session.payloads()->events(0, 3);
        QVERIFY2(fetched.ok(), qPrintable(fetched.error));
        QCOMPARE(fetched.events.size(), 3);
        QCOMPARE(fetched.events.at(0).data, order1.events.at(2).event->data);
        QCOMPARE(fetched.events.at(1).data, order2.events.at(0).event->data);
        QCOMPARE(fetched.events.at(2).data, order1.events.at(1).event->data);
    }

    void aMissingStreamEndsWithItsError()
    {
        TimelineSession session;
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(m_client, "no-such-stream");
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(0).value<ClientError>().kind, ClientError::Kind::StreamNotFound);
        QCOMPARE(session.index().size(), quint64(0));
        QVERIFY(!session.isFollowing());
    }

    void followsAStreamLiveInBatches()
    {
        TimelineSession session;
        QVERIFY(!m_client->append("live-1", ExpectedState::noStream(), events(3)).error);
        QVERIFY(loadAndFollow(session, m_client, "live-1"));
        QCOMPARE(session.index().size(), quint64(3));

        // 60 appends of 2 events over ~600 ms from another thread, while this thread runs its loop.
        QSignalSpy grown(&session, &TimelineSession::grown);
        QList<qint64> grownAt;
        QElapsedTimer clock;
        clock.start();
        connect(&session, &TimelineSession::grown, this, [&]() { grownAt.append(clock.elapsed()); });
        std::atomic<bool> appendFailed{false};
        std::thread writer([&]() {
            for (int i = 0; i < 60; ++i) {
                if (m_client->append("live-1", ExpectedState::any(), events(2)).error)
                    appendFailed = true;
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        });
        QTRY_COMPARE_WITH_TIMEOUT(session.index().size(), quint64(123), 15000);
        writer.join();
        QVERIFY(!appendFailed);

        // Every event exactly once, in order, in batches at least ~100 ms apart.
        QVERIFY2(grown.size() >= 2 && grown.size() < 60, qPrintable(QString::number(grown.size())));
        for (qsizetype i = 1; i < grownAt.size(); ++i)
            QVERIFY2(grownAt.at(i) - grownAt.at(i - 1) >= engine::LiveFeed::kIntervalMs - 10,
                     qPrintable(QStringLiteral("batches %1 ms apart").arg(grownAt.at(i) - grownAt.at(i - 1))));
        const ReadResult direct = m_client->readAll(ReadRequest::forStream("live-1"));
        QCOMPARE(direct.events.size(), 123);
        for (quint64 o = 0; o < 123; ++o)
            QCOMPARE(session.index().revision(o), o);
        const engine::FetchResult fetched = session.payloads()->events(120, 3);
        QVERIFY2(fetched.ok(), qPrintable(fetched.error));
        QCOMPARE(fetched.events.last().data, direct.events.last().event->data);
    }

    void followingOnAgainCatchesUpFromTheLastLoadedEvent()
    {
        TimelineSession session;
        QVERIFY(!m_client->append("live-2", ExpectedState::noStream(), events(4)).error);
        QVERIFY(loadAndFollow(session, m_client, "live-2"));
        session.setFollowLive(false);
        QVERIFY(!m_client->append("live-2", ExpectedState::any(), events(6)).error);
        QTest::qWait(3 * engine::LiveFeed::kIntervalMs);
        QCOMPARE(session.index().size(), quint64(4));
        session.setFollowLive(true); // the subscription starts after revision 3: nothing twice
        QTRY_COMPARE_WITH_TIMEOUT(session.index().size(), quint64(10), 10000);
        QTest::qWait(2 * engine::LiveFeed::kIntervalMs);
        QCOMPARE(session.index().size(), quint64(10));
        for (quint64 o = 0; o < 10; ++o)
            QCOMPARE(session.index().revision(o), o);
    }

    void aTombstonedStreamEndsTheTailOnceWithItsError()
    {
        TimelineSession session;
        QVERIFY(!m_client->append("doomed-1", ExpectedState::noStream(), events(2)).error);
        QVERIFY(loadAndFollow(session, m_client, "doomed-1"));
        QSignalSpy ended(&session, &TimelineSession::liveEnded);
        QSignalSpy toggled(&session, &TimelineSession::followLiveChanged);
        QVERIFY(!m_client->tombstoneStream("doomed-1", ExpectedState::any()).error);
        QVERIFY(ended.wait(10000));
        const auto error = ended.first().at(0).value<ClientError>();
        QCOMPARE(error.kind, ClientError::Kind::StreamDeleted);
        QCOMPARE(error.streamName, QByteArray("doomed-1"));
        QVERIFY(!session.isFollowing());
        QVERIFY(!session.followsLive());
        QCOMPARE(toggled.count(), 1);
        QCOMPARE(session.index().size(), quint64(2)); // what was loaded stays
        QVERIFY(!ended.wait(500));                    // once
    }

    void allLoadsTheNonSystemEventsAndFollowsThem()
    {
        // A system event among them: stream metadata is a `$metadata` event in `$all`.
        StreamMetadata meta;
        meta.maxCount = 1000;
        QVERIFY(!m_client->setStreamMetadata("order-2", meta).error);
        const ReadResult everything = m_client->readAll(ReadRequest::forAll());
        QVERIFY(!everything.error);
        QList<RecordedEvent> expected;
        bool sawSystem = false;
        for (const ResolvedEvent &e : everything.events) {
            const bool system = e.originalEvent().type.startsWith('$');
            sawSystem = sawSystem || system;
            if (!system)
                expected.append(e.originalEvent());
        }
        QVERIFY(sawSystem);

        TimelineSession session;
        QVERIFY(loadAndFollow(session, m_client, TimelineSession::allStream()));
        QVERIFY(session.isAll());
        QVERIFY(session.spansStreams());
        const engine::TimelineIndex &index = session.index();
        QCOMPARE(index.size(), quint64(expected.size()));
        for (const quint64 o : {quint64(0), quint64(expected.size() / 2), quint64(expected.size() - 1)}) {
            QCOMPARE(index.streamName(o), expected.at(qsizetype(o)).streamId);
            QCOMPARE(index.revision(o), expected.at(qsizetype(o)).revision);
            QCOMPARE(index.commitPosition(o), expected.at(qsizetype(o)).position.commit);
        }
        // Payloads by position.
        const engine::FetchResult fetched = session.payloads()->events(index.size() - 2, 2);
        QVERIFY2(fetched.ok(), qPrintable(fetched.error));
        QCOMPARE(fetched.events.last().data, expected.last().data);

        // Live: appends to two streams and a system event; only the five events arrive.
        const quint64 before = index.size();
        QVERIFY(!m_client->append("live-all-a", ExpectedState::any(), events(3)).error);
        QVERIFY(!m_client->setStreamMetadata("live-all-a", meta).error);
        QVERIFY(!m_client->append("live-all-b", ExpectedState::any(), events(2)).error);
        QTRY_COMPARE_WITH_TIMEOUT(index.size(), before + 5, 10000);
        QCOMPARE(index.streamName(before), QByteArray("live-all-a"));
        QCOMPARE(index.streamName(before + 4), QByteArray("live-all-b"));
        QCOMPARE(index.revision(before + 4), quint64(1)); // its own stream's revision
        QVERIFY(index.commitPosition(before + 4) > index.commitPosition(before - 1));
        const engine::FetchResult live = session.payloads()->events(before + 4, 1);
        QVERIFY2(live.ok(), qPrintable(live.error));
        QCOMPARE(live.events.first().streamId, QByteArray("live-all-b"));
    }
};

QTEST_GUILESS_MAIN(TestServerTimelineSource)
#include "tst_servertimelinesource.moc"
