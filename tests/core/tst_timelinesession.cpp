// The session's own logic — batches, announcements, cancel, live following and its end — over
// events in memory. What only a server does ($all's filter, link resolution, subscriptions) is
// tested against the sandbox in tst_servertimelinesource.
#include "session/TimeCursor.h"
#include "session/TimelineSession.h"
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
using engine::InMemoryTimelineSource;

namespace {

/// `n` events of `stream` from revision `from` on, with their own payloads and increasing positions.
QList<RecordedEvent> events(const QByteArray &stream, quint64 from, int n, const QByteArray &type = "Ticked")
{
    QList<RecordedEvent> out;
    for (int i = 0; i < n; ++i) {
        RecordedEvent e;
        e.streamId = stream;
        e.id = QUuid::createUuid();
        e.revision = from + quint64(i);
        e.position = {1000 + e.revision * 100, 1000 + e.revision * 100};
        e.type = type;
        e.contentType = "application/json";
        e.createdTicks = (1782864000000LL + qint64(e.revision) * 1000) * kTicksPerMillisecond;
        e.data = QByteArrayLiteral("{\"i\":") + QByteArray::number(e.revision) + '}';
        e.metadata = QByteArrayLiteral("{}");
        out.append(e);
    }
    return out;
}

std::shared_ptr<InMemoryTimelineSource> source(const QByteArray &stream, int n)
{
    return std::make_shared<InMemoryTimelineSource>(stream, events(stream, 0, n));
}

bool loadAndFollow(TimelineSession &session, std::shared_ptr<engine::TimelineSource> source)
{
    QSignalSpy finished(&session, &TimelineSession::loadFinished);
    session.load(std::move(source));
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

private Q_SLOTS:
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

    void loadsInBatchesAndServesPayloads()
    {
        // More than one posted batch, so that the index is filled from several.
        const int n = TimelineSession::kBatchSize + 10;
        const auto src = source("order-1", n);
        TimelineSession session;
        QSignalSpy reset(&session, &TimelineSession::reset);
        QSignalSpy grown(&session, &TimelineSession::grown);
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(src);
        QVERIFY(session.isLoading());
        QCOMPARE(reset.count(), 1);
        QCOMPARE(reset.first().at(0).toByteArray(), QByteArray("order-1"));
        QCOMPARE(session.stream(), QByteArray("order-1"));
        QVERIFY(!session.isAll());
        QVERIFY(!session.spansStreams());
        QVERIFY(session.source() == src);
        QVERIFY(!session.client()); // not from a server
        QVERIFY(finished.wait(10000));
        QVERIFY(!session.isLoading());
        const auto error = finished.first().at(0).value<ClientError>();
        QVERIFY2(!error.isError(), qPrintable(error.toString()));

        QCOMPARE(session.index().size(), quint64(n));
        QVERIFY(!grown.isEmpty());
        QCOMPARE(grown.first().at(0).toULongLong(), quint64(0));
        QCOMPARE(grown.last().at(1).toULongLong(), quint64(n));
        QCOMPARE(session.cursor()->count(), quint64(n));
        QVERIFY(session.cursor()->atEnd()); // a stream opens on its latest state

        const QList<RecordedEvent> expected = src->events();
        for (const quint64 o : {quint64(0), quint64(TimelineSession::kBatchSize), quint64(n - 1)}) {
            QCOMPARE(session.index().revision(o), expected.at(qsizetype(o)).revision);
            QCOMPARE(session.index().commitPosition(o), expected.at(qsizetype(o)).position.commit);
            QCOMPARE(session.index().streamName(o), QByteArray("order-1"));
        }
        const engine::FetchResult fetched = session.payloads()->events(quint64(n - 2), 2);
        QVERIFY2(fetched.ok(), qPrintable(fetched.error));
        QCOMPARE(fetched.events.size(), 2);
        QCOMPARE(fetched.events.last().data, expected.last().data);
        QCOMPARE(fetched.events.first().data, expected.at(n - 2).data);
    }

    void aLongLoadIsAnnouncedAtASteadyPace()
    {
        // Many posted batches that take a while to come (as from a server): the views hear of them
        // at most once per kGrowIntervalMs (plus the first batch and the end), contiguously, and
        // all before loadFinished.
        const int n = 20 * TimelineSession::kBatchSize;
        const auto src = source("paced-1", n);
        src->setReadDelay(std::chrono::milliseconds(25));
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
        session.load(src);
        QVERIFY(finished.wait(30000));
        QVERIFY(!finished.first().at(0).value<ClientError>().isError());
        QVERIFY(!finishedBeforeLast);
        const auto r = ranges(grown);
        QCOMPARE(r.first().first, quint64(0));
        QCOMPARE(r.last().second, quint64(n));
        for (qsizetype i = 1; i < r.size(); ++i)
            QCOMPARE(r.at(i).first, r.at(i - 1).second); // contiguous, nothing lost
        // 20 batches 25 ms apart: announcements kGrowIntervalMs apart (a little slack for timers),
        // except the last one, which comes with the end of the load.
        QVERIFY2(announced.size() >= 3, qPrintable(QString::number(announced.size())));
        qInfo("%lld announcements over %lld ms", qlonglong(announced.size()), qlonglong(announced.last().second));
        QVERIFY(announced.size() <= 2 + announced.last().second / (TimelineSession::kGrowIntervalMs - 10));
        for (qsizetype i = 1; i + 1 < announced.size(); ++i)
            QVERIFY2(announced.at(i).second - announced.at(i - 1).second >= TimelineSession::kGrowIntervalMs - 10,
                     qPrintable(QStringLiteral("grown() %1 came %2 ms after the one before")
                                    .arg(i).arg(announced.at(i).second - announced.at(i - 1).second)));
    }

    void aFailedLoadEndsWithItsErrorAndIsNotFollowed()
    {
        const auto src = source("failing-1", 5);
        ClientError failure;
        failure.kind = ClientError::Kind::AccessDenied;
        failure.message = QStringLiteral("no");
        src->setReadError(failure);
        TimelineSession session;
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(src);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(0).value<ClientError>().kind, ClientError::Kind::AccessDenied);
        QCOMPARE(session.index().size(), quint64(5)); // what came before the error stays
        QVERIFY(!session.isFollowing());
        QCOMPARE(src->followers(), 0);
    }

    void cancelKeepsWhatWasLoadedAndSaysSo()
    {
        const auto src = source("order-1", 8 * TimelineSession::kBatchSize);
        src->setReadDelay(std::chrono::milliseconds(40));
        TimelineSession session;
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        QSignalSpy loading(&session, &TimelineSession::loadingChanged);
        session.load(src);
        QTRY_VERIFY_WITH_TIMEOUT(session.index().size() > 0, 10000); // some batches are in
        session.cancel();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(0).value<ClientError>().kind, ClientError::Kind::Cancelled);
        QVERIFY(!session.isLoading());
        QCOMPARE(loading.count(), 2);
        const quint64 kept = session.index().size();
        QVERIFY(kept > 0 && kept < src->size());
        QCOMPARE(session.cursor()->count(), kept); // announced at once
        QTest::qWait(200); // whatever the worker still posts is dropped
        QCOMPARE(finished.count(), 1);
        QCOMPARE(session.index().size(), kept);
        QVERIFY(!session.isFollowing()); // a cancelled load is not followed
    }

    void followsLiveInBatches()
    {
        const auto src = source("live-1", 3);
        TimelineSession session;
        QVERIFY(session.followsLive()); // on by default
        QVERIFY(loadAndFollow(session, src));
        QVERIFY(session.canFollowLive());
        QCOMPARE(session.index().size(), quint64(3));
        QCOMPARE(src->followers(), 1);

        // 60 appends of 2 events over ~600 ms from another thread, while this thread runs its loop.
        QSignalSpy grown(&session, &TimelineSession::grown);
        QList<qint64> grownAt;
        QElapsedTimer clock;
        clock.start();
        connect(&session, &TimelineSession::grown, this, [&]() { grownAt.append(clock.elapsed()); });
        std::thread writer([&]() {
            for (int i = 0; i < 60; ++i) {
                src->append(events("live-1", 3 + quint64(i) * 2, 2));
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        });
        QTRY_COMPARE_WITH_TIMEOUT(session.index().size(), quint64(123), 15000);
        writer.join();

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
            QVERIFY2(grownAt.at(i) - grownAt.at(i - 1) >= engine::LiveFeed::kIntervalMs - 10,
                     qPrintable(QStringLiteral("batches %1 ms apart").arg(grownAt.at(i) - grownAt.at(i - 1))));
        for (quint64 o = 0; o < 123; ++o)
            QCOMPARE(session.index().revision(o), o);
        QCOMPARE(session.cursor()->position(), qint64(122)); // at the end, the cursor follows it
        // The payload cache serves the live events too.
        const engine::FetchResult fetched = session.payloads()->events(120, 3);
        QVERIFY2(fetched.ok(), qPrintable(fetched.error));
        QCOMPARE(fetched.events.last().data, QByteArray("{\"i\":122}"));
    }

    void followingOffStopsGrowthAndOnCatchesUp()
    {
        const auto src = source("live-2", 4);
        TimelineSession session;
        QVERIFY(loadAndFollow(session, src));
        QSignalSpy following(&session, &TimelineSession::followingChanged);
        QSignalSpy toggled(&session, &TimelineSession::followLiveChanged);
        session.setFollowLive(false);
        QVERIFY(!session.isFollowing());
        QCOMPARE(following.count(), 1);
        QCOMPARE(toggled.count(), 1);
        QCOMPARE(src->followers(), 0); // the feed is gone, not just muted

        src->append(events("live-2", 4, 6));
        QTest::qWait(3 * engine::LiveFeed::kIntervalMs); // nothing to await: growth must stay absent
        QCOMPARE(session.index().size(), quint64(4));

        session.setFollowLive(true); // from the last loaded event: what came meanwhile arrives
        QVERIFY(session.isFollowing());
        QTRY_COMPARE_WITH_TIMEOUT(session.index().size(), quint64(10), 10000);
        for (quint64 o = 0; o < 10; ++o)
            QCOMPARE(session.index().revision(o), o); // once each, in order
        QTest::qWait(2 * engine::LiveFeed::kIntervalMs);
        QCOMPARE(session.index().size(), quint64(10));
    }

    void anEndedFeedEndsTheTailOnceWithItsError()
    {
        const auto src = source("doomed-1", 2);
        TimelineSession session;
        QVERIFY(loadAndFollow(session, src));
        QSignalSpy ended(&session, &TimelineSession::liveEnded);
        QSignalSpy toggled(&session, &TimelineSession::followLiveChanged);
        QSignalSpy following(&session, &TimelineSession::followingChanged);
        ClientError deleted;
        deleted.kind = ClientError::Kind::StreamDeleted;
        src->append(events("doomed-1", 2, 1));
        src->endLive(deleted);
        QVERIFY(ended.wait(10000));
        const auto error = ended.first().at(0).value<ClientError>();
        QCOMPARE(error.kind, ClientError::Kind::StreamDeleted);
        QCOMPARE(error.streamName, QByteArray("doomed-1")); // named after the timeline
        QVERIFY(!session.isFollowing());
        QVERIFY(!session.followsLive()); // the toggle says it stopped
        QCOMPARE(toggled.count(), 1);
        QCOMPARE(following.count(), 1);
        QCOMPARE(session.index().size(), quint64(3)); // what came before the end, and what was loaded, stay
        QVERIFY(!ended.wait(500)); // once
        QTRY_COMPARE(src->followers(), 0); // the feed is deleted
    }

    void aFeedThatJustEndsIsReportedToo()
    {
        const auto src = source("quiet-1", 1);
        TimelineSession session;
        QVERIFY(loadAndFollow(session, src));
        QSignalSpy ended(&session, &TimelineSession::liveEnded);
        src->endLive(ClientError());
        QVERIFY(ended.wait(10000));
        const auto error = ended.first().at(0).value<ClientError>();
        QVERIFY(error.isError()); // a live timeline has no end: its end is news
        QCOMPARE(error.streamName, QByteArray("quiet-1"));
    }

    void cancelClearAndAnotherLoadEndTheTail()
    {
        const auto first = source("live-3", 2);
        const auto second = source("order-1", 5);
        TimelineSession session;
        QSignalSpy ended(&session, &TimelineSession::liveEnded);
        QVERIFY(loadAndFollow(session, first));
        QVERIFY(loadAndFollow(session, second)); // another load: the new timeline is followed
        QCOMPARE(session.stream(), QByteArray("order-1"));
        QCOMPARE(first->followers(), 0);
        first->append(events("live-3", 2, 1));
        second->append(events("order-1", 5, 1, "OrderNoted"));
        QTRY_COMPARE_WITH_TIMEOUT(session.index().size(), quint64(6), 10000);
        QCOMPARE(session.index().typeName(5), QByteArray("OrderNoted"));
        QTest::qWait(2 * engine::LiveFeed::kIntervalMs);
        QCOMPARE(session.index().size(), quint64(6)); // nothing from the previous timeline's tail

        session.cancel();
        QVERIFY(!session.isFollowing());
        QVERIFY(!session.followsLive());
        QCOMPARE(second->followers(), 0);
        session.setFollowLive(true);
        QVERIFY(session.isFollowing());
        session.clear();
        QVERIFY(!session.isFollowing());
        QCOMPARE(session.index().size(), quint64(0));
        QVERIFY(!session.source());
        QVERIFY(session.followsLive()); // clearing is not the user stopping it
        QCOMPARE(second->followers(), 0);
        QCOMPARE(ended.count(), 0);      // none of these is an error
    }

    void aSourceWithoutALiveTailLoadsAndIsNotFollowed()
    {
        InMemoryTimelineSource::Options options;
        options.live = false;
        options.all = true;
        const auto src = std::make_shared<InMemoryTimelineSource>("archive", events("a-1", 0, 3), options);
        TimelineSession session;
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        QSignalSpy following(&session, &TimelineSession::followingChanged);
        session.load(src);
        QVERIFY(finished.wait(10000));
        QVERIFY(!finished.first().at(0).value<ClientError>().isError());
        QCOMPARE(session.index().size(), quint64(3));
        QVERIFY(session.isAll());
        QVERIFY(session.spansStreams());
        QVERIFY(!session.canFollowLive());
        QVERIFY(session.followsLive()); // the wish stays; there is just nothing to follow
        QVERIFY(!session.isFollowing());
        session.setFollowLive(false);
        session.setFollowLive(true);
        QVERIFY(!session.isFollowing());
        QCOMPARE(following.count(), 0);
    }

    void aLinkTimelineSpansStreams()
    {
        InMemoryTimelineSource::Options options;
        options.resolvesLinks = true;
        QList<RecordedEvent> targets = events("order-1", 0, 2) + events("order-2", 0, 1);
        for (qsizetype i = 0; i < targets.size(); ++i)
            targets[i].revision = quint64(i); // the links' places
        const auto src = std::make_shared<InMemoryTimelineSource>("$ce-order", targets, options);
        TimelineSession session;
        QVERIFY(loadAndFollow(session, src));
        QVERIFY(session.resolvesLinks());
        QVERIFY(session.spansStreams());
        QVERIFY(!session.isAll());
        QCOMPARE(session.index().streamName(2), QByteArray("order-2"));
        QCOMPARE(session.index().revision(2), quint64(2));
    }

    void loadingAnotherTimelineReplacesIt()
    {
        const auto first = source("order-1", 3 * TimelineSession::kBatchSize);
        first->setReadDelay(std::chrono::milliseconds(50));
        TimelineSession session;
        QSignalSpy reset(&session, &TimelineSession::reset);
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        QSignalSpy loading(&session, &TimelineSession::loadingChanged);
        session.load(first);
        session.load(source("order-2", 7));
        QVERIFY(finished.wait(10000));
        QTest::qWait(300);
        QCOMPARE(finished.count(), 1); // the first load's end is dropped
        QCOMPARE(loading.count(), 2);  // on, then off once
        QCOMPARE(reset.count(), 2);
        QCOMPARE(session.stream(), QByteArray("order-2"));
        QCOMPARE(session.index().size(), quint64(7)); // nothing of the first
        QCOMPARE(session.index().streamName(0), QByteArray("order-2"));
    }

    void withoutAClientTheTimelineIsEmpty()
    {
        TimelineSession session;
        QSignalSpy reset(&session, &TimelineSession::reset);
        QSignalSpy loading(&session, &TimelineSession::loadingChanged);
        session.load(nullptr, TimelineSession::allStream());
        QCOMPARE(reset.count(), 1);
        QCOMPARE(session.stream(), TimelineSession::allStream());
        QVERIFY(session.isAll());
        QVERIFY(!session.isLoading());
        QVERIFY(!session.payloads());
        QCOMPARE(loading.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestTimelineSession)
#include "tst_timelinesession.moc"
