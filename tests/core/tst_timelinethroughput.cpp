// The throughput chart's counting: stream categories as the server's $by_category files them,
// events per second per bin, the "other" bucket, empty input and the bins at the range's edges.
#include "timeline/StreamCategories.h"
#include "timeline/TimelineHistogram.h"
#include "timeline/TimelineIndex.h"
#include "timeline/TimelineThroughput.h"

#include <QTest>

using namespace chronoscope::engine;

namespace {

constexpr qint64 kSecond = 10000000;              // ticks
constexpr qint64 kBase = 1782864000LL * kSecond; // 2026-07-01T00:00:00Z, a whole day

qint64 at(double seconds) { return kBase + qint64(seconds * kSecond); }

/// Appends events (stream, seconds after kBase) in order.
void fill(TimelineIndex &index, const std::vector<std::pair<const char *, double>> &events)
{
    for (const auto &[stream, seconds] : events)
        index.append(stream, "Happened", index.size(), index.size() * 10, at(seconds), 2);
}

quint32 categoryIdOf(const TimelineIndex &index, const char *name)
{
    const qint64 id = index.categories().names().find(name);
    return id < 0 ? quint32(-1) : quint32(id);
}

/// The series of `group` (by category name), or null.
const ThroughputSeries *seriesOf(const TimelineThroughput &t, const TimelineIndex &index, const char *name)
{
    for (const ThroughputSeries &s : t.series) {
        if (s.kind == ThroughputSeries::Kind::Group && s.group == categoryIdOf(index, name))
            return &s;
    }
    return nullptr;
}

TimelineThroughput throughputOf(const TimelineIndex &index, qint64 from, qint64 to, int maxBins, bool monotone,
                                bool split = true, int maxGroups = 6)
{
    const auto h = TimelineHistogram::compute(index, index.size(), from, to, maxBins, monotone, {},
                                              TimelineHistogram::Grouping::ByCategory);
    return TimelineThroughput::fromHistogram(h, split, maxGroups);
}

} // namespace

class TestTimelineThroughput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void categoryOfStreamNames_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QByteArray>("category");
        QTest::addRow("entity stream") << QByteArray("order-17") << QByteArray("order");
        QTest::addRow("first dash wins") << QByteArray("order-17-a") << QByteArray("order");
        QTest::addRow("uuid id") << QByteArray("payment-3f2a-11ee") << QByteArray("payment");
        QTest::addRow("no dash") << QByteArray("orders") << QByteArray();
        QTest::addRow("dash first") << QByteArray("-17") << QByteArray();
        QTest::addRow("trailing dash") << QByteArray("order-") << QByteArray("order");
        QTest::addRow("system stream") << QByteArray("$ce-order") << QByteArray("$ce");
        QTest::addRow("empty") << QByteArray() << QByteArray();
    }
    void categoryOfStreamNames()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QByteArray, category);
        QCOMPARE(StreamCategories::categoryOf(stream).toByteArray(), category);
    }

    void indexFilesEachStreamOnce()
    {
        TimelineIndex index;
        fill(index, {{"order-1", 0}, {"payment-1", 1}, {"order-2", 2}, {"orders", 3}, {"order-1", 4}, {"-x", 5}});
        QCOMPARE(index.categories().streamCount(), index.streams().size());
        QCOMPARE(index.categories().names().size(), quint32(3)); // order, payment, none
        const quint32 order = categoryIdOf(index, "order"), none = categoryIdOf(index, "");
        QCOMPARE(index.categoryId(0), order);
        QCOMPARE(index.categoryId(1), categoryIdOf(index, "payment"));
        QCOMPARE(index.categoryId(2), order);
        QCOMPARE(index.categoryId(3), none);
        QCOMPARE(index.categoryId(4), order);
        QCOMPARE(index.categoryId(5), none);

        index.clear();
        QCOMPARE(index.categories().streamCount(), 0u);
        QCOMPARE(index.categories().names().size(), 0u);
    }

    void manyStreamsAcrossSegments()
    {
        // 10,000 streams fill several of the per-stream table's growing segments (1024, 2048, 4096 …).
        TimelineIndex index;
        const char *const categories[] = {"order", "payment", "customer"};
        for (int i = 0; i < 10000; ++i) {
            const QByteArray stream = QByteArray(categories[i % 3]) + '-' + QByteArray::number(i);
            index.append(stream, "Happened", 0, quint64(i), at(i), 2);
        }
        QCOMPARE(index.categories().streamCount(), 10000u);
        QCOMPARE(index.categories().names().size(), 3u);
        for (quint64 o = 0; o < index.size(); ++o) {
            if (index.categoryId(o) != categoryIdOf(index, categories[o % 3]))
                QFAIL(qPrintable(QStringLiteral("event %1 filed under the wrong category").arg(o)));
        }
        QVERIFY(index.categories().memoryBytes() < 2 * 10000 * sizeof(quint32) + 4096);
    }

    void ratesPerBin_data()
    {
        QTest::addColumn<bool>("monotone");
        QTest::addRow("binary search") << true;
        QTest::addRow("full scan") << false;
    }
    void ratesPerBin()
    {
        QFETCH(bool, monotone);
        TimelineIndex index;
        // [0 s, 6 s) in 3 bins of 2 s: order 3 | - | 1, payment 1 | - | 2.
        fill(index, {{"order-1", 0.1}, {"order-2", 0.5}, {"payment-1", 1.0}, {"order-1", 1.9}, {"order-3", 4.2},
                     {"payment-2", 4.5}, {"payment-1", 5.9}});
        const TimelineThroughput t = throughputOf(index, at(0), at(6), 3, monotone);
        QCOMPARE(t.binTicks, 2 * kSecond);
        QCOMPARE(t.bins, 3);
        QCOMPARE(t.binSeconds(), 2.0);
        QCOMPARE(t.series.size(), size_t(3)); // total, order, payment
        QCOMPARE(t.total().kind, ThroughputSeries::Kind::Total);
        QCOMPARE(t.rate(0, 0), 2.0); // 4 events / 2 s
        QCOMPARE(t.rate(0, 1), 0.0);
        QCOMPARE(t.rate(0, 2), 1.5);
        QCOMPARE(t.total().events, quint64(7));
        QCOMPARE(t.total().peak, 2.0);
        QCOMPARE(t.activeSeconds, 6.0);
        QCOMPARE(t.total().mean, 7.0 / 6.0);

        // Most events first: order (4), then payment (3).
        QCOMPARE(t.series[1].group, categoryIdOf(index, "order"));
        QCOMPARE(t.series[2].group, categoryIdOf(index, "payment"));
        QCOMPARE(t.rate(1, 0), 1.5);
        QCOMPARE(t.rate(1, 2), 0.5);
        QCOMPARE(t.rate(2, 0), 0.5);
        QCOMPARE(t.rate(2, 2), 1.0);
        QCOMPARE(t.series[1].peak, 1.5);
        QCOMPARE(t.series[2].peak, 1.0);
        QCOMPARE(t.series[1].mean, 4.0 / 6.0);
        QCOMPARE(t.series[2].mean, 0.5);
        QCOMPARE(t.rate(1, 3), 0.0); // outside the bins
        QCOMPARE(t.rate(7, 0), 0.0); // no such series
    }

    void edgeBinsCountOverTheDataTheyHold()
    {
        TimelineIndex index;
        // Events from 0.5 s to 4.5 s in bins of 2 s over [0 s, 6 s): 3 | 1 | 2.
        fill(index, {{"order-1", 0.5}, {"order-1", 1.0}, {"order-2", 1.5}, {"order-1", 3.0}, {"order-2", 4.2},
                     {"order-3", 4.5}});
        TimelineThroughput t = throughputOf(index, at(0), at(6), 3, true);
        QCOMPARE(t.rate(0, 2), 1.0); // by default the whole bin: 2 events / 2 s
        t.setDataSpan(at(0.5), at(4.5));
        // The first bin holds data for 1.5 s, the last for 0.5 s plus the last event's tick.
        QCOMPARE(t.coveredSeconds(0), 1.5);
        QCOMPARE(t.coveredSeconds(1), 2.0);
        QCOMPARE(t.coveredSeconds(2), 0.5 + 1e-7);
        QCOMPARE(t.rate(0, 0), 2.0); // 3 events / 1.5 s
        QCOMPARE(t.rate(0, 1), 0.5);
        QCOMPARE(t.rate(0, 2), 2.0 / (0.5 + 1e-7));
        QVERIFY(t.hasRate(0) && t.hasRate(1) && t.hasRate(2)); // a quarter of 2 s is 0.5 s
        QCOMPARE(t.total().peak, 2.0 / (0.5 + 1e-7));
        t.setDataSpan(at(0.5), at(4.2));
        QVERIFY(!t.hasRate(2)); // 0.2 s of a 2 s bin: no rate to speak of, and no peak from it
        QCOMPARE(t.total().peak, 2.0);
        QCOMPARE(t.coveredSeconds(3), 0.0);
    }

    void otherBucket()
    {
        TimelineIndex index;
        // One 10-second bin: a ×5, b ×4, c ×3, d ×2, e ×1.
        std::vector<std::pair<const char *, double>> events;
        const std::pair<const char *, int> counts[] = {{"e-1", 1}, {"d-1", 2}, {"c-1", 3}, {"b-1", 4}, {"a-1", 5}};
        for (const auto &[stream, n] : counts) {
            for (int i = 0; i < n; ++i)
                events.emplace_back(stream, double(events.size()) * 0.5);
        }
        fill(index, events);
        const TimelineThroughput t = throughputOf(index, at(0), at(10), 1, true, true, 2);
        QCOMPARE(t.bins, 1);
        QCOMPARE(t.binSeconds(), 10.0);
        QCOMPARE(t.series.size(), size_t(4)); // total, a, b, other
        QCOMPARE(t.series[1].group, categoryIdOf(index, "a"));
        QCOMPARE(t.series[2].group, categoryIdOf(index, "b"));
        QCOMPARE(t.series[3].kind, ThroughputSeries::Kind::Other);
        QCOMPARE(t.series[3].events, quint64(6)); // c + d + e
        QCOMPARE(t.rate(3, 0), 0.6);
        QCOMPARE(t.rate(0, 0), 1.5);
        QCOMPARE(t.rate(1, 0) + t.rate(2, 0) + t.rate(3, 0), t.rate(0, 0));

        // Room for all but one: "other" would stand for one group, so that group is shown by name.
        const TimelineThroughput four = throughputOf(index, at(0), at(10), 1, true, true, 4);
        QCOMPARE(four.series.size(), size_t(6));
        QCOMPARE(four.series.back().kind, ThroughputSeries::Kind::Group);
        QCOMPARE(four.series.back().group, categoryIdOf(index, "e"));
        const TimelineThroughput three = throughputOf(index, at(0), at(10), 1, true, true, 3);
        QCOMPARE(three.series.size(), size_t(5)); // total, a, b, c, other (d + e)
        QCOMPARE(three.series.back().events, quint64(3));
    }

    void equalCountsKeepFirstSeenOrder()
    {
        TimelineIndex index;
        fill(index, {{"late-1", 0.0}, {"early-1", 1.0}, {"late-2", 2.0}, {"early-2", 3.0}});
        const TimelineThroughput t = throughputOf(index, at(0), at(4), 1, true);
        QCOMPARE(t.series.size(), size_t(3));
        QCOMPARE(seriesOf(t, index, "late"), &t.series[1]);
        QCOMPARE(seriesOf(t, index, "early"), &t.series[2]);
    }

    void oneCategoryOrNoSplitIsTheTotalOnly()
    {
        TimelineIndex ce; // what `$ce-order` holds once its links are resolved
        fill(ce, {{"order-1", 0.5}, {"order-2", 1.5}, {"order-1", 2.5}});
        const TimelineThroughput one = throughputOf(ce, at(0), at(4), 4, true);
        QCOMPARE(one.series.size(), size_t(1));
        QCOMPARE(one.total().events, quint64(3));
        QCOMPARE(one.total().peak, 1.0);
        QCOMPARE(one.activeSeconds, 3.0);
        QCOMPARE(one.total().mean, 1.0);

        TimelineIndex all;
        fill(all, {{"order-1", 0.5}, {"payment-1", 1.5}});
        QCOMPARE(throughputOf(all, at(0), at(4), 4, true, false).series.size(), size_t(1));
        QCOMPARE(throughputOf(all, at(0), at(4), 4, true, true).series.size(), size_t(3));
    }

    void emptyInput()
    {
        TimelineIndex index;
        const TimelineThroughput t = throughputOf(index, at(0), at(60), 6, true);
        QCOMPARE(t.bins, 6);
        QCOMPARE(t.series.size(), size_t(1));
        QCOMPARE(t.total().events, quint64(0));
        QCOMPARE(t.total().peak, 0.0);
        QCOMPARE(t.total().mean, 0.0);
        QCOMPARE(t.activeSeconds, 0.0);
        for (int bin = 0; bin < t.bins; ++bin)
            QCOMPARE(t.rate(0, bin), 0.0);

        const TimelineThroughput none = TimelineThroughput::fromHistogram(TimelineHistogram{}, true, 6);
        QCOMPARE(none.bins, 0);
        QCOMPARE(none.series.size(), size_t(1));
        QVERIFY(none.total().counts.empty());
        QCOMPARE(none.rate(0, 0), 0.0);
    }

    void binsAtTheEdges_data() { ratesPerBin_data(); }
    void binsAtTheEdges()
    {
        QFETCH(bool, monotone);
        TimelineIndex index;
        // Asked for [1.5 s, 5.5 s) in 1-second bins: the bins are [1 s, 6 s), the edge bins whole.
        fill(index, {{"a-1", 0.999}, {"a-1", 1.0}, {"a-1", 1.2}, {"a-1", 3.0}, {"a-1", 3.0}, {"a-1", 5.9999999},
                     {"a-1", 6.0}});
        const TimelineThroughput t = throughputOf(index, at(1.5), at(5.5), 5, monotone);
        QCOMPARE(t.startTicks, at(1));
        QCOMPARE(t.binTicks, kSecond);
        QCOMPARE(t.bins, 5);
        QCOMPARE(t.endTicks(), at(6));
        // 0.999 s is before the first bin, 6.0 s is the end (exclusive); 1.0 s opens bin 0 and two
        // events at exactly 3.0 s open bin 2.
        const std::vector<double> expected = {2.0, 0.0, 2.0, 0.0, 1.0};
        for (int bin = 0; bin < t.bins; ++bin)
            QCOMPARE(t.rate(0, bin), expected[size_t(bin)]);
        QCOMPARE(t.total().events, quint64(5));
        QCOMPARE(t.binAt(at(3.0)), 2);
        QCOMPARE(t.binAt(at(6.0)), -1);

        // Events only in the middle: the mean is over the busy bins, not the empty ones around them.
        TimelineIndex middle;
        fill(middle, {{"a-1", 3.1}, {"a-1", 3.2}, {"a-1", 3.3}});
        const TimelineThroughput m = throughputOf(middle, at(0), at(10), 10, monotone);
        QCOMPARE(m.activeSeconds, 1.0);
        QCOMPARE(m.total().mean, 3.0);
        QCOMPARE(m.total().peak, 3.0);
    }
};

QTEST_GUILESS_MAIN(TestTimelineThroughput)
#include "tst_timelinethroughput.moc"
