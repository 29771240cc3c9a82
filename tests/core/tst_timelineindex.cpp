#include "EngineTestSupport.h"
#include "timeline/InMemoryEventSource.h"
#include "timeline/IndexBatch.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QTest>

#include <limits>

using namespace chronoscope;
using namespace chronoscope::engine;

namespace {

/// Counts fetches, and can fail them.
class CountingSource : public EventSource
{
public:
    explicit CountingSource(QList<RecordedEvent> events) : m_inner(std::move(events)) {}
    FetchResult fetch(quint64 first, quint64 count) override
    {
        ++fetches;
        if (failFrom >= 0 && first + count > quint64(failFrom)) {
            FetchResult r = m_inner.fetch(first, quint64(failFrom) > first ? quint64(failFrom) - first : 0);
            r.error = QStringLiteral("server unavailable");
            return r;
        }
        return m_inner.fetch(first, count);
    }
    int fetches = 0;
    qint64 failFrom = -1;

private:
    InMemoryEventSource m_inner;
};

RecordedEvent sized(quint64 i, int bytes)
{
    RecordedEvent e;
    e.streamId = "s";
    e.type = "T";
    e.revision = i;
    e.data = QByteArray(bytes, 'x');
    return e;
}

} // namespace

class TestTimelineIndex : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void revisionLookup_data()
    {
        QTest::addColumn<quint64>("revision");
        QTest::addColumn<qint64>("ordinal");
        // A truncated stream: revisions 10, 12, 14, … 28 (ordinals 0..9).
        QTest::addRow("first") << quint64(10) << qint64(0);
        QTest::addRow("middle") << quint64(18) << qint64(4);
        QTest::addRow("last") << quint64(28) << qint64(9);
        QTest::addRow("gap") << quint64(11) << qint64(-1);
        QTest::addRow("before first") << quint64(9) << qint64(-1);
        QTest::addRow("after last") << quint64(29) << qint64(-1);
    }
    void revisionLookup()
    {
        QFETCH(quint64, revision);
        QFETCH(qint64, ordinal);
        TimelineIndex index;
        for (quint64 i = 0; i < 10; ++i)
            index.append("stream", "T", 10 + 2 * i, 1000 + i, qint64(i), 10);
        QVERIFY(index.revisionsIncreasing());
        const auto found = index.findRevision(revision);
        QCOMPARE(found ? qint64(*found) : qint64(-1), ordinal);
    }

    void revisionLookupInAll()
    {
        TimelineIndex index;
        index.append("a", "T", 0, 10, 1, 1);
        index.append("b", "T", 0, 20, 2, 1);
        index.append("a", "T", 1, 30, 3, 1);
        index.append("b", "U", 1, 40, 4, 1);
        QVERIFY(!index.revisionsIncreasing());
        QCOMPARE(index.findRevision("b", 1), std::optional<quint64>(3));
        QCOMPARE(index.findRevision("a", 1), std::optional<quint64>(2));
        QCOMPARE(index.findRevision("c", 0), std::optional<quint64>());
        QCOMPARE(index.findRevision(1), std::optional<quint64>(2));
        QCOMPARE(index.lowerBoundCommitPosition(25), quint64(2));
        QCOMPARE(index.lowerBoundCommitPosition(41), quint64(4));
        QCOMPARE(index.lowerBoundCommitPosition(0), quint64(0));
    }

    void timeLookup_data()
    {
        QTest::addColumn<QList<qint64>>("ticks");
        QTest::addColumn<qint64>("at");
        QTest::addColumn<qint64>("last"); // -1: none
        const QList<qint64> ties{10, 20, 20, 20, 30};
        QTest::addRow("before first") << ties << qint64(5) << qint64(-1);
        QTest::addRow("exactly first") << ties << qint64(10) << qint64(0);
        QTest::addRow("tie includes all") << ties << qint64(20) << qint64(3);
        QTest::addRow("between") << ties << qint64(25) << qint64(3);
        QTest::addRow("exactly last") << ties << qint64(30) << qint64(4);
        QTest::addRow("after last") << ties << qint64(1000) << qint64(4);
        const QList<qint64> skewed{10, 30, 20, 40};
        QTest::addRow("non-monotone stops at the late event") << skewed << qint64(25) << qint64(0);
        QTest::addRow("non-monotone after the late event") << skewed << qint64(30) << qint64(2);
        QTest::addRow("non-monotone end") << skewed << qint64(40) << qint64(3);
        QTest::addRow("empty") << QList<qint64>{} << qint64(0) << qint64(-1);
    }
    void timeLookup()
    {
        QFETCH(QList<qint64>, ticks);
        QFETCH(qint64, at);
        QFETCH(qint64, last);
        TimelineIndex index;
        for (qsizetype i = 0; i < ticks.size(); ++i)
            index.append("s", "T", quint64(i), quint64(i), ticks.at(i), 0);
        const auto found = index.lastAtOrBefore(at);
        QCOMPARE(found ? qint64(*found) : qint64(-1), last);
        QCOMPARE(index.firstAfter(at), quint64(last + 1));
    }

    void timeLookupAcrossBlocksMatchesBruteForce()
    {
        // Ties and a few backwards jumps across many 256-entry blocks; check against the definition.
        TimelineIndex index;
        QList<qint64> ticks;
        quint64 x = 12345;
        qint64 t = 1000;
        for (int i = 0; i < 5000; ++i) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            t += qint64((x >> 33) % 4); // ties when 0
            const qint64 value = (x >> 20) % 97 == 0 ? t - 300 : t;
            ticks.append(value);
            index.append("s", "T", quint64(i), quint64(i), value, 0);
        }
        QVERIFY(!index.timeMonotone());
        for (qint64 at = 900; at < t + 10; at += 7) {
            quint64 expected = 0; // longest prefix with every tick <= at
            while (expected < quint64(ticks.size()) && ticks.at(qsizetype(expected)) <= at)
                ++expected;
            QCOMPARE(index.firstAfter(at), expected);
        }
    }

    void fieldsAcrossChunks()
    {
        TimelineIndex index;
        const quint64 n = TimelineIndex::kChunkSize + 100;
        for (quint64 i = 0; i < n; ++i)
            index.append(i % 2 ? "odd" : "even", i % 3 ? "A" : "B", i, i * 10, qint64(i * 100), quint32(i % 1000));
        QCOMPARE(index.size(), n);
        for (quint64 o : {quint64(0), TimelineIndex::kChunkSize - 1, TimelineIndex::kChunkSize, n - 1}) {
            const TimelineEntry e = index.entry(o);
            QCOMPARE(e.revision, o);
            QCOMPARE(e.commitPosition, o * 10);
            QCOMPARE(e.createdTicks, qint64(o * 100));
            QCOMPARE(e.payloadBytes, quint32(o % 1000));
            QCOMPARE(index.streamName(o), QByteArray(o % 2 ? "odd" : "even"));
            QCOMPARE(index.typeName(o), QByteArray(o % 3 ? "A" : "B"));
        }
        QCOMPARE(index.findRevision(TimelineIndex::kChunkSize + 7), std::optional<quint64>(TimelineIndex::kChunkSize + 7));
        // Two chunks of 36-byte entries, plus little else.
        QVERIFY2(index.memoryBytes() < 2 * TimelineIndex::kChunkSize * 37 + 65536,
                 qPrintable(QString::number(index.memoryBytes())));
    }

    void interning()
    {
        TimelineIndex index;
        const QList<RecordedEvent> events = enginetest::demoEvents(2000);
        index.appendBatch(events);
        QSet<QByteArray> types, streams;
        for (const RecordedEvent &e : events) {
            types.insert(e.type);
            streams.insert(e.streamId);
        }
        QCOMPARE(index.types().size(), quint32(types.size()));
        QCOMPARE(index.streams().size(), quint32(streams.size()));
        for (qsizetype i = 0; i < events.size(); ++i) {
            QCOMPARE(index.typeName(quint64(i)), events.at(i).type);
            QCOMPARE(index.streamName(quint64(i)), events.at(i).streamId);
            QCOMPARE(index.payloadBytes(quint64(i)), quint32(events.at(i).data.size() + events.at(i).metadata.size()));
        }
        QCOMPARE(index.types().find(events.at(0).type), qint64(index.typeId(0)));
        QCOMPARE(index.types().find("NoSuchType"), qint64(-1));
    }

    void compactBatchesIndexLikeTheRecords()
    {
        // Several streams and types, interleaved, in uneven batches; one batch starts with names
        // the index already knows, another with new ones.
        const QList<RecordedEvent> events = enginetest::demoEvents(3000);
        TimelineIndex fromRecords, fromBatches;
        fromRecords.appendBatch(events);
        int batches = 0;
        for (qsizetype at = 0; at < events.size(); at += 700, ++batches) {
            const IndexBatch batch(events.mid(at, 700));
            QSet<QByteArray> streams, types;
            for (const RecordedEvent &e : events.mid(at, 700)) {
                streams.insert(e.streamId);
                types.insert(e.type);
            }
            // Each distinct name is carried once, whatever the number of its events.
            QCOMPARE(batch.streams().size(), streams.size());
            QCOMPARE(batch.types().size(), types.size());
            QCOMPARE(batch.size(), size_t(std::min<qsizetype>(700, events.size() - at)));
            QCOMPARE(batch.lastRevision(), events.at(at + qsizetype(batch.size()) - 1).revision);
            fromBatches.appendBatch(batch);
        }
        QCOMPARE(batches, 5);
        QCOMPARE(fromBatches.size(), fromRecords.size());
        QCOMPARE(fromBatches.types().size(), fromRecords.types().size());
        QCOMPARE(fromBatches.streams().size(), fromRecords.streams().size());
        for (quint64 o = 0; o < fromRecords.size(); ++o) {
            QCOMPARE(fromBatches.entry(o).revision, fromRecords.entry(o).revision);
            QCOMPARE(fromBatches.commitPosition(o), fromRecords.commitPosition(o));
            QCOMPARE(fromBatches.createdTicks(o), fromRecords.createdTicks(o));
            QCOMPARE(fromBatches.payloadBytes(o), fromRecords.payloadBytes(o));
            QCOMPARE(fromBatches.typeName(o), fromRecords.typeName(o));
            QCOMPARE(fromBatches.streamName(o), fromRecords.streamName(o));
        }
        QCOMPARE(fromBatches.lastAtOrBefore(events.last().createdTicks), fromRecords.lastAtOrBefore(events.last().createdTicks));
        QVERIFY(IndexBatch(QList<RecordedEvent>{}).isEmpty());
    }

    void internerGrows()
    {
        StringInterner interner;
        for (int i = 0; i < 100000; ++i)
            QCOMPARE(interner.intern(QByteArray("name-" + QByteArray::number(i))), quint32(i));
        for (int i = 0; i < 100000; i += 997) {
            QCOMPARE(interner.intern(QByteArray("name-" + QByteArray::number(i))), quint32(i));
            QCOMPARE(interner.name(quint32(i)), "name-" + QByteArray::number(i));
        }
        QCOMPARE(interner.size(), quint32(100000));
        QCOMPARE(interner.intern(""), quint32(100000));
        QCOMPARE(interner.find(""), qint64(100000));
    }

    void cacheEvictsLeastRecentlyUsed()
    {
        QList<RecordedEvent> events;
        for (quint64 i = 0; i < 100; ++i)
            events.append(sized(i, 1000));
        auto source = std::make_shared<CountingSource>(events);
        const quint64 blockBytes = 10 * PayloadCache::eventBytes(events.first());
        PayloadCache cache(source, 5 * blockBytes, 10);
        for (quint64 b = 0; b < 5; ++b)
            QVERIFY(cache.blockFor(b * 10).events);
        QCOMPARE(source->fetches, 5);
        QVERIFY(cache.blockFor(3).events); // block 0 is now the most recent
        QCOMPARE(source->fetches, 5);
        QCOMPARE(cache.hits(), quint64(1));
        QVERIFY(cache.blockFor(55).events); // evicts block 1, the least recently used
        QCOMPARE(source->fetches, 6);
        QVERIFY(cache.cachedBytes() <= cache.capacityBytes());
        QVERIFY(cache.blockFor(1).events);
        QCOMPARE(source->fetches, 6); // block 0 survived
        QVERIFY(cache.blockFor(15).events);
        QCOMPARE(source->fetches, 7); // block 1 had gone
        const PayloadCache::BlockResult b = cache.blockFor(42);
        QCOMPARE(b.first, quint64(40));
        QCOMPARE(b.events->at(2).revision, quint64(42));
        cache.setCapacityBytes(blockBytes);
        QCOMPARE(cache.cachedBytes(), blockBytes);
    }

    void cacheRangesAndErrors()
    {
        QList<RecordedEvent> events;
        for (quint64 i = 0; i < 25; ++i)
            events.append(sized(i, 10));
        auto source = std::make_shared<CountingSource>(events);
        PayloadCache cache(source, 1 << 20, 10);
        FetchResult r = cache.events(7, 10);
        QVERIFY(r.ok());
        QCOMPARE(r.events.size(), 10);
        QCOMPARE(r.events.first().revision, quint64(7));
        QCOMPARE(r.events.last().revision, quint64(16));
        r = cache.events(20, 50); // past the end: shorter, not an error
        QVERIFY(r.ok());
        QCOMPARE(r.events.size(), 5);
        const PayloadCache::BlockResult none = cache.blockFor(30);
        QVERIFY(!none.events);
        QVERIFY(none.endOfTimeline);
        cache.clear();
        source->failFrom = 13;
        const PayloadCache::BlockResult failed = cache.blockFor(15);
        QVERIFY(!failed.events);
        QVERIFY(!failed.endOfTimeline);
        QCOMPARE(failed.error, QStringLiteral("server unavailable"));
        QVERIFY(cache.blockFor(12).events); // the part that came back is usable
        r = cache.events(0, 20);
        QCOMPARE(r.error, QStringLiteral("server unavailable"));
        QCOMPARE(r.events.size(), 13);
    }
};

QTEST_GUILESS_MAIN(TestTimelineIndex)
#include "tst_timelineindex.moc"
