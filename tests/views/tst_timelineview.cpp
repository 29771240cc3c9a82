// The timeline: bin counts on known data, and the cursor driven by mouse and keys, against a
// real in-process sandbox on a loopback port (the view reads a real TimelineSession).
#include "client/StreamsClient.h"
#include "common/QCustomPlotInclude.h"
#include "session/TimelineSession.h"
#include "support/DemoSandbox.h"
#include "timeline/StreamCategories.h"
#include "timeline/TimelineHistogram.h"
#include "timeline/TimelineIndex.h"
#include "timeline/TimelineThroughput.h"
#include "timeline/TimelineThroughputItems.h"
#include "timeline/TimelineView.h"

#include <QAction>
#include <QComboBox>
#include <QSignalSpy>
#include <QTest>

#include <map>

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

/// Streams of three categories for `$all` and `$ce-order`, after the known timeline (so that `$all`
/// is in time order): (stream, seconds after kBase).
const std::vector<std::pair<const char *, double>> &categoryEvents()
{
    static const std::vector<std::pair<const char *, double>> events = {
        {"order-1", 10.2}, {"order-2", 10.4}, {"payment-1", 10.9}, {"order-1", 12.1}, {"payment-1", 12.2},
        {"order-3", 14.5}, {"order-2", 16.3}, {"customer-1", 16.4}, {"order-3", 17.9}};
    return events;
}

qint64 ticksOf(double seconds) { return kBase + qint64(seconds * kSecond); }

sandbox::ProposedEvent eventAt(double seconds, const char *type)
{
    sandbox::ProposedEvent e;
    e.id = QUuid::createUuid();
    e.type = type;
    e.data = "{}";
    e.createdTicks = ticksOf(seconds);
    return e;
}

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

    static bool load(TimelineSession &session, std::shared_ptr<const StreamsClient> client, const QByteArray &stream,
                     bool resolveLinks = false)
    {
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(std::move(client), stream, resolveLinks);
        return finished.wait(10000) && !session.index().isEmpty();
    }

    /// Shows `view` over `session` at `size`, exposed.
    static bool showOver(views::TimelineView &view, TimelineSession &session, QSize size = {900, 300})
    {
        view.resize(size);
        view.setSession(&session);
        view.show();
        return QTest::qWaitForWindowExposed(&view);
    }

    /// The throughput line whose legend name starts with `name`.
    static QCPGraph *graphNamed(const views::TimelineView &view, const QByteArray &name)
    {
        for (int i = 0; i < view.plot()->graphCount(); ++i) {
            if (view.plot()->graph(i)->name().startsWith(QString::fromUtf8(name + " · ")))
                return view.plot()->graph(i);
        }
        return nullptr;
    }

    /// Switches `view` to throughput with T and waits for its count.
    static bool throughputLanded(views::TimelineView &view)
    {
        QSignalSpy updated(&view, &views::TimelineView::histogramUpdated);
        QTest::keyClick(&view, Qt::Key_T);
        return view.mode() == views::TimelineView::Mode::Throughput
            && QTest::qWaitFor([&]() { return !updated.isEmpty() && !view.isBinning(); }, 10000);
    }

    /// Events per bin of `view`'s throughput, counted here from the session's index: the total
    /// under "", each category under its name (found from the stream name, as the server would).
    static std::map<QByteArray, std::map<int, int>> expectedCounts(const TimelineSession &session,
                                                                   const engine::TimelineThroughput &t)
    {
        std::map<QByteArray, std::map<int, int>> counts;
        const engine::TimelineIndex &index = session.index();
        for (quint64 o = 0; o < index.size(); ++o) {
            const int bin = t.binAt(index.createdTicks(o));
            ++counts[QByteArray()][bin];
            ++counts[engine::StreamCategories::categoryOf(index.streamName(o)).toByteArray()][bin];
        }
        return counts;
    }

private Q_SLOTS:
    void initTestCase()
    {
        std::vector<sandbox::ProposedEvent> batch;
        for (const auto &[seconds, type] : knownEvents())
            batch.push_back(eventAt(seconds, type));
        m_server.store().append("known-1", sandbox::EventStore::Expected::Any, 0, batch);
        for (const auto &[stream, seconds] : categoryEvents())
            m_server.store().append(stream, sandbox::EventStore::Expected::Any, 0, {eventAt(seconds, "Happened")});
        m_server.store().configureProjections(true, true); // $ce-order, as a server has it
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
        const quint32 deposited = quint32(session.index().types().find("Deposited"));
        const QString depositedLine = QStringLiteral("Deposited: %1").arg(h.count(h.binAt(ticksOf(3.2)), deposited));
        QVERIFY2(view.binToolTip(ticksOf(3.2)).contains(depositedLine), qPrintable(view.binToolTip(ticksOf(3.2))));

        // Zooming in recounts with narrower bins.
        const qint64 before = h.binTicks;
        view.setVisibleRange(ticksOf(3), ticksOf(4));
        QTRY_VERIFY(view.histogram().binTicks < before && !view.isBinning());
        QCOMPARE(view.histogram().events, quint64(3));
    }

    void rateUnitsReadAsWholeNumbers_data()
    {
        QTest::addColumn<double>("peakPerSecond");
        QTest::addColumn<QString>("unit");
        QTest::addColumn<QString>("text"); // of the peak
        QTest::addRow("busy") << 1250.0 << "/s" << "1,250/s";
        QTest::addRow("one a second") << 1.0 << "/s" << "1/s";
        QTest::addRow("demo-like") << 0.0135 << "/h" << "48.6/h";
        QTest::addRow("per minute") << 0.05 << "/min" << "3/min";
        QTest::addRow("hourly") << 0.0005 << "/h" << "1.8/h";
        QTest::addRow("rare") << 1e-6 << "/day" << "0.0864/day";
        QTest::addRow("nothing") << 0.0 << "/s" << "0/s";
    }
    void rateUnitsReadAsWholeNumbers()
    {
        QFETCH(double, peakPerSecond);
        QFETCH(QString, unit);
        QFETCH(QString, text);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        const auto u = views::TimelineThroughputItems::rateUnitFor(peakPerSecond);
        QCOMPARE(QString::fromLatin1(u.suffix), unit);
        QCOMPARE(views::TimelineThroughputItems::rateText(peakPerSecond, u), text);
        QLocale::setDefault(QLocale());
    }

    void throughputOfAllHasALinePerCategory()
    {
        TimelineSession session;
        QVERIFY(load(session, m_client, TimelineSession::allStream()));
        views::TimelineView view;
        QVERIFY(showOver(view, session, {900, 320}));
        QTRY_VERIFY(view.histogram().bins > 0 && !view.isBinning());
        QVERIFY(!view.throughputAction()->isChecked());

        QSignalSpy modes(&view, &views::TimelineView::modeChanged);
        QVERIFY(throughputLanded(view));
        QCOMPARE(modes.size(), 1);
        QVERIFY(view.throughputAction()->isChecked());
        QCOMPARE(view.findChild<QComboBox *>(QStringLiteral("timelineMode"))->currentIndex(), 1);
        QCOMPARE(view.plot()->yAxis->label(), QStringLiteral("events/s"));

        // known, order, payment, customer (four categories, under the six kept): the total and four lines.
        const engine::TimelineThroughput &t = view.throughput();
        QCOMPARE(t.series.size(), size_t(5));
        QCOMPARE(view.plot()->graphCount(), 5);
        QVERIFY(view.plot()->plottableCount() == 5); // the density bars are gone
        const auto expected = expectedCounts(session, t);
        QVERIFY(session.index().timeMonotone());
        const int firstBin = t.binAt(session.index().createdTicks(0));
        const int lastBin = t.binAt(session.index().createdTicks(session.index().size() - 1));
        QVERIFY(firstBin >= 0 && lastBin > firstBin);
        const engine::StringInterner &names = session.index().categories().names();
        for (size_t i = 0; i < t.series.size(); ++i) {
            const QByteArray key = i == 0 ? QByteArray() : names.name(t.series[i].group);
            QCPGraph *graph = graphNamed(view, i == 0 ? QByteArrayLiteral("total") : key);
            QVERIFY2(graph, key.constData());
            const auto inKey = expected.find(key);
            QVERIFY(inKey != expected.end());
            for (int bin = 0; bin < t.bins; ++bin) {
                const int n = inKey->second.count(bin) ? inKey->second.at(bin) : 0;
                QCOMPARE(t.series[i].counts[size_t(bin)], quint64(n));
            }
            // A point per bin from the first event's to the last's, at the bin's centre; the two
            // edge bins count over the part of them the events span (left out under a quarter).
            const qint64 dataFrom = session.index().createdTicks(0);
            const qint64 dataTo = session.index().createdTicks(session.index().size() - 1);
            auto covered = [&](int bin) {
                return double(std::min(t.binStart(bin + 1), dataTo + 1) - std::max(t.binStart(bin), dataFrom)) / 1e7;
            };
            const int drawnFirst = covered(firstBin) >= t.binSeconds() / 4 ? firstBin : firstBin + 1;
            const int drawnLast = covered(lastBin) >= t.binSeconds() / 4 ? lastBin : lastBin - 1;
            QCOMPARE(graph->dataCount(), drawnLast - drawnFirst + 1);
            for (int p = 0; p < graph->dataCount(); ++p) {
                const int bin = drawnFirst + p;
                const int n = inKey->second.count(bin) ? inKey->second.at(bin) : 0;
                QCOMPARE(graph->data()->at(p)->key, (t.binStart(bin) + t.binTicks / 2) / 1e7);
                QCOMPARE(graph->data()->at(p)->value, n / covered(bin));
            }
        }
        QCOMPARE(t.total().events, session.index().size());
        // The busiest category first, and each line says its figures in the legend.
        QCOMPARE(names.name(t.series[1].group), QByteArray("known"));
        QVERIFY(graphNamed(view, "known")->name().contains(QStringLiteral(" · peak ")));
        QVERIFY(graphNamed(view, "total")->name().contains(QStringLiteral(" · mean ")));
        // The legend lists the total first.
        QCOMPARE(view.plot()->legend->itemWithPlottable(graphNamed(view, "total")), view.plot()->legend->item(0));

        // The tooltip lists the total and each category with events in the bin, and no other.
        const int bin = t.binAt(ticksOf(10.9));
        const QString tip = view.binToolTip(ticksOf(10.9));
        QVERIFY2(tip.contains(QStringLiteral("total: ")) && tip.contains(QStringLiteral("On screen: peak")), qPrintable(tip));
        for (size_t i = 1; i < t.series.size(); ++i) {
            const QString line = QStringLiteral("  %1: ").arg(QString::fromUtf8(names.name(t.series[i].group)));
            QCOMPARE(tip.contains(line), t.series[i].counts[size_t(bin)] > 0);
        }
        const quint64 payments = t.series[3].counts[size_t(bin)]; // known 8, order 6, payment 2, customer 1
        QCOMPARE(names.name(t.series[3].group), QByteArray("payment"));
        QVERIFY2(tip.contains(QStringLiteral("\n  payment: %1 (%2)")
                                  .arg(views::TimelineThroughputItems::rateText(double(payments) / t.binSeconds()),
                                       views::TimelineThroughputItems::eventCountText(payments))),
                 qPrintable(tip));

        // Back to density (the window-wide action): bars again, whole events on the y axis.
        QSignalSpy updated(&view, &views::TimelineView::histogramUpdated);
        view.throughputAction()->trigger();
        QCOMPARE(view.mode(), views::TimelineView::Mode::Density);
        QTRY_VERIFY(!updated.isEmpty() && !view.isBinning());
        QCOMPARE(view.plot()->graphCount(), 0);
        QCOMPARE(view.histogram().events, session.index().size());
        QVERIFY(view.plot()->yAxis->label().startsWith(QStringLiteral("events / ")));
    }

    void categoryStreamIsTheTotalOnly()
    {
        TimelineSession session;
        QVERIFY(load(session, m_client, "$ce-order", true));
        QVERIFY(session.spansStreams());
        views::TimelineView view;
        view.resize(900, 320);
        view.setSession(&session);
        view.setMode(views::TimelineView::Mode::Throughput);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(view.throughput().bins > 0 && !view.isBinning());
        QCOMPARE(view.throughput().series.size(), size_t(1));
        QCOMPARE(view.plot()->graphCount(), 1);
        QCOMPARE(view.throughput().total().events, quint64(6)); // order-1, order-2 and order-3, twice each
    }

    void cursorKeysInThroughputMode()
    {
        TimelineSession session;
        QVERIFY(loadKnown(session));
        views::TimelineView view;
        QVERIFY(showOver(view, session));
        QVERIFY(throughputLanded(view));
        QCOMPARE(view.plot()->graphCount(), 1); // one stream: the total
        TimeCursor *cursor = session.cursor();
        QTest::keyClick(&view, Qt::Key_Home);
        QTest::keyClick(&view, Qt::Key_Right);
        QCOMPARE(cursor->position(), qint64(1));
        QTest::keyClick(&view, Qt::Key_A);
        QTest::keyClick(&view, Qt::Key_End);
        QTest::keyClick(&view, Qt::Key_B);
        QCOMPARE(cursor->markerA(), qint64(1));
        QCOMPARE(cursor->markerB(), qint64(7));
        QVERIFY(view.cursorText().contains(QStringLiteral("6 events")));
        // A click still moves the cursor: between 3.2 s and 3.9 s lands on #4.
        view.plot()->replot();
        const int y = view.plot()->axisRect()->center().y();
        sendMouse(view.plot(), QEvent::MouseButtonPress, {view.xForTicks(ticksOf(3.5)), y}, Qt::LeftButton);
        sendMouse(view.plot(), QEvent::MouseButtonRelease, {view.xForTicks(ticksOf(3.5)), y}, Qt::NoButton);
        QCOMPARE(cursor->position(), qint64(4));
        // Zoom recounts the lines with narrower bins, still in throughput.
        const qint64 before = view.throughput().binTicks;
        QSignalSpy updated(&view, &views::TimelineView::histogramUpdated);
        for (int i = 0; i < 4; ++i) // to about 0.5 s across
            QTest::keyClick(&view, Qt::Key_Plus);
        QTRY_VERIFY(!updated.isEmpty() && !view.isBinning() && view.throughput().binTicks != before);
        QVERIFY(view.throughput().binTicks < before);
        QCOMPARE(view.mode(), views::TimelineView::Mode::Throughput);
    }

    void emptyViewUsesTheWholeWidth()
    {
        // No stream yet: the empty legend must not squeeze the plot (and the first count's bins).
        views::TimelineView view;
        view.resize(1000, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.plot()->replot();
        QVERIFY2(view.plot()->axisRect()->width() > 900, qPrintable(QString::number(view.plot()->axisRect()->width())));
        view.setMode(views::TimelineView::Mode::Throughput);
        view.plot()->replot();
        QVERIFY(view.plot()->axisRect()->width() > 900);
        // It says what to do instead of labelling times that are not there.
        QVERIFY(view.placeholderText().contains(QStringLiteral("Select a stream")));
        QVERIFY(!view.plot()->xAxis->tickLabels() && !view.plot()->yAxis->tickLabels());
    }

    void placeholderFollowsTheSession()
    {
        TimelineSession session;
        views::TimelineView view;
        view.setSession(&session);
        QVERIFY(view.placeholderText().contains(QStringLiteral("Select a stream")));
        QSignalSpy finished(&session, &TimelineSession::loadFinished);
        session.load(m_client, "no-such-stream-here");
        QVERIFY(view.placeholderText().contains(QStringLiteral("Loading no-such-stream-here")));
        QVERIFY(finished.wait(10000));
        QCOMPARE(view.placeholderText(), QStringLiteral("no-such-stream-here has no events"));
        QVERIFY(loadKnown(session));
        QCOMPARE(view.placeholderText(), QString());
        QVERIFY(view.plot()->xAxis->tickLabels() && view.plot()->yAxis->tickLabels());
    }

    void clickAndDragMoveTheCursor()
    {
        TimelineSession session;
        QVERIFY(loadKnown(session));
        views::TimelineView view;
        QVERIFY(showOver(view, session));
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
        QVERIFY(showOver(view, session));
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
