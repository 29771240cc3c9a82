#include "client/StreamsClient.h"
#include "session/LiveTail.h"
#include "session/TimeCursor.h"
#include "session/TimelineSession.h"
#include "support/DemoSandbox.h"
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

bool loadAndFollow(TimelineSession &session, std::shared_ptr<const StreamsClient> client, const QByteArray &stream)
{
    QSignalSpy finished(&session, &TimelineSession::loadFinished);
    session.load(std::move(client), stream);
    return finished.wait(15000) && !finished.first().at(0).value<ClientError>().isError() && session.isFollowing();
}

/// The [from, to) ranges of a grown() spy, in order.
QList<std::pair<quint64, quint64>> ranges(const QSignalSpy &grown)
{
    QList<std::pair<quint64, quint64>> out;
    for (const QList<QVariant> &args : grown)
        out.append({args.at(0).toULongLong(), args.at(1).toULongLong()});
    return out;
}

} // namespace

class TestTimelineSession : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;

    /// A new stream of `n` events, loaded into `session` and followed: the client, null on failure.
    std::shared_ptr<const StreamsClient> followNewStream(TimelineSession &session, const QByteArray &stream, int n)
    {
        auto client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        if (client->append(stream, ExpectedState::noStream(), events(n)).error || !loadAndFollow(session, client, stream))
            return nullptr;
        return client;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_sandbox.start(3000), qPrintable(m_sandbox.error())); }

    void cursorClampsAndSteps()
    {
        TimeCursor cursor;
        QSignalSpy moved(&cursor, &TimeCursor::positionChanged);
        cursor.setPosition(5);
        QCOMPARE(cursor.position(), qint64(-1)); // empty timeline: only -1
        QCOMPARE(moved.count(), 0);
        cursor.setCount(10);
        QCOMPARE(cursor.position(), qint64(-1));
        cursor.step(1);
        QCOMPARE(cursor.position(), qint64(0));
        cursor.step(100);
        QCOMPARE(cursor.position(), qint64(9));
        cursor.step(-3);
        QCOMPARE(cursor.position(), qint64(6));
        cursor.toStart();
        QCOMPARE(cursor.position(), qint64(0));
        cursor.toEnd();
        QCOMPARE(cursor.position(), qint64(9));
        QCOMPARE(moved.count(), 5);
        QCOMPARE(moved.last().at(0).toLongLong(), qint64(9));
    }

    void cursorFollowsTheEndOnlyFromTheEnd()
    {
        TimeCursor cursor;
        cursor.setCount(10);
        cursor.toEnd();
        cursor.setCount(15);
        QCOMPARE(cursor.position(), qint64(14));
        cursor.setPosition(3);
        cursor.setCount(20);
        QCOMPARE(cursor.position(), qint64(3));
        cursor.setCount(2); // shrinking clamps
        QCOMPARE(cursor.position(), qint64(1));
    }

    void markersDropWhenPastTheEnd()
    {
        TimeCursor cursor;
        cursor.setCount(10);
        QSignalSpy markers(&cursor, &TimeCursor::markersChanged);
        cursor.setMarkerA(2);
        cursor.setMarkerB(42); // clamped to the last event
        QCOMPARE(cursor.markerB(), qint64(9));
        QVERIFY(cursor.hasMarkers());
        cursor.swapMarkers();
        QCOMPARE(cursor.markerA(), qint64(9));
        QCOMPARE(cursor.markerB(), qint64(2));
        cursor.setCount(5);
        QCOMPARE(cursor.markerA(), qint64(-1));
        QCOMPARE(cursor.markerB(), qint64(2));
        QCOMPARE(markers.count(), 4);
        cursor.reset();
        QCOMPARE(cursor.count(), quint64(0));
        QCOMPARE(cursor.position(), qint64(-1));
        QVERIFY(!cursor.hasMarkers());
    }

    void loadsAStreamInBatchesAndServesPayloads()
    {
        auto client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        const ReadResult direct = client->readAll(ReadRequest::forStream("order-1"));
        QVERIFY(!direct.error.isError());
        QVERIFY(direct.events.size() >= 2);

        TimelineSession session;
        QSignalSpy grown(&session, &TimelineSession::grown);
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(client, "order-1");
        QVERIFY(session.isLoading());
        QVERIFY(finished.wait(10000));
        QVERIFY(!session.isLoading());
        const auto error = finished.first().at(0).value<ClientError>();
        QVERIFY2(!error.isError(), qPrintable(error.toString()));

        QCOMPARE(session.index().size(), quint64(direct.events.size()));
        QVERIFY(!grown.isEmpty());
        QCOMPARE(grown.first().at(0).toULongLong(), quint64(0));
        QCOMPARE(grown.last().at(1).toULongLong(), quint64(direct.events.size()));
        QCOMPARE(session.cursor()->count(), quint64(direct.events.size()));
        QVERIFY(session.cursor()->atEnd()); // a stream opens on its latest state

        const quint64 last = session.index().size() - 1;
        QCOMPARE(session.index().revision(last), direct.events.last().event->revision);
        const engine::FetchResult fetched = session.payloads()->events(last, 1);
        QVERIFY2(fetched.ok(), qPrintable(fetched.error));
        QCOMPARE(fetched.events.first().data, direct.events.last().event->data);
    }

    void aLongLoadIsAnnouncedAtASteadyPace()
    {
        // Enough events for many posted batches: the views hear of them at most once per
        // kGrowIntervalMs (plus the first batch and the end), contiguously, and all before
        // loadFinished.
        auto client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        const int n = 20 * TimelineSession::kBatchSize;
        for (int at = 0; at < n; at += 5000)
            QVERIFY(!client->append("paced-1", ExpectedState::any(), events(std::min(5000, n - at))).error);
        TimelineSession session;
        session.setFollowLive(false);
        QList<std::pair<quint64, qint64>> announced; // (to, ms since load) per grown()
        bool finishedBeforeLast = false;
        QElapsedTimer clock;
        connect(&session, &TimelineSession::grown, this, [&](quint64, quint64 to) {
            announced.append({to, clock.elapsed()});
            QCOMPARE(session.cursor()->count(), to);
        });
        QSignalSpy grown(&session, &TimelineSession::grown);
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        connect(&session, &TimelineSession::loadFinished, this, [&]() { finishedBeforeLast = announced.isEmpty() || announced.last().first != quint64(n); });
        clock.start();
        session.load(client, "paced-1");
        QVERIFY(finished.wait(30000));
        QVERIFY(!finished.first().at(0).value<ClientError>().isError());
        QVERIFY(!finishedBeforeLast);
        const auto r = ranges(grown);
        QCOMPARE(r.first().first, quint64(0));
        QCOMPARE(r.last().second, quint64(n));
        for (qsizetype i = 1; i < r.size(); ++i)
            QCOMPARE(r.at(i).first, r.at(i - 1).second); // contiguous, nothing lost
        // Announcements after the first are kGrowIntervalMs apart (a little slack for timers),
        // except the last one, which comes with the end of the load.
        QVERIFY(announced.size() >= 2);
        qInfo("%lld announcements over %lld ms", qlonglong(announced.size()), qlonglong(announced.last().second));
        QVERIFY(announced.size() <= 2 + announced.last().second / (TimelineSession::kGrowIntervalMs - 10));
        for (qsizetype i = 1; i + 1 < announced.size(); ++i)
            QVERIFY2(announced.at(i).second - announced.at(i - 1).second >= TimelineSession::kGrowIntervalMs - 10,
                     qPrintable(QStringLiteral("grown() %1 came %2 ms after the one before")
                                    .arg(i).arg(announced.at(i).second - announced.at(i - 1).second)));
    }

    void aLinkStreamIndexesTheLinksPlacesAndServesTheTargets()
    {
        auto client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        const ReadResult order1 = client->readAll(ReadRequest::forStream("order-1"));
        const ReadResult order2 = client->readAll(ReadRequest::forStream("order-2"));
        QVERIFY(order1.events.size() >= 3 && !order2.events.isEmpty());
        // Targets out of order and from two streams: their revisions say nothing about the links'.
        QVERIFY(!client->append("session-links", ExpectedState::noStream(),
                                {EventData::binary(SystemEventTypes::LinkTo, "2@order-1"),
                                 EventData::binary(SystemEventTypes::LinkTo, "0@order-2"),
                                 EventData::binary(SystemEventTypes::LinkTo, "1@order-1")})
                     .error);

        TimelineSession session;
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(client, "session-links", true);
        QVERIFY(finished.wait(10000));
        QVERIFY(!finished.first().at(0).value<ClientError>().isError());
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
        session.load(std::make_shared<const StreamsClient>(m_sandbox.settings()), "no-such-stream");
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(0).value<ClientError>().kind, ClientError::Kind::StreamNotFound);
        QCOMPARE(session.index().size(), quint64(0));
    }

    void cancelKeepsWhatWasLoadedAndSaysSo()
    {
        TimelineSession session;
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(std::make_shared<const StreamsClient>(m_sandbox.settings()), "order-1");
        session.cancel();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(0).value<ClientError>().kind, ClientError::Kind::Cancelled);
        QVERIFY(!session.isLoading());
        QTest::qWait(200); // whatever the worker still posts is dropped
        QCOMPARE(finished.count(), 1);
    }

    void followsAStreamLiveInBatches()
    {
        TimelineSession session;
        QVERIFY(session.followsLive()); // on by default
        const auto client = followNewStream(session, "live-1", 3);
        QVERIFY(client);
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
                if (client->append("live-1", ExpectedState::any(), events(2)).error)
                    appendFailed = true;
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        });
        QTRY_COMPARE_WITH_TIMEOUT(session.index().size(), quint64(123), 15000);
        writer.join();
        QVERIFY(!appendFailed);

        // Every event exactly once, in order, in batches: contiguous ranges, at least ~100 ms apart.
        const auto r = ranges(grown);
        QVERIFY2(r.size() >= 2 && r.size() < 60, qPrintable(QString::number(r.size())));
        quint64 next = 3;
        for (const auto &[from, to] : r) {
            QCOMPARE(from, next);
            QVERIFY(to > from);
            next = to;
        }
        QCOMPARE(next, quint64(123));
        for (qsizetype i = 1; i < grownAt.size(); ++i)
            QVERIFY2(grownAt.at(i) - grownAt.at(i - 1) >= LiveTail::kIntervalMs - 10,
                     qPrintable(QStringLiteral("batches %1 ms apart").arg(grownAt.at(i) - grownAt.at(i - 1))));
        const ReadResult direct = client->readAll(ReadRequest::forStream("live-1"));
        QCOMPARE(direct.events.size(), 123);
        for (quint64 o = 0; o < 123; ++o)
            QCOMPARE(session.index().revision(o), o);
        QCOMPARE(session.cursor()->position(), qint64(122)); // at the end, the cursor follows it
        // The payload cache serves the live events too.
        const engine::FetchResult fetched = session.payloads()->events(120, 3);
        QVERIFY2(fetched.ok(), qPrintable(fetched.error));
        QCOMPARE(fetched.events.last().data, direct.events.last().event->data);
    }

    void followingOffStopsGrowthAndOnCatchesUp()
    {
        TimelineSession session;
        const auto client = followNewStream(session, "live-2", 4);
        QVERIFY(client);
        QSignalSpy following(&session, &TimelineSession::followingChanged);
        QSignalSpy toggled(&session, &TimelineSession::followLiveChanged);
        session.setFollowLive(false);
        QVERIFY(!session.isFollowing());
        QCOMPARE(following.count(), 1);
        QCOMPARE(toggled.count(), 1);

        // A second session still follows: once it has the new events, the first would have them too.
        TimelineSession witness;
        QVERIFY(loadAndFollow(witness, client, "live-2"));
        QVERIFY(!client->append("live-2", ExpectedState::any(), events(6)).error);
        QTRY_COMPARE_WITH_TIMEOUT(witness.index().size(), quint64(10), 10000);
        QTest::qWait(3 * LiveTail::kIntervalMs); // nothing to await: growth must stay absent
        QCOMPARE(session.index().size(), quint64(4));

        session.setFollowLive(true); // from the last loaded event: what came meanwhile arrives
        QVERIFY(session.isFollowing());
        QTRY_COMPARE_WITH_TIMEOUT(session.index().size(), quint64(10), 10000);
        QCOMPARE(session.index().revision(9), quint64(9));
    }

    void aTombstonedStreamEndsTheTailOnceWithItsError()
    {
        TimelineSession session;
        const auto client = followNewStream(session, "doomed-1", 2);
        QVERIFY(client);
        QSignalSpy ended(&session, &TimelineSession::liveEnded);
        QSignalSpy toggled(&session, &TimelineSession::followLiveChanged);
        QVERIFY(!client->tombstoneStream("doomed-1", ExpectedState::any()).error);
        QVERIFY(ended.wait(10000));
        const auto error = ended.first().at(0).value<ClientError>();
        QCOMPARE(error.kind, ClientError::Kind::StreamDeleted);
        QCOMPARE(error.streamName, QByteArray("doomed-1"));
        QVERIFY(!session.isFollowing());
        QVERIFY(!session.followsLive()); // the toggle says it stopped
        QCOMPARE(toggled.count(), 1);
        QCOMPARE(session.index().size(), quint64(2)); // what was loaded stays
        QVERIFY(!ended.wait(500)); // once
    }

    void cancelClearAndAnotherLoadEndTheTail()
    {
        TimelineSession session;
        QSignalSpy ended(&session, &TimelineSession::liveEnded);
        const auto client = followNewStream(session, "live-3", 2);
        QVERIFY(client);
        QVERIFY(loadAndFollow(session, client, "order-1")); // another load: the new stream is followed
        QCOMPARE(session.stream(), QByteArray("order-1"));
        QVERIFY(!client->append("live-3", ExpectedState::any(), events(1)).error);
        QVERIFY(!client->append("order-1", ExpectedState::any(), events(1, "OrderNoted")).error);
        const quint64 loaded = session.index().size();
        QTRY_COMPARE_WITH_TIMEOUT(session.index().typeName(session.index().size() - 1), QByteArray("OrderNoted"), 10000);
        QCOMPARE(session.index().size(), loaded + 1); // nothing from the previous stream's tail

        session.cancel();
        QVERIFY(!session.isFollowing());
        QVERIFY(!session.followsLive());
        session.setFollowLive(true);
        QVERIFY(session.isFollowing());
        session.clear();
        QVERIFY(!session.isFollowing());
        QVERIFY(session.followsLive()); // clearing is not the user stopping it
        QCOMPARE(ended.count(), 0);      // none of these is an error
    }

    void allLoadsTheNonSystemEventsAndFollowsThem()
    {
        auto client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        // A system event among them: stream metadata is a `$metadata` event in `$all`.
        StreamMetadata meta;
        meta.maxCount = 1000;
        QVERIFY(!client->setStreamMetadata("order-2", meta).error);
        const ReadResult everything = client->readAll(ReadRequest::forAll());
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
        QVERIFY(loadAndFollow(session, client, TimelineSession::allStream()));
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
        QVERIFY(!client->append("live-all-a", ExpectedState::any(), events(3)).error);
        QVERIFY(!client->setStreamMetadata("live-all-a", meta).error);
        QVERIFY(!client->append("live-all-b", ExpectedState::any(), events(2)).error);
        QTRY_COMPARE_WITH_TIMEOUT(index.size(), before + 5, 10000);
        QCOMPARE(index.streamName(before), QByteArray("live-all-a"));
        QCOMPARE(index.streamName(before + 4), QByteArray("live-all-b"));
        QCOMPARE(index.revision(before + 4), quint64(1)); // its own stream's revision
        QVERIFY(index.commitPosition(before + 4) > index.commitPosition(before - 1));
        const engine::FetchResult live = session.payloads()->events(before + 4, 1);
        QVERIFY2(live.ok(), qPrintable(live.error));
        QCOMPARE(live.events.first().streamId, QByteArray("live-all-b"));
    }

    void loadingAnotherStreamReplacesTheTimeline()
    {
        auto client = std::make_shared<const StreamsClient>(m_sandbox.settings());
        TimelineSession session;
        QSignalSpy reset(&session, &TimelineSession::reset);
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(client, "order-1");
        session.load(client, "order-2");
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.count(), 1); // the first load's end is dropped
        QCOMPARE(reset.count(), 2);
        QCOMPARE(session.stream(), QByteArray("order-2"));
        QCOMPARE(session.index().streamName(0), QByteArray("order-2"));
    }
};

QTEST_GUILESS_MAIN(TestTimelineSession)
#include "tst_timelinesession.moc"
