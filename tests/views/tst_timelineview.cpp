// The timeline: bin counts on known data, and the cursor driven by mouse and keys, against a
// real in-process sandbox on a loopback port (the view reads a real TimelineSession).
#include "DemoSandbox.h"
#include "QCustomPlotInclude.h"
#include "StreamsClient.h"
#include "TimelineSession.h"
#include "TimelineView.h"
#include "engine/TimelineHistogram.h"
#include "engine/TimelineIndex.h"

#include <QSignalSpy>
#include <QTest>

using namespace chronoscope;
using engine::TimelineHistogram;

namespace {

constexpr qint64 kSecond = 10000000;      // ticks
constexpr qint64 kBase = 1782864000LL * kSecond; // 2026-07-01T00:00:00Z, a whole day

/// The known timeline: (seconds after kBase, type).
const std::vector<std::pair<double, const char *>> &knownEvents()
{
    static const std::vector<std::pair<double, const char *>> events = {
        {0.5, "Opened"},  {1.2, "Deposited"}, {1.7, "Deposited"}, {3.1, "Withdrawn"}, {3.2, "Deposited"},
        {3.9, "Deposited"}, {7.5, "Withdrawn"}, {8.0, "Closed"}};
    return events;
}

qint64 ticksOf(double seconds) { return kBase + qint64(seconds * kSecond); }

void sendMouse(QWidget *w, QEvent::Type type, QPoint pos, Qt::MouseButtons buttons)
{
    QMouseEvent e(type, QPointF(pos), w->mapToGlobal(QPointF(pos)), Qt::LeftButton, buttons, Qt::NoModifier);
    QCoreApplication::sendEvent(w, &e);
}

} // namespace

class TestTimelineView : public QObject
{
    Q_OBJECT

    sandbox::SandboxServer m_server;
    std::shared_ptr<const StreamsClient> m_client;

    /// A session holding the known timeline (loaded over gRPC from the sandbox).
    bool loadKnown(TimelineSession &session)
    {
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(m_client, "known-1");
        return finished.wait(10000) && session.index().size() == knownEvents().size();
    }

private Q_SLOTS:
    void initTestCase()
    {
        std::vector<sandbox::ProposedEvent> batch;
        for (const auto &[seconds, type] : knownEvents()) {
            sandbox::ProposedEvent e;
            e.id = QUuid::createUuid();
            e.type = type;
            e.data = "{}";
            e.createdTicks = ticksOf(seconds);
            batch.push_back(e);
        }
        m_server.store().append("known-1", sandbox::EventStore::Expected::Any, 0, batch);
        QString error;
        QVERIFY2(m_server.start(QStringLiteral("127.0.0.1:0"), &error) != 0, qPrintable(error));
        m_client = std::make_shared<const StreamsClient>(
            ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(m_server.port())).settings);
    }

    void niceBinWidths_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<int>("maxBins");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("8 s in 10 bins") << 8 * kSecond << 10 << kSecond;
        QTest::newRow("8 s in 5 bins") << 8 * kSecond << 5 << 2 * kSecond;
        QTest::newRow("90 days in 100 bins") << 90 * 86400 * kSecond << 100 << 86400 * kSecond;
        QTest::newRow("1 h in 4 bins") << 3600 * kSecond << 4 << 15 * 60 * kSecond;
        QTest::newRow("1 ms span") << kSecond / 1000 << 400 << kSecond / 1000;
    }
    void niceBinWidths()
    {
        QFETCH(qint64, span);
        QFETCH(int, maxBins);
        QFETCH(qint64, expected);
        QCOMPARE(TimelineHistogram::niceBinTicks(span, maxBins), expected);
    }

    void binsCountKnownData_data()
    {
        QTest::addColumn<bool>("monotone");
        QTest::newRow("binary search") << true;
        QTest::newRow("full scan") << false;
    }
    void binsCountKnownData()
    {
        QFETCH(bool, monotone);
        engine::TimelineIndex index;
        quint64 rev = 0;
        for (const auto &[seconds, type] : knownEvents())
            index.append("known-1", type, rev, rev * 100, ticksOf(seconds), 2), ++rev;
        // [kBase + 1 s, kBase + 4 s) in 1-second bins: 1.2, 1.7 | (none) | 3.1, 3.2, 3.9.
        const auto h = TimelineHistogram::compute(index, index.size(), ticksOf(1), ticksOf(4), 3, monotone);
        QCOMPARE(h.binTicks, kSecond);
        QCOMPARE(h.startTicks, ticksOf(1));
        QCOMPARE(h.bins, 3);
        const quint32 deposited = quint32(index.types().find("Deposited"));
        const quint32 withdrawn = quint32(index.types().find("Withdrawn"));
        QCOMPARE(h.count(0, deposited), 2u);
        QCOMPARE(h.binTotal(1), 0u);
        QCOMPARE(h.count(2, deposited), 2u);
        QCOMPARE(h.count(2, withdrawn), 1u);
        QCOMPARE(h.events, quint64(5));
        QCOMPARE(h.binAt(ticksOf(3.5)), 2);
        QCOMPARE(h.binAt(ticksOf(4.0)), -1);
    }

    void viewCountsEveryLoadedEvent()
    {
        TimelineSession session;
        QVERIFY(loadKnown(session));
        views::TimelineView view;
        view.resize(800, 300);
        QSignalSpy updated(&view, &views::TimelineView::histogramUpdated);
        view.setSession(&session);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(!updated.isEmpty() && !view.isBinning());
        const TimelineHistogram &h = view.histogram();
        QCOMPARE(h.events, quint64(knownEvents().size()));
        // Every event is counted in the bin that holds its time, under its type.
        std::map<std::pair<int, quint32>, quint32> expected;
        for (quint64 o = 0; o < session.index().size(); ++o)
            ++expected[{h.binAt(session.index().createdTicks(o)), session.index().typeId(o)}];
        for (const auto &[key, n] : expected) {
            QVERIFY(key.first >= 0);
            QCOMPARE(h.count(key.first, key.second), n);
        }
        QVERIFY(view.visibleFrom() < ticksOf(0.5) && view.visibleTo() > ticksOf(8.0)); // fits all
        QVERIFY(view.binToolTip(ticksOf(3.2)).contains(QStringLiteral("Deposited: 2")));

        // Zooming in recounts with narrower bins.
        const qint64 before = h.binTicks;
        view.setVisibleRange(ticksOf(3), ticksOf(4));
        QTRY_VERIFY(view.histogram().binTicks < before && !view.isBinning());
        QCOMPARE(view.histogram().events, quint64(3));
    }

    void clickAndDragMoveTheCursor()
    {
        TimelineSession session;
        QVERIFY(loadKnown(session));
        views::TimelineView view;
        view.resize(900, 300);
        view.setSession(&session);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.plot()->replot();
        TimeCursor *cursor = session.cursor();
        QCOMPARE(cursor->position(), qint64(7)); // opens on the last event
        QWidget *plot = view.plot();
        const int y = view.plot()->axisRect()->center().y();

        // A click between 3.2 s and 3.9 s: the last event at or before is #4 (3.2 s).
        const int clickX = view.xForTicks(ticksOf(3.5));
        sendMouse(plot, QEvent::MouseButtonPress, {clickX, y}, Qt::LeftButton);
        sendMouse(plot, QEvent::MouseButtonRelease, {clickX, y}, Qt::NoButton);
        QCOMPARE(cursor->position(), qint64(4));

        // Grab the cursor line and drag it to 1.5 s: lands on #1 (1.2 s); the view does not pan.
        const qint64 from = view.visibleFrom();
        const int grabX = view.xForTicks(ticksOf(3.2));
        sendMouse(plot, QEvent::MouseButtonPress, {grabX, y}, Qt::LeftButton);
        sendMouse(plot, QEvent::MouseMove, {view.xForTicks(ticksOf(2.5)), y}, Qt::LeftButton);
        QCOMPARE(cursor->position(), qint64(2)); // scrubbing: 1.7 s while passing 2.5 s
        sendMouse(plot, QEvent::MouseMove, {view.xForTicks(ticksOf(1.5)), y}, Qt::LeftButton);
        sendMouse(plot, QEvent::MouseButtonRelease, {view.xForTicks(ticksOf(1.5)), y}, Qt::NoButton);
        QCOMPARE(cursor->position(), qint64(1));
        QCOMPARE(view.visibleFrom(), from);

        // Before the first event: -1.
        view.moveCursorToTime(ticksOf(0.1));
        QCOMPARE(cursor->position(), qint64(-1));
    }

    void keysStepAndSetMarkers()
    {
        TimelineSession session;
        QVERIFY(loadKnown(session));
        views::TimelineView view;
        view.resize(900, 300);
        view.setSession(&session);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        TimeCursor *cursor = session.cursor();
        QTest::keyClick(&view, Qt::Key_Home);
        QCOMPARE(cursor->position(), qint64(0));
        QTest::keyClick(&view, Qt::Key_Right);
        QTest::keyClick(&view, Qt::Key_Right);
        QCOMPARE(cursor->position(), qint64(2));
        QTest::keyClick(&view, Qt::Key_A);
        QTest::keyClick(&view, Qt::Key_End);
        QCOMPARE(cursor->position(), qint64(7));
        QTest::keyClick(&view, Qt::Key_Left);
        QTest::keyClick(&view, Qt::Key_B);
        QCOMPARE(cursor->markerA(), qint64(2));
        QCOMPARE(cursor->markerB(), qint64(6));
        QVERIFY2(view.cursorText().contains(QStringLiteral("A = 3")), qPrintable(view.cursorText()));
        QVERIFY(view.cursorText().contains(QStringLiteral("4 events")));
        // PageUp: a tenth of the visible time (about 0.8 s) back from 7.5 s, at least one event.
        QTest::keyClick(&view, Qt::Key_PageUp);
        QCOMPARE(cursor->position(), qint64(5));
        QTest::keyClick(&view, Qt::Key_PageDown);
        QCOMPARE(cursor->position(), qint64(6));
        QTest::keyClick(&view, Qt::Key_X);
        QVERIFY(!cursor->hasMarkers());
    }

    void cursorOutsideTheViewScrollsIt()
    {
        TimelineSession session;
        QVERIFY(loadKnown(session));
        views::TimelineView view;
        view.resize(900, 300);
        view.setSession(&session);
        view.show();
        view.setVisibleRange(ticksOf(0), ticksOf(2));
        session.cursor()->setPosition(6); // 7.5 s: off screen
        QVERIFY(view.visibleFrom() <= ticksOf(7.5) && view.visibleTo() >= ticksOf(7.5));
        QCOMPARE(view.visibleTo() - view.visibleFrom(), 2 * kSecond); // scrolled, not zoomed
        view.setUtc(false);
        QVERIFY(!view.cursorText().contains(QStringLiteral("UTC")));
    }
};

QTEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"
