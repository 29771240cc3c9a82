// The fold controller over sessions loaded from the demo history in memory (no server).
#include "EngineTestSupport.h"
#include "fold/FoldController.h"
#include "fold/MergeReducer.h"
#include "json/JsonFormat.h"
#include "script/ReducerFile.h"
#include "session/TimelineSession.h"
#include "timeline/InMemoryTimelineSource.h"
#include "timeline/TimelineIndex.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::engine;

namespace {

const QString kDemoReducer = QStringLiteral(CHRONOSCOPE_TEST_DATA "/../../resources/reducers/demo-orders.reducer.json");

/// The state after folding events [0, count) with a fresh reducer, without the engine: what the
/// controller's answers are checked against.
QJsonValue directFold(Reducer &reducer, const QList<RecordedEvent> &events, qsizetype count)
{
    reducer.reset();
    std::vector<FoldEvent> batch;
    for (qsizetype i = 0; i < count; ++i)
        batch.push_back(FoldEvent{&events[i], nullptr, quint64(i)});
    reducer.fold(batch.data(), qsizetype(batch.size()));
    return reducer.state();
}

std::unique_ptr<Reducer> demoReducer()
{
    ReducerFile::LoadError error;
    auto file = ReducerFile::load(kDemoReducer, &error);
    if (!file)
        qFatal("demo reducer: %s", qPrintable(error.toString()));
    return file->createReducer(&error, [] { return std::make_unique<MergeReducer>(); });
}

/// The merge reducer's count of PaymentProcessed events in a state.
int charges(const QJsonValue &state)
{
    return state.toObject().value(QStringLiteral("counts")).toObject().value(QStringLiteral("PaymentProcessed")).toInt();
}

bool waitFor(const std::function<bool()> &done, int ms = 15000)
{
    return QTest::qWaitFor(done, ms);
}

} // namespace

class TestFoldController : public QObject
{
    Q_OBJECT

    QList<RecordedEvent> m_all;       ///< the demo history, as `$all`
    QByteArray m_incidentStream;      ///< the payment stream of an order charged twice
    QByteArray m_orderStream;         ///< that order's stream
    QList<RecordedEvent> m_incident;  ///< the payment stream's events
    QList<RecordedEvent> m_order;     ///< the order stream's events
    qint64 m_secondCharge = -1;       ///< ordinal of the second PaymentProcessed in the payment stream

    QList<RecordedEvent> streamEvents(const QByteArray &stream) const
    {
        QList<RecordedEvent> out;
        for (const RecordedEvent &e : m_all)
            if (e.streamId == stream)
                out.append(e);
        return out;
    }
    void load(TimelineSession &session, std::shared_ptr<engine::TimelineSource> source)
    {
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(std::move(source));
        QVERIFY(finished.wait(15000));
        QVERIFY(!finished.first().at(0).value<ClientError>().isError());
    }
    void load(TimelineSession &session, const QByteArray &stream)
    {
        if (stream == TimelineSession::allStream()) {
            engine::InMemoryTimelineSource::Options all;
            all.all = true;
            load(session, std::make_shared<engine::InMemoryTimelineSource>(stream, m_all, all));
        } else {
            load(session, std::make_shared<engine::InMemoryTimelineSource>(stream, streamEvents(stream)));
        }
    }
    /// Waits until the controller answered the cursor's current position.
    static bool settle(FoldController &c)
    {
        return waitFor([&] { return !c.isBusy() && !c.isBuilding(); });
    }

private Q_SLOTS:
    void initTestCase()
    {
        DemoHistory::Options options;
        options.eventCount = 8000;
        m_all = enginetest::demoEvents(options.eventCount);

        // The fixture: the first payment stream with two PaymentProcessed events (the day-60 incident).
        QHash<QByteArray, int> charges;
        DemoHistory(options).generate([&](const DemoEvent &e) {
            if (e.type == "PaymentProcessed" && ++charges[e.stream] == 2) {
                m_incidentStream = e.stream;
                m_orderStream = QJsonDocument::fromJson(e.data).object().value(QStringLiteral("orderId")).toString().toUtf8();
                return false;
            }
            return true;
        });
        QVERIFY(!m_incidentStream.isEmpty());
        m_incident = streamEvents(m_incidentStream);
        m_order = streamEvents(m_orderStream);
        QVERIFY(m_order.size() >= 3);
        QVERIFY(streamEvents("order-1").size() >= 3);
        int seen = 0;
        for (qsizetype i = 0; i < m_incident.size(); ++i)
            if (m_incident[i].type == "PaymentProcessed" && ++seen == 2)
                m_secondCharge = i;
        QVERIFY(m_secondCharge > 0);
    }

    void stateAtCursorEqualsADirectFold_data()
    {
        QTest::addColumn<bool>("useFile");
        QTest::addRow("merge") << false;
        QTest::addRow("reducer file") << true;
    }
    void stateAtCursorEqualsADirectFold()
    {
        QFETCH(bool, useFile);
        TimelineSession session;
        FoldController controller(&session);
        if (useFile) {
            QSignalSpy changed(&controller, &FoldController::reducerChanged);
            controller.setReducer(ReducerChoice::reducerFile(kDemoReducer));
            QVERIFY(changed.wait(10000));
            QCOMPARE(changed.first().at(0).toString(), QStringLiteral("demo-orders"));
        }
        load(session, m_orderStream);
        QCOMPARE(session.index().size(), quint64(m_order.size()));
        std::unique_ptr<Reducer> direct = useFile ? demoReducer() : std::make_unique<MergeReducer>();
        for (qint64 p : {qint64(m_order.size() - 1), qint64(0), qint64(m_order.size() / 2), qint64(-1), qint64(1)}) {
            session.cursor()->setPosition(p);
            QVERIFY(settle(controller));
            const CursorState &s = controller.cursorState();
            QCOMPARE(s.ordinal, p);
            QVERIFY2(s.ok(), qPrintable(s.error));
            QVERIFY2(JsonFormat::valuesEqual(s.state, directFold(*direct, m_order, p + 1)),
                     qPrintable(QStringLiteral("at %1: %2").arg(p).arg(JsonFormat::compact(s.state, 300))));
            if (p >= 0) {
                QVERIFY(JsonFormat::valuesEqual(s.before, directFold(*direct, m_order, p)));
                QVERIFY(!s.diff.isEmpty()); // every event changes at least the counts / the order
            }
        }
    }

    void staleRequestsAreDropped()
    {
        TimelineSession session;
        FoldController controller(&session);
        controller.setReducer(ReducerChoice::reducerFile(kDemoReducer));
        load(session, "order-1");
        QVERIFY(settle(controller));
        const quint64 answersBefore = controller.cursorAnswers();
        const qint64 last = qint64(session.index().size()) - 1;
        int requests = 0;
        for (int round = 0; round < 20; ++round)
            for (qint64 p = 0; p <= last; ++p, ++requests)
                session.cursor()->setPosition(p);
        session.cursor()->setPosition(1);
        ++requests;
        QVERIFY(settle(controller));
        const quint64 answers = controller.cursorAnswers() - answersBefore;
        QVERIFY2(answers < quint64(requests) / 4, qPrintable(QStringLiteral("%1 answers for %2 requests").arg(answers).arg(requests)));
        QCOMPARE(controller.cursorState().ordinal, qint64(1));
        const QList<RecordedEvent> events = streamEvents("order-1");
        auto direct = demoReducer();
        QVERIFY(JsonFormat::valuesEqual(controller.cursorState().state, directFold(*direct, events, 2)));
    }

    void aLongStreamScrubsWhileItIsStillBuilding()
    {
        // 40 000 events in one stream: the cursor is answered from partial checkpoints while the
        // build goes on, and a drag over the whole range answers only a few of its positions.
        QList<RecordedEvent> events;
        for (int i = 0; i < 40000; ++i) {
            RecordedEvent e;
            e.streamId = "long-1";
            e.revision = quint64(i);
            e.position = {quint64(i) * 300 + 100, quint64(i) * 300 + 100};
            e.type = "Tick";
            e.contentType = "application/json";
            e.createdTicks = (1782864000000LL + i) * kTicksPerMillisecond;
            e.data = "{\"n\":" + QByteArray::number(i) + ",\"slot" + QByteArray::number(i % 50)
                + "\":" + QByteArray::number(i) + '}';
            e.metadata = "{}";
            events.append(e);
        }
        TimelineSession session;
        FoldController controller(&session);
        load(session, std::make_shared<engine::InMemoryTimelineSource>("long-1", events));
        QCOMPARE(session.index().size(), quint64(40000));
        QElapsedTimer timer;
        timer.start();
        session.cursor()->setPosition(100);
        QVERIFY(waitFor([&] { return !controller.isBusy(); }));
        const qint64 firstAnswerMs = timer.elapsed();
        QCOMPARE(controller.cursorState().state.toObject().value(QStringLiteral("state")).toObject()
                     .value(QStringLiteral("n")).toInt(), 100);
        const quint64 answers = controller.cursorAnswers();
        for (qint64 p = 0; p < 40000; p += 97)
            session.cursor()->setPosition(p);
        session.cursor()->setPosition(39999);
        QVERIFY(settle(controller));
        QCOMPARE(controller.cursorState().state.toObject().value(QStringLiteral("state")).toObject()
                     .value(QStringLiteral("n")).toInt(), 39999);
        QCOMPARE(controller.builtTo(), quint64(40000));
        qInfo("first answer after %lld ms, %llu answers for 414 positions ", firstAnswerMs,
              static_cast<unsigned long long>(controller.cursorAnswers() - answers));
        QVERIFY(controller.cursorAnswers() - answers < 200);
    }

    void reducerSwitchRefolds()
    {
        TimelineSession session;
        FoldController controller(&session);
        load(session, m_orderStream);
        const qint64 at = qint64(m_order.size()) - 2;
        session.cursor()->setPosition(at);
        QVERIFY(settle(controller));
        QVERIFY(controller.cursorState().state.toObject().contains(QStringLiteral("counts"))); // merge's shape
        const quint64 generation = controller.generation();

        QSignalSpy changed(&controller, &FoldController::reducerChanged);
        controller.setReducer(ReducerChoice::reducerFile(kDemoReducer));
        QVERIFY(changed.wait(10000));
        QVERIFY(settle(controller));
        QVERIFY(controller.generation() > generation);
        QCOMPARE(controller.cursorState().generation, controller.generation());
        auto file = demoReducer();
        QVERIFY(JsonFormat::valuesEqual(controller.cursorState().state, directFold(*file, m_order, at + 1)));
        QVERIFY(controller.cursorState().state.toObject().contains(QStringLiteral("orders")));
        QCOMPARE(controller.builtTo(), quint64(m_order.size()));

        controller.setReducer(ReducerChoice::mergeReducer());
        QVERIFY(changed.wait(10000));
        QVERIFY(settle(controller));
        MergeReducer merge;
        QVERIFY(JsonFormat::valuesEqual(controller.cursorState().state, directFold(merge, m_order, at + 1)));
    }

    void aBrokenReducerFileIsReportedAndTheOldReducerStays()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.reducer.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"name\":\"broken\",\"kind\":\"javascript\",\n\"projection\":[\"fromAll().when({\",\"  $init: function () { return {; }\",\"})\"]}");
        f.close();
        TimelineSession session;
        FoldController controller(&session);
        load(session, "order-1");
        QSignalSpy failed(&controller, &FoldController::reducerFailed);
        controller.setReducer(ReducerChoice::reducerFile(path));
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().at(1).toString(), QStringLiteral("projection"));
        QCOMPARE(failed.first().at(2).toInt(), 2);
        QVERIFY(!failed.first().at(3).toString().isEmpty());
        QVERIFY(settle(controller));
        QCOMPARE(controller.reducerName(), QStringLiteral("merge"));
        QVERIFY(controller.cursorState().state.toObject().contains(QStringLiteral("counts")));
    }

    void foldErrorsAreListedNotFatal()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("strict.reducer.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"json({"name":"strict","kind":"javascript",
                    "projection":"fromAll().when({$init:function(){return {n:0};},$any:function(s,e){s.n++;}})",
                    "invariants":[{"name":"no items","function":"(state, event) => event.eventType !== 'ItemAdded' || 'an item was added'"}]})json");
        f.close();
        TimelineSession session;
        FoldController controller(&session);
        controller.setReducer(ReducerChoice::reducerFile(path));
        load(session, m_orderStream);
        QVERIFY(settle(controller));
        QList<qint64> items; // the ItemAdded ordinals, read directly
        for (qsizetype i = 0; i < m_order.size(); ++i)
            if (m_order[i].type == "ItemAdded")
                items.append(i);
        QVERIFY(!items.isEmpty());
        QCOMPARE(controller.buildErrorCount(), quint64(items.size()));
        QCOMPARE(qint64(controller.buildErrors().first().index), items.first());
        QVERIFY(controller.buildError().isEmpty()); // not fatal: folded to the end
        QCOMPARE(controller.builtTo(), quint64(m_order.size()));
        session.cursor()->setPosition(items.first());
        QVERIFY(settle(controller));
        QCOMPARE(controller.cursorState().errors.size(), 1);
        QVERIFY(controller.cursorState().errors.first().message.contains(QStringLiteral("an item was added")));
        QCOMPARE(controller.cursorState().state.toObject().value(QStringLiteral("n")).toInt(), int(items.first() + 1));
        session.cursor()->setPosition(0); // OrderPlaced: no error
        QVERIFY(settle(controller));
        QVERIFY(controller.cursorState().errors.isEmpty());
    }

    void markersGiveTheStatesAtAAndBAndTheirDiff()
    {
        TimelineSession session;
        FoldController controller(&session);
        load(session, m_incidentStream);
        QSignalSpy ready(&controller, &FoldController::markerStatesReady);
        session.cursor()->setMarkerA(0);
        session.cursor()->setMarkerB(m_secondCharge);
        QVERIFY(waitFor([&] { return controller.markerStates().a == 0 && controller.markerStates().b == m_secondCharge
                                     && !controller.markerStates().stateB.isUndefined(); }));
        const MarkerStates &m = controller.markerStates();
        MergeReducer merge;
        QVERIFY(JsonFormat::valuesEqual(m.stateA, directFold(merge, m_incident, 1)));
        QVERIFY(JsonFormat::valuesEqual(m.stateB, directFold(merge, m_incident, m_secondCharge + 1)));
        // A is the payment request alone; B has seen PaymentProcessed twice.
        bool countChanged = false;
        for (const DiffEntry &e : m.diff.entries)
            countChanged |= e.path.toPointer() == QLatin1String("/counts/PaymentProcessed") && e.kind == DiffEntry::Kind::Added
                && e.after.toInt() == 2;
        QVERIFY(countChanged);
    }

    void bisectFindsTheSecondCharge_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("monotone");
        QTest::addRow("javascript, binary") << int(StatePredicate::Kind::JavaScript) << true;
        QTest::addRow("javascript, linear") << int(StatePredicate::Kind::JavaScript) << false;
        QTest::addRow("path, binary") << int(StatePredicate::Kind::PathComparison) << true;
    }
    void bisectFindsTheSecondCharge()
    {
        QFETCH(int, kind);
        QFETCH(bool, monotone);
        TimelineSession session;
        FoldController controller(&session);
        load(session, m_incidentStream);
        StatePredicate::Spec spec;
        spec.kind = StatePredicate::Kind(kind);
        spec.expression = QStringLiteral("state.counts.PaymentProcessed > 1");
        spec.pointer = QStringLiteral("/counts/PaymentProcessed");
        spec.op = StatePredicate::Op::Greater;
        spec.value = QStringLiteral("1");
        QSignalSpy done(&controller, &FoldController::bisectFinished);
        controller.bisect(spec, monotone);
        QVERIFY(done.wait(15000));
        const auto outcome = done.first().at(0).value<BisectOutcome>();
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QVERIFY(outcome.ordinal.has_value());
        QCOMPARE(qint64(*outcome.ordinal), m_secondCharge);
        QCOMPARE(outcome.binary, monotone);
        QVERIFY(outcome.evaluations > 0);
    }

    void aBadPredicateSaysWhy()
    {
        TimelineSession session;
        FoldController controller(&session);
        load(session, "order-1");
        QSignalSpy done(&controller, &FoldController::bisectFinished);
        StatePredicate::Spec spec;
        spec.expression = QStringLiteral("state.counts. > ");
        controller.bisect(spec, true);
        QVERIFY(done.wait(10000));
        QVERIFY(!done.first().at(0).value<BisectOutcome>().error.isEmpty());
    }

    void whatIfWithoutTheSecondChargeHasOneCharge()
    {
        TimelineSession session;
        FoldController controller(&session);
        load(session, m_incidentStream);
        QSignalSpy ready(&controller, &FoldController::whatIfReady);
        controller.whatIf({quint64(m_secondCharge)}, quint64(m_incident.size()));
        QVERIFY(ready.wait(15000));
        const auto o = ready.first().at(0).value<WhatIfOutcome>();
        QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
        QCOMPARE(charges(o.actual), 2);
        QCOMPARE(charges(o.whatIf), 1);
        QVERIFY(!o.diff.isEmpty());
    }

    void whatIfProgressEndsAtTheTotal()
    {
        TimelineSession session;
        FoldController controller(&session);
        load(session, TimelineSession::allStream());
        QVERIFY(settle(controller));
        QSignalSpy started(&controller, &FoldController::whatIfStarted);
        QSignalSpy progress(&controller, &FoldController::whatIfProgress);
        QSignalSpy ready(&controller, &FoldController::whatIfReady);
        const quint64 count = session.index().size();
        controller.whatIf({0, count / 2}, count);
        QCOMPARE(started.count(), 1);
        QVERIFY(controller.isWhatIfRunning());
        QVERIFY(ready.wait(15000));
        QVERIFY(!controller.isWhatIfRunning());
        QVERIFY(!progress.isEmpty());
        quint64 last = 0;
        for (const QList<QVariant> &p : std::as_const(progress)) {
            QVERIFY(p.at(0).toULongLong() >= last);
            last = p.at(0).toULongLong();
        }
        // The what-if starts at event 0 (the first one is left out), the actual state at the last checkpoint.
        const quint64 total = progress.last().at(1).toULongLong();
        QCOMPARE(last, total);
        QVERIFY(total >= count && total <= 2 * count);
        const auto o = ready.first().at(0).value<WhatIfOutcome>();
        QVERIFY2(o.error.isEmpty() && !o.cancelled, qPrintable(o.error));
        QVERIFY(!o.diff.isEmpty());
    }

    void cancelledWhatIfSaysSoAndProducesNoResult()
    {
        TimelineSession session;
        FoldController controller(&session);
        load(session, TimelineSession::allStream());
        QVERIFY(settle(controller));
        QSignalSpy ready(&controller, &FoldController::whatIfReady);
        QSignalSpy cancelled(&controller, &FoldController::whatIfCancelled);
        const quint64 count = session.index().size();
        // Cancelled mid-way, when the first progress arrives (done < total).
        quint64 doneAtCancel = 0, totalAtCancel = 0;
        const auto c = connect(&controller, &FoldController::whatIfProgress, &controller, [&](quint64 done, quint64 total) {
            if (controller.isWhatIfRunning() && done < total) {
                doneAtCancel = done;
                totalAtCancel = total;
                controller.cancelWhatIf();
            }
        });
        controller.whatIf({0}, count);
        QVERIFY(cancelled.wait(15000));
        disconnect(c);
        QCOMPARE(cancelled.first().at(0).toString(), QStringLiteral("cancelled"));
        QVERIFY(doneAtCancel < totalAtCancel);
        QVERIFY(!controller.isWhatIfRunning());
        QTest::qWait(300); // whatever the worker still posts is dropped
        QCOMPARE(ready.count(), 0);

        // Cancelled before the worker takes it; the next one is answered and diffs correctly.
        controller.whatIf({quint64(1)}, count);
        controller.cancelWhatIf();
        QCOMPARE(cancelled.count(), 2);
        quint64 charge = 0;
        while (charge < count && session.index().typeName(charge) != "PaymentProcessed")
            ++charge;
        QVERIFY(charge < count);
        controller.whatIf({charge}, count);
        QVERIFY(ready.wait(15000));
        QCOMPARE(ready.count(), 1);
        const auto o = ready.first().at(0).value<WhatIfOutcome>();
        QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
        QCOMPARE(o.excluded, QList<quint64>{charge});
        QCOMPARE(charges(o.whatIf), charges(o.actual) - 1);
        QCOMPARE(JsonDiff::diff(o.actual, o.whatIf).isEmpty(), false);
        QCOMPARE(cancelled.count(), 2);
    }
};

QTEST_GUILESS_MAIN(TestFoldController)
#include "tst_foldcontroller.moc"
