#include "../views/DemoSandbox.h"
#include "EngineTestSupport.h"
#include "StreamsClient.h"
#include "engine/FoldEngine.h"
#include "engine/MergeReducer.h"
#include "engine/PayloadCache.h"
#include "engine/StreamEventSource.h"
#include "engine/TimelineIndex.h"
#include "engine/TimelineIndexLoader.h"

#include <QTest>

using namespace chronoscope;
using namespace chronoscope::engine;

class TestStreamEventSource : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_sandbox.start(3000), qPrintable(m_sandbox.error())); }

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
