// Trial folds (Reducer::beginTrial / endTrial, what the Corrector's validation runs as the user
// types): for every shape of projection state, a trial fold must leave the reducer exactly where it
// was, and the head's state with the reported changes applied must equal a real fold's state.
#include "FoldFixture.h"
#include "correct/CorrectorDetail.h"
#include "script/JsReducer.h"

#include <QJsonDocument>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::engine;
using namespace chronoscope::test;

namespace {

std::unique_ptr<JsReducer> reducer(const QString &source, JsEngineKind engine = JsEngineKind::Default)
{
    JsReducerOptions o;
    o.source = source;
    o.engine = engine;
    ScriptError error;
    auto r = JsReducer::create(o, &error);
    if (!r)
        qFatal("projection: %s", qPrintable(error.toString()));
    return r;
}

QByteArray compact(const QJsonValue &v)
{
    return QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
}

} // namespace

class TestTrialFold : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void trialEqualsARealFold_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QStringList>("history");
        QTest::addColumn<QString>("next");
        const QString orders = QStringLiteral(
            "fromAll().when({$init: function () { return {orders: {}, list: [], n: 0}; },"
            " Add: function (s, e) { s.orders[e.data.id] = {qty: e.data.qty, tags: []}; s.list.push(e.data.id); s.n++; "
            "},"
            " Tag: function (s, e) { s.orders[e.data.id].tags.push(e.data.tag); s.list[5] = 'far'; },"
            " Drop: function (s, e) { delete s.orders[e.data.id]; s.list.splice(0, 1); },"
            " Swap: function (s, e) { var a = s.orders.a; s.orders.b = a; s.first = s.list[0]; },"
            " Reset: function (s, e) { return {orders: {}, list: ['reset'], n: -1}; },"
            " Boom: function (s, e) { s.n = 99; s.orders.zz = 1; throw new Error('boom'); }})");
        const QStringList history{QStringLiteral("s-1|Add|{\"id\":\"a\",\"qty\":1}"),
                                  QStringLiteral("s-1|Add|{\"id\":\"b\",\"qty\":2}"),
                                  QStringLiteral("s-1|Tag|{\"id\":\"a\",\"tag\":\"x\"}")};
        QTest::newRow("add") << orders << history << QStringLiteral("s-1|Add|{\"id\":\"c\",\"qty\":3}");
        QTest::newRow("array index past the end")
            << orders << history << QStringLiteral("s-1|Tag|{\"id\":\"b\",\"tag\":\"y\"}");
        QTest::newRow("delete and splice") << orders << history << QStringLiteral("s-1|Drop|{\"id\":\"a\"}");
        QTest::newRow("a value moved by reference") << orders << history << QStringLiteral("s-1|Swap|{}");
        QTest::newRow("handler returns a new state") << orders << history << QStringLiteral("s-1|Reset|{}");
        QTest::newRow("handler throws halfway") << orders << history << QStringLiteral("s-1|Boom|{}");
        const QString byStream = QStringLiteral(
            "fromAll().foreachStream().when({$init: function () { return {n: 0, seen: []}; },"
            " $any: function (s, e) { s.n++; s.seen.push(e.eventType); emit('out', 'Seen', {n: s.n}); }})");
        QTest::newRow("partition exists") << byStream << history << QStringLiteral("s-1|Add|{}");
        QTest::newRow("new partition") << byStream << history << QStringLiteral("s-2|Add|{}");
        const QString arrays = QStringLiteral(
            "fromAll().when({$init: function () { return {objs: [{v: 1}, {v: 2}, {v: 3}], nums: [3, 1, 2]}; },"
            " Pop: function (s, e) { var o = s.objs.pop(); o.v = 42; s.last = o; },"
            " Shift: function (s, e) { var o = s.objs.shift(); o.v = 7; },"
            " Sort: function (s, e) { s.nums.sort(); s.nums.reverse(); s.objs.splice(1, 1, {v: 9}); },"
            " Nested: function (s, e) { s.objs[0].v = 100; s.objs.unshift({v: 0}); s.objs[1].v++; }})");
        QTest::newRow("pop and write the popped") << arrays << QStringList{} << QStringLiteral("s-1|Pop|{}");
        QTest::newRow("shift and write the shifted") << arrays << QStringList{} << QStringLiteral("s-1|Shift|{}");
        QTest::newRow("sort, reverse, splice") << arrays << QStringList{} << QStringLiteral("s-1|Sort|{}");
        QTest::newRow("write, unshift, write") << arrays << QStringList{} << QStringLiteral("s-1|Nested|{}");
        const QString shared = QStringLiteral(
            "fromAll().when({$init: function () { return {n: 0}; }, $initShared: function () { return {total: 0}; },"
            " Add: function (pair, e) { pair[0].n++; pair[1].total += e.data.qty; },"
            " Tag: function (pair, e) { return [{n: 100}, {total: -1}]; }})");
        QTest::newRow("shared, mutated") << shared << history << QStringLiteral("s-1|Add|{\"id\":\"c\",\"qty\":3}");
        QTest::newRow("shared, replaced")
            << shared << history << QStringLiteral("s-1|Tag|{\"id\":\"c\",\"tag\":\"z\"}");
    }

    void trialEqualsARealFold()
    {
        QFETCH(QString, source);
        QFETCH(QStringList, history);
        QFETCH(QString, next);
        // Both engines run the same runtime: the trial must hold in each.
        for (const JsEngineKind engine : {JsEngineKind::SpiderMonkey, JsEngineKind::QJSEngine}) {
            if (!ProjectionEngine::isAvailable(engine))
                continue;
            trialIn(engine, source, history, next);
            if (QTest::currentTestFailed())
                qWarning("engine: %s", qPrintable(ProjectionEngine::kindName(engine)));
        }
    }

private:
    void trialIn(JsEngineKind engine, const QString &source, const QStringList &history, const QString &next)
    {
        FoldFixture past;
        for (const QString &line : history)
            past.addLine(line);
        FoldFixture event;
        event.addLine(next);

        // The truth: a real fold of the event after the history.
        auto real = reducer(source, engine);
        past.foldInto(*real);
        const FoldResult realResult = event.foldInto(*real);
        const QJsonValue expected = real->state();

        auto r = reducer(source, engine);
        past.foldInto(*r);
        const QJsonValue head = r->state();
        const QJsonArray emittedBefore = r->emitted();
        QVERIFY(r->beginTrial());
        const FoldResult trialResult = event.foldInto(*r);
        QList<StateChange> changes;
        QVERIFY(r->endTrial(&changes));
        QCOMPARE(trialResult.errors.size(), realResult.errors.size());
        // Undone: the state and what was emitted are as before the trial.
        QCOMPARE(compact(r->state()), compact(head));
        QCOMPARE(r->emitted(), emittedBefore);
        // The changes applied to the head give the real fold's state.
        QJsonValue after = head;
        for (const StateChange &c : changes)
            after = correctdetail::withChange(after, c.path, c.after);
        QCOMPARE(compact(after), compact(expected));
        QCOMPARE(compact(correctdetail::withChanges(head, changes)), compact(expected)); // all at once
        // And the reducer folds on from the head as if nothing happened.
        event.foldInto(*r);
        QCOMPARE(compact(r->state()), compact(expected));
    }

private Q_SLOTS:
    void onlyTheTouchedPlacesAreReported()
    {
        auto r = reducer(QStringLiteral("fromAll().when({$init: function () { return {orders: {}, totals: {n: 0}}; },"
                                        " Add: function (s, e) { s.orders[e.data.id] = {qty: 1}; },"
                                        " More: function (s, e) { s.orders[e.data.id].qty++; s.totals.n++; }})"));
        FoldFixture past;
        for (int i = 0; i < 1000; ++i)
            past.addLine(QStringLiteral("s|Add|{\"id\":\"o%1\"}").arg(i));
        past.foldInto(*r);
        FoldFixture event;
        event.addLine(QStringLiteral("s|More|{\"id\":\"o7\"}"));
        QVERIFY(r->beginTrial());
        event.foldInto(*r);
        QList<StateChange> changes;
        QVERIFY(r->endTrial(&changes));
        QStringList paths;
        for (const StateChange &c : changes)
            paths << QString::fromUtf8(QJsonDocument(c.path).toJson(QJsonDocument::Compact));
        paths.sort();
        QCOMPARE(paths,
                 (QStringList{QStringLiteral("[\"orders\",\"o7\",\"qty\"]"), QStringLiteral("[\"totals\",\"n\"]")}));
    }
};

QTEST_GUILESS_MAIN(TestTrialFold)
#include "tst_trialfold.moc"
