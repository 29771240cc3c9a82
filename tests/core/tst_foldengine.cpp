#include "EngineTestSupport.h"
#include "fold/FoldEngine.h"
#include "fold/MergeReducer.h"
#include "fold/TimelineQueries.h"
#include "timeline/InMemoryEventSource.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QJsonArray>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::engine;

namespace {

/// A second reducer for "reducer changed": sums `quantity` and counts events.
class QuantityReducer : public Reducer
{
public:
    QString name() const override { return QStringLiteral("quantity"); }
    void reset() override { m_sum = m_events = 0; }
    void restore(const QJsonValue &s) override
    {
        m_sum = s[QLatin1String("quantity")].toInteger();
        m_events = s[QLatin1String("events")].toInteger();
    }
    FoldResult fold(const FoldEvent *events, qsizetype count) override
    {
        for (qsizetype i = 0; i < count; ++i) {
            ++m_events;
            m_sum += QJsonDocument::fromJson(events[i].event->data)[QLatin1String("quantity")].toInteger();
        }
        return FoldResult{quint64(count), {}};
    }
    QJsonValue state() const override
    {
        return QJsonObject{{QLatin1String("quantity"), m_sum}, {QLatin1String("events"), m_events}};
    }
    std::unique_ptr<Reducer> clone() const override { return std::make_unique<QuantityReducer>(); }

private:
    qint64 m_sum = 0, m_events = 0;
};

/// A merge reducer that raises a flag once it has folded `after` events (to cancel a build midway).
class FlaggingReducer : public MergeReducer
{
public:
    FlaggingReducer(std::atomic<bool> *flag, quint64 after) : m_flag(flag), m_after(after) {}
    FoldResult fold(const FoldEvent *events, qsizetype count) override
    {
        m_seen += quint64(count);
        if (m_seen >= m_after)
            m_flag->store(true);
        return MergeReducer::fold(events, count);
    }
    std::unique_ptr<Reducer> clone() const override { return std::make_unique<FlaggingReducer>(m_flag, m_after); }

private:
    std::atomic<bool> *m_flag;
    quint64 m_after;
    quint64 m_seen = 0;
};

struct Timeline
{
    explicit Timeline(const QList<RecordedEvent> &events, quint32 block = 64)
        : source(std::make_shared<InMemoryEventSource>(events)), cache(source, 64 << 20, block)
    {
        index.appendBatch(events);
    }
    void append(const QList<RecordedEvent> &more)
    {
        for (const RecordedEvent &e : more)
            source->append(e);
        index.appendBatch(more);
    }
    std::shared_ptr<InMemoryEventSource> source;
    PayloadCache cache;
    TimelineIndex index;
};

qint64 countOf(const QJsonValue &state, const char *type)
{
    return state[QLatin1String("counts")][QLatin1String(type)].toInteger();
}

} // namespace

class TestFoldEngine : public QObject
{
    Q_OBJECT

    QList<RecordedEvent> m_events;
    QList<QJsonValue> m_reference; ///< m_reference[n] = expected state after n events (every 1)

private Q_SLOTS:
    void initTestCase()
    {
        m_events = enginetest::demoEvents(2500);
        // Reference states by folding one event at a time with the RFC written over QJsonValue.
        const qsizetype size = m_events.size();
        m_reference = enginetest::referenceStates(m_events, size, [size](qsizetype n) {
            return n % 50 == 0 || n % 50 == 37 || n < 10 || n > size - 10;
        });
    }

    void checkpointsMatchFoldFromStart_data()
    {
        QTest::addColumn<quint64>("fixed");
        QTest::addRow("K=1") << quint64(1);
        QTest::addRow("K=7") << quint64(7);
        QTest::addRow("K=100") << quint64(100);
        QTest::addRow("K=5000 (one checkpoint)") << quint64(5000);
        QTest::addRow("adaptive") << quint64(0);
    }
    void checkpointsMatchFoldFromStart()
    {
        QFETCH(quint64, fixed);
        Timeline t(m_events);
        FoldEngine engine(t.index, t.cache, std::make_unique<MergeReducer>());
        FoldEngine::Options o;
        o.fixedInterval = fixed;
        o.minInterval = 4;
        engine.setOptions(o);
        const FoldRun run = engine.build();
        QVERIFY(run.completed());
        QCOMPARE(run.folded, quint64(m_events.size()));
        QCOMPARE(engine.builtTo(), quint64(m_events.size()));
        if (fixed) {
            QCOMPARE(quint64(engine.checkpoints().size()), 1 + quint64(m_events.size()) / fixed);
            for (size_t i = 0; i < engine.checkpoints().size(); ++i)
                QCOMPARE(engine.checkpoints()[i].count, i * fixed);
        }
        for (const Checkpoint &cp : engine.checkpoints())
            if (m_reference.at(qsizetype(cp.count)).isObject())
                QCOMPARE(cp.state, m_reference.at(qsizetype(cp.count)));
        // Backwards (restore from checkpoints) and forwards (stepping) over the checked counts.
        for (qsizetype n = m_reference.size() - 1; n >= 0; --n)
            if (m_reference.at(n).isObject())
                QCOMPARE(engine.stateAfter(quint64(n)).state, m_reference.at(n));
        for (qsizetype n = 0; n < m_reference.size(); ++n) {
            if (!m_reference.at(n).isObject())
                continue;
            const FoldEngine::StateResult r = engine.stateAfter(quint64(n));
            QVERIFY(r.ok());
            QCOMPARE(r.state, m_reference.at(n));
            if (fixed && fixed < 5000)
                QVERIFY(r.replayed < fixed);
        }
    }

    void appendExtendsOnlyTheTail()
    {
        Timeline t(m_events.mid(0, 1500));
        FoldEngine engine(t.index, t.cache, std::make_unique<MergeReducer>());
        FoldEngine::Options o;
        o.fixedInterval = 100;
        engine.setOptions(o);
        QVERIFY(engine.build().completed());
        const std::vector<Checkpoint> before = engine.checkpoints();
        t.append(m_events.mid(1500));
        const FoldRun run = engine.build();
        QVERIFY(run.completed());
        QCOMPARE(run.folded, quint64(m_events.size() - 1500)); // nothing before was folded again
        for (size_t i = 0; i < before.size(); ++i) {
            QCOMPARE(engine.checkpoints()[i].count, before[i].count);
            QCOMPARE(engine.checkpoints()[i].state, before[i].state);
        }
        QCOMPARE(engine.checkpoints().size(), 1 + size_t(m_events.size()) / 100);
        QCOMPARE(engine.stateAfter(quint64(m_events.size())).state, m_reference.last());
        QCOMPARE(engine.stateAfter(2000).state, m_reference.at(2000));
    }

    void reducerChangeInvalidates()
    {
        Timeline t(m_events);
        FoldEngine engine(t.index, t.cache, std::make_unique<MergeReducer>());
        QVERIFY(engine.build().completed());
        QVERIFY(engine.checkpoints().size() > 1 || engine.builtTo() > 0);
        engine.setReducer(std::make_unique<QuantityReducer>());
        QCOMPARE(engine.builtTo(), quint64(0));
        QVERIFY(engine.checkpoints().empty());
        QCOMPARE(engine.reducer().name(), QStringLiteral("quantity"));
        QVERIFY(engine.build().completed());
        qint64 sum = 0;
        for (qsizetype n = 0; n < m_events.size(); ++n) {
            sum += QJsonDocument::fromJson(m_events.at(n).data)[QLatin1String("quantity")].toInteger();
            if (n % 97 == 0)
                QCOMPARE(engine.stateAfter(quint64(n + 1)).state[QLatin1String("quantity")].toInteger(), sum);
        }
        QCOMPARE(engine.stateAfter(quint64(m_events.size())).state[QLatin1String("quantity")].toInteger(), sum);
    }

    void cancellationAndResume()
    {
        Timeline t(m_events);
        std::atomic<bool> cancel{false};
        FoldEngine engine(t.index, t.cache, std::make_unique<FlaggingReducer>(&cancel, 700));
        FoldEngine::Options o;
        o.fixedInterval = 50;
        engine.setOptions(o);
        QList<quint64> progress;
        const FoldRun run = engine.build(&cancel, [&](quint64 done, quint64 total) {
            progress.append(done);
            return total == quint64(m_events.size());
        });
        QVERIFY(run.cancelled);
        QVERIFY(engine.builtTo() >= 700);
        QVERIFY(engine.builtTo() < quint64(m_events.size()));
        QVERIFY(progress.isEmpty()); // no final report for a cancelled build
        // Cancelled before it starts: nothing folded.
        const quint64 at = engine.builtTo();
        QCOMPARE(engine.build(&cancel).folded, quint64(0));
        QCOMPARE(engine.builtTo(), at);
        // Resume: completes, the states are right, progress ends at the total.
        cancel = false;
        std::atomic<bool> never{false};
        const FoldRun rest = engine.build(&never, [&](quint64 done, quint64) {
            progress.append(done);
            return true;
        });
        QVERIFY(rest.completed());
        QCOMPARE(rest.folded, quint64(m_events.size()) - at);
        QCOMPARE(progress.last(), quint64(m_events.size()));
        QVERIFY(std::is_sorted(progress.begin(), progress.end()));
        QCOMPARE(engine.stateAfter(1200).state, m_reference.at(1200));
        QCOMPARE(engine.stateAfter(quint64(m_events.size())).state, m_reference.last());
    }

    void stateAtTimeAndRevision()
    {
        Timeline t(m_events);
        FoldEngine engine(t.index, t.cache, std::make_unique<MergeReducer>());
        QVERIFY(engine.build().completed());
        TimelineQueries q(engine);
        const qint64 first = m_events.first().createdTicks;
        TimelineQueries::PointState s = q.stateAtTime(first - 1);
        QVERIFY(s.ok());
        QCOMPARE(s.count, quint64(0));
        QVERIFY(!s.ordinal);
        QCOMPARE(s.state, m_reference.at(0));
        s = q.stateAtTime(m_events.last().createdTicks + 1000000);
        QCOMPARE(s.count, quint64(m_events.size()));
        QCOMPARE(s.state, m_reference.last());
        for (qsizetype n : {qsizetype(100), qsizetype(1000), qsizetype(2000)}) {
            const qint64 at = m_events.at(n - 1).createdTicks; // after event n-1 (and any ties)
            qsizetype expected = 0;
            while (expected < m_events.size() && m_events.at(expected).createdTicks <= at)
                ++expected;
            s = q.stateAtTime(at);
            QCOMPARE(s.count, quint64(expected));
            QCOMPARE(s.state, enginetest::referenceState(m_events, expected));
        }
        // $all: by stream and revision.
        const RecordedEvent &e = m_events.at(1234);
        s = q.stateAtRevision(e.revision, e.streamId);
        QVERIFY(s.ok());
        QCOMPARE(s.ordinal, std::optional<quint64>(1234));
        QCOMPARE(s.state, enginetest::referenceState(m_events, 1235));
        QVERIFY(!q.stateAtRevision(99999, e.streamId).ok());
        QVERIFY(!q.stateAfter(99999).ok());
        const FetchResult between = q.eventsBetween(10, 20);
        QCOMPARE(between.events.size(), 10);
        QCOMPARE(between.events.first().id, m_events.at(10).id);
        const auto range = q.ordinalsBetweenTimes(m_events.at(99).createdTicks, m_events.at(199).createdTicks);
        for (quint64 o = range.first; o < range.second; ++o)
            QVERIFY(m_events.at(qsizetype(o)).createdTicks > m_events.at(99).createdTicks);
        QVERIFY(range.second > range.first);
    }

    void bisectBinaryAndLinearAgree_data()
    {
        QTest::addColumn<int>("threshold");
        QTest::addRow("early") << 1;
        QTest::addRow("middle") << 60;
        QTest::addRow("late") << 180;
        QTest::addRow("never") << 100000;
    }
    void bisectBinaryAndLinearAgree()
    {
        QFETCH(int, threshold);
        Timeline t(m_events);
        FoldEngine engine(t.index, t.cache, std::make_unique<MergeReducer>());
        FoldEngine::Options o;
        o.fixedInterval = 64;
        engine.setOptions(o);
        TimelineQueries q(engine);
        const auto predicate = [&](const QJsonValue &s) { return countOf(s, "PaymentProcessed") >= threshold; };
        const TimelineQueries::BisectResult binary = q.bisect(predicate, true);
        const TimelineQueries::BisectResult linear = q.bisect(predicate, false);
        QCOMPARE(binary.method, TimelineQueries::BisectMethod::Binary);
        QCOMPARE(linear.method, TimelineQueries::BisectMethod::Linear);
        QCOMPARE(binary.ordinal, linear.ordinal);
        // The expected answer, counted here.
        std::optional<quint64> expected;
        int seen = 0;
        for (qsizetype i = 0; i < m_events.size() && !expected; ++i)
            if (m_events.at(i).type == "PaymentProcessed" && ++seen == threshold)
                expected = quint64(i);
        QCOMPARE(binary.ordinal, expected);
        if (expected) {
            // Binary: log2 of the checkpoints plus log2 of one interval evaluations, at most one
            // interval's folds (the build happened before).
            QVERIFY2(binary.evaluations <= 20, qPrintable(QString::number(binary.evaluations)));
            QVERIFY(binary.folds <= 64 + quint64(m_events.size())); // the build, then one interval
            QCOMPARE(linear.folds, *expected + 1);
        }
        const TimelineQueries::BisectResult again = q.bisect(predicate, true); // checkpoints built now
        QCOMPARE(again.ordinal, expected);
        if (expected)
            QVERIFY2(again.folds <= 64, qPrintable(QString::number(again.folds)));
    }

    void bisectNonMonotoneAndInitial()
    {
        Timeline t(m_events);
        FoldEngine engine(t.index, t.cache, std::make_unique<MergeReducer>());
        TimelineQueries q(engine);
        const auto isCamera = [](const QJsonValue &s) {
            return s[QLatin1String("state")][QLatin1String("sku")].toString() == QLatin1String("CAM-1080P");
        };
        const TimelineQueries::BisectResult r = q.bisect(isCamera, false);
        qsizetype expected = -1;
        for (qsizetype i = 0; i < m_events.size() && expected < 0; ++i)
            if (m_events.at(i).data.contains("\"sku\":\"CAM-1080P\""))
                expected = i;
        QVERIFY(expected > 0);
        QCOMPARE(r.ordinal, std::optional<quint64>(quint64(expected)));
        const TimelineQueries::BisectResult initially = q.bisect([](const QJsonValue &) { return true; }, true);
        QVERIFY(initially.holdsInitially);
        QVERIFY(!initially.ordinal);
    }

    void whatIfExcludeAndInsert()
    {
        Timeline t(m_events);
        FoldEngine engine(t.index, t.cache, std::make_unique<MergeReducer>());
        FoldEngine::Options o;
        o.fixedInterval = 100;
        engine.setOptions(o);
        QVERIFY(engine.build().completed());
        TimelineQueries q(engine);

        RecordedEvent hypothetical;
        hypothetical.type = "OrderPlaced";
        hypothetical.contentType = "application/json";
        hypothetical.data = R"({"orderId":"order-what-if","total":{"amount":1,"currency":"EUR"},"sku":null})";

        TimelineQueries::WhatIf w;
        w.exclude = {1050, 1201, 1999};
        w.insert = {TimelineQueries::Insertion{1500, hypothetical}};
        w.upTo = 2000;
        const TimelineQueries::WhatIfResult r = q.whatIf(w);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.actual, m_reference.at(2000));
        QList<RecordedEvent> edited;
        for (qsizetype i = 0; i < 2000; ++i) {
            if (i != 1050 && i != 1201 && i != 1999)
                edited.append(m_events.at(i));
            if (i == 1500)
                edited.append(hypothetical);
        }
        QCOMPARE(r.whatIf, enginetest::referenceState(edited, edited.size()));
        QVERIFY(r.whatIf != r.actual);
        QVERIFY(r.folds < 2000); // started from the checkpoint before ordinal 1050

        TimelineQueries::WhatIf first;
        first.insert = {TimelineQueries::Insertion{-1, hypothetical}};
        first.upTo = 3;
        const TimelineQueries::WhatIfResult f = q.whatIf(first);
        QVERIFY(f.ok());
        QCOMPARE(f.whatIf, enginetest::referenceState(QList<RecordedEvent>{hypothetical} + m_events.mid(0, 3), 4));
        TimelineQueries::WhatIf bad;
        bad.insert = {TimelineQueries::Insertion{10, hypothetical}};
        bad.upTo = 5;
        QVERIFY(!q.whatIf(bad).ok());
    }

    void whatIfReportsProgressAndCanBeCancelled()
    {
        // No checkpoints: both folds start at event 0, so the work is 2 × upTo events.
        Timeline t(m_events);
        FoldEngine engine(t.index, t.cache, std::make_unique<MergeReducer>());
        TimelineQueries q(engine);
        TimelineQueries::WhatIf w;
        w.exclude = {1000};
        w.upTo = quint64(m_events.size());

        QList<std::pair<quint64, quint64>> seen;
        const TimelineQueries::WhatIfResult r =
            q.whatIf(w, nullptr, [&](quint64 done, quint64 total) { seen.append({done, total}); });
        QVERIFY2(r.ok(), qPrintable(r.error));
        QVERIFY(seen.size() >= 3);
        QCOMPARE(seen.first().first, quint64(0));
        for (qsizetype i = 1; i < seen.size(); ++i) {
            QVERIFY(seen[i].first > seen[i - 1].first);
            QCOMPARE(seen[i].second, 2 * w.upTo);
        }
        QCOMPARE(seen.last().first, seen.last().second);
        QCOMPARE(r.actual, m_reference.at(m_events.size()));
        QList<RecordedEvent> edited = m_events;
        edited.removeAt(1000);
        QCOMPARE(r.whatIf, enginetest::referenceState(edited, edited.size()));

        // Cancelled after the first slice: no states, and the what-if fold never ran.
        std::atomic<bool> cancel{false};
        quint64 lastDone = 0, total = 0;
        const TimelineQueries::WhatIfResult c = q.whatIf(w, &cancel, [&](quint64 done, quint64 all) {
            lastDone = done;
            total = all;
            if (done > 0)
                cancel = true;
        });
        QVERIFY(c.cancelled);
        QVERIFY(!c.ok());
        QVERIFY(c.error.isEmpty());
        QVERIFY(c.whatIf.isNull() && c.actual.isNull()); // never set
        QVERIFY(lastDone > 0 && lastDone < total);
        QCOMPARE(c.folds, quint64(0));
    }
};

QTEST_GUILESS_MAIN(TestFoldEngine)
#include "tst_foldengine.moc"
