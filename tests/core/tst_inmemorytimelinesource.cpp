// The in-memory TimelineSource on its own: what it reads, fetches and feeds live.
#include "timeline/EventSource.h"
#include "timeline/InMemoryTimelineSource.h"
#include "timeline/LiveFeed.h"
#include "timeline/TimelineIndex.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <thread>

using namespace chronoscope;
using namespace chronoscope::engine;

namespace {

QList<RecordedEvent> events(quint64 from, int n)
{
    QList<RecordedEvent> out;
    for (int i = 0; i < n; ++i) {
        RecordedEvent e;
        e.streamId = "mem-1";
        e.revision = from + quint64(i);
        e.position = {e.revision * 10, e.revision * 10};
        e.type = "Ticked";
        e.data = QByteArray::number(e.revision);
        out.append(e);
    }
    return out;
}

/// The revisions of every batch read() handed over, and how it ended.
struct Read
{
    QList<QList<quint64>> batches;
    ClientError error;
};

Read readAll(InMemoryTimelineSource &source, int batchSize, int stopAfter = -1, const CancellationPtr &cancel = nullptr)
{
    Read r;
    r.error = source.read(
        [&](const QList<RecordedEvent> &batch) {
            QList<quint64> revisions;
            for (const RecordedEvent &e : batch)
                revisions.append(e.revision);
            r.batches.append(revisions);
            return r.batches.size() != stopAfter;
        },
        cancel, batchSize);
    return r;
}

QList<quint64> revisions(const QList<QVariant> &appended)
{
    QList<quint64> out;
    for (const RecordedEvent &e : appended.at(0).value<QList<RecordedEvent>>())
        out.append(e.revision);
    return out;
}

QList<quint64> range(quint64 from, quint64 to)
{
    QList<quint64> out;
    for (quint64 r = from; r < to; ++r)
        out.append(r);
    return out;
}

} // namespace

class TestInMemoryTimelineSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<QList<RecordedEvent>>(); }

    void describesWhatItHolds()
    {
        InMemoryTimelineSource plain("mem-1", events(0, 3));
        QCOMPARE(plain.name(), QByteArray("mem-1"));
        QVERIFY(!plain.isAll());
        QVERIFY(!plain.resolvesLinks());
        QVERIFY(plain.canFollowLive());
        QCOMPARE(plain.size(), quint64(3));

        InMemoryTimelineSource::Options options;
        options.all = true;
        options.resolvesLinks = true;
        options.live = false;
        InMemoryTimelineSource archive("$all", {}, options);
        QVERIFY(archive.isAll());
        QVERIFY(archive.resolvesLinks());
        QVERIFY(!archive.canFollowLive());
        QVERIFY(!archive.follow(TimelineEnd{}));
        QCOMPARE(archive.size(), quint64(0));
    }

    void readsEverythingInBatches()
    {
        InMemoryTimelineSource source("mem-1", events(0, 10));
        const Read r = readAll(source, 4);
        QVERIFY(!r.error.isError());
        QCOMPARE(r.batches, (QList<QList<quint64>>{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}}));
        // Again, and with what was appended since.
        source.append(events(10, 1));
        QCOMPARE(readAll(source, 100).batches, QList<QList<quint64>>{range(0, 11)});
        // Nothing to read is no error, and no batch.
        InMemoryTimelineSource empty("none");
        const Read none = readAll(empty, 4);
        QVERIFY(!none.error.isError());
        QVERIFY(none.batches.isEmpty());
    }

    void stopsWhenTheHandlerSaysSo()
    {
        InMemoryTimelineSource source("mem-1", events(0, 10));
        const Read r = readAll(source, 3, 2);
        QVERIFY(!r.error.isError());
        QCOMPARE(r.batches.size(), 2);
    }

    void endsWithTheErrorItWasGiven()
    {
        InMemoryTimelineSource source("mem-1", events(0, 5));
        ClientError failure;
        failure.kind = ClientError::Kind::Unavailable;
        source.setReadError(failure);
        const Read r = readAll(source, 2);
        QCOMPARE(r.error.kind, ClientError::Kind::Unavailable);
        QCOMPARE(r.batches.size(), 3); // after everything
    }

    void aCancelEndsASlowReadPromptly()
    {
        InMemoryTimelineSource source("mem-1", events(0, 100));
        source.setReadDelay(std::chrono::milliseconds(50));
        auto cancel = std::make_shared<Cancellation>();
        cancel->cancel();
        Read r = readAll(source, 10, -1, cancel);
        QCOMPARE(r.error.kind, ClientError::Kind::Cancelled);
        QVERIFY(r.batches.isEmpty());

        cancel = std::make_shared<Cancellation>();
        QElapsedTimer clock;
        clock.start();
        std::thread canceller([&]() {
            std::this_thread::sleep_for(std::chrono::milliseconds(120));
            cancel->cancel();
        });
        r = readAll(source, 10, -1, cancel);
        canceller.join();
        QCOMPARE(r.error.kind, ClientError::Kind::Cancelled);
        QVERIFY2(r.batches.size() >= 1 && r.batches.size() < 10, qPrintable(QString::number(r.batches.size())));
        QVERIFY2(clock.elapsed() < 400, qPrintable(QString::number(clock.elapsed()))); // not the whole 500 ms
    }

    void fetchesPayloadsByOrdinal()
    {
        InMemoryTimelineSource source("mem-1", events(0, 5));
        const std::shared_ptr<EventSource> payloads = source.eventSource(std::make_shared<TimelineIndex>());
        FetchResult f = payloads->fetch(1, 3);
        QVERIFY(f.ok());
        QCOMPARE(f.events.size(), 3);
        QCOMPARE(f.events.first().data, QByteArray("1"));
        QCOMPARE(f.events.last().data, QByteArray("3"));
        f = payloads->fetch(4, 10); // fewer at the end
        QVERIFY(f.ok());
        QCOMPARE(f.events.size(), 1);
        QVERIFY(payloads->fetch(5, 1).events.isEmpty());
        source.append(events(5, 2)); // appended events are served too
        f = payloads->fetch(5, 2);
        QCOMPARE(f.events.size(), 2);
        QCOMPARE(f.events.last().data, QByteArray("6"));
    }

    void aFeedCatchesUpThenFollowsAppends()
    {
        InMemoryTimelineSource source("mem-1", events(0, 5));
        std::unique_ptr<LiveFeed> feed = source.follow(TimelineEnd{3, 2, {20, 20}});
        QVERIFY(feed);
        QCOMPARE(source.followers(), 1);
        QSignalSpy appended(feed.get(), &LiveFeed::appended);
        QSignalSpy ended(feed.get(), &LiveFeed::ended);
        QVERIFY(appended.wait(5000));
        QCOMPARE(revisions(appended.takeFirst()), range(3, 5)); // what came after the end it was given

        source.append(events(5, 2));
        source.append(events(7, 1));
        QVERIFY(appended.wait(5000));
        QList<quint64> live = revisions(appended.takeFirst());
        if (live.size() < 3 && appended.wait(5000)) // paced: one batch per interval at most
            live += revisions(appended.takeFirst());
        QCOMPARE(live, range(5, 8));
        QCOMPARE(ended.count(), 0);

        ClientError gone;
        gone.kind = ClientError::Kind::StreamDeleted;
        source.endLive(gone);
        QVERIFY(ended.wait(5000));
        QCOMPARE(ended.first().at(0).value<ClientError>().kind, ClientError::Kind::StreamDeleted);
        source.append(events(8, 1)); // after the end: nothing more
        QVERIFY(!appended.wait(3 * LiveFeed::kIntervalMs));
        QCOMPARE(ended.count(), 1);

        feed.reset();
        QCOMPARE(source.followers(), 0);
        source.append(events(9, 1)); // no one to tell: fine
    }

    void aFeedFromTheStartGetsEverything()
    {
        InMemoryTimelineSource source("mem-1", events(0, 4));
        std::unique_ptr<LiveFeed> feed = source.follow(TimelineEnd{});
        QSignalSpy appended(feed.get(), &LiveFeed::appended);
        QVERIFY(appended.wait(5000));
        QCOMPARE(revisions(appended.first()), range(0, 4));
    }

    void aDestroyedFeedIsSafeAgainstAppendsFromAnotherThread()
    {
        InMemoryTimelineSource source("mem-1");
        std::atomic<bool> stop{false};
        std::thread writer([&]() {
            for (quint64 r = 0; !stop; ++r)
                source.append(events(r, 1));
        });
        for (int i = 0; i < 50; ++i) {
            std::unique_ptr<LiveFeed> feed = source.follow(TimelineEnd{source.size(), 0, {}});
            QCoreApplication::processEvents();
        }
        stop = true;
        writer.join();
        QCOMPARE(source.followers(), 0);
    }
};

QTEST_GUILESS_MAIN(TestInMemoryTimelineSource)
#include "tst_inmemorytimelinesource.moc"
