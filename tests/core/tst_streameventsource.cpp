#include "EngineTestSupport.h"
#include "client/StreamsClient.h"
#include "fold/FoldEngine.h"
#include "fold/MergeReducer.h"
#include "session/AllEventSource.h"
#include "session/StreamEventSource.h"
#include "session/TimelineIndexLoader.h"
#include "support/DemoSandbox.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QTest>

using namespace chronoscope;
using namespace chronoscope::engine;

class TestStreamEventSource : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_sandbox.start(3000), qPrintable(m_sandbox.error())); }

    void allSliceFetchesByPositionAndFolds()
    {
        StreamsClient client(m_sandbox.settings());
        // A category slice of $all: the payment streams only, filtered on the server.
        const ReadFilter filter = ReadFilter::streamPrefix({QStringLiteral("payment-")});
        TimelineIndex index;
        QList<RecordedEvent> events;
        const ReadSummary loaded = TimelineIndexLoader::read(
            client, ReadRequest::forAll().filtered(filter),
            [&](const QList<RecordedEvent> &batch) {
                index.appendBatch(batch);
                events += batch;
                return true;
            },
            nullptr, 100);
        QVERIFY2(!loaded.error.isError(), qPrintable(loaded.error.toString()));
        QVERIFY(index.size() > 200);
        QVERIFY(index.streams().size() > 10); // many streams interleaved

        AllEventSource source(client, index, filter);
        for (const quint64 first : {quint64(0), quint64(37), index.size() - 5}) {
            const FetchResult fetched = source.fetch(first, 40);
            QVERIFY2(fetched.ok(), qPrintable(fetched.error));
            QCOMPARE(quint64(fetched.events.size()), std::min<quint64>(40, index.size() - first));
            for (qsizetype i = 0; i < fetched.events.size(); ++i) {
                const RecordedEvent &expected = events.at(qsizetype(first) + i);
                QCOMPARE(fetched.events.at(i).id, expected.id);
                QCOMPARE(fetched.events.at(i).streamId, expected.streamId);
                QCOMPARE(fetched.events.at(i).data, expected.data);
            }
        }
        QVERIFY(source.fetch(index.size(), 3).events.isEmpty());

        PayloadCache cache(std::shared_ptr<EventSource>(&source, [](EventSource *) {}), 1 << 20, 64);
        FoldEngine engine(index, cache, std::make_unique<MergeReducer>());
        QVERIFY(engine.build().completed());
        QCOMPARE(engine.stateAfter(index.size()).state, enginetest::referenceState(events, events.size()));

        // An index holding a position the filtered read never gives back: a clear error.
        quint64 notInSlice = 0;
        for (const ResolvedEvent &e : client.readAll(ReadRequest::forAll().count(50)).events)
            if (!e.originalEvent().streamId.startsWith("payment-") && !e.originalEvent().streamId.startsWith('$'))
                notInSlice = e.originalEvent().position.commit;
        QVERIFY(notInSlice > 0);
        TimelineIndex bogus;
        bogus.append("payment-1", "PaymentRequested", 0, notInSlice, 0, 0);
        AllEventSource wrong(client, bogus, filter);
        const FetchResult missing = wrong.fetch(0, 1);
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error.contains(QLatin1String("no longer on the server")), qPrintable(missing.error));
    }

    void loadInBatchesThenFetchAndFold()
    {
        StreamsClient client(m_sandbox.settings());
        // The whole $all in batches of 500.
        TimelineIndex all;
        QList<quint64> sizes;
        const ReadSummary allRead = TimelineIndexLoader::load(
            client, ReadRequest::forAll().filtered(ReadFilter::excludeSystemEvents()), all,
            [&](quint64 n) {
                sizes.append(n);
                return true;
            },
            nullptr, 500);
        QVERIFY2(!allRead.error.isError(), qPrintable(allRead.error.toString()));
        QVERIFY(all.size() >= 3000);
        QCOMPARE(sizes.last(), all.size());
        QCOMPARE(qsizetype(sizes.size()), qsizetype((all.size() + 499) / 500));
        QVERIFY(all.timeMonotone());

        // One stream: index, fetch by ordinal, fold, compare with a straight read.
        const QByteArray stream = "order-1";
        const ReadResult direct = client.readAll(ReadRequest::forStream(stream));
        QVERIFY(!direct.error.isError());
        QList<RecordedEvent> events;
        for (const ResolvedEvent &e : direct.events)
            events.append(*e.event);
        QVERIFY(events.size() >= 3);
        TimelineIndex index;
        QVERIFY(!TimelineIndexLoader::load(client, ReadRequest::forStream(stream), index).error.isError());
        QCOMPARE(index.size(), quint64(events.size()));
        StreamEventSource source(client, stream, index);
        const FetchResult fetched = source.fetch(1, 2);
        QVERIFY2(fetched.ok(), qPrintable(fetched.error));
        QCOMPARE(fetched.events.size(), 2);
        QCOMPARE(fetched.events.at(0).revision, quint64(1));
        QCOMPARE(fetched.events.at(1).data, events.at(2).data);

        PayloadCache cache(std::shared_ptr<EventSource>(&source, [](EventSource *) {}), 1 << 20, 2);
        FoldEngine engine(index, cache, std::make_unique<MergeReducer>());
        QVERIFY(engine.build().completed());
        QCOMPARE(engine.stateAfter(index.size()).state, enginetest::referenceState(events, events.size()));

        // Gone from the server: a clear error, not a shorter timeline.
        QVERIFY(!client.deleteStream(stream, ExpectedState::any()).error.isError());
        const FetchResult gone = source.fetch(0, 2);
        QVERIFY(!gone.ok());
        QVERIFY2(gone.error.contains(QLatin1String("order-1")), qPrintable(gone.error));
    }
};

QTEST_GUILESS_MAIN(TestStreamEventSource)
#include "tst_streameventsource.moc"
