#include "../views/DemoSandbox.h"
#include "StreamsClient.h"
#include "TimeCursor.h"
#include "TimelineSession.h"
#include "engine/PayloadCache.h"
#include "engine/TimelineIndex.h"

#include <QSignalSpy>
#include <QTest>

using namespace chronoscope;

class TestTimelineSession : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;

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
