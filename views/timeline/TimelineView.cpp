#include "timeline/TimelineView.h"

#include "common/ElidedLabel.h"

#include "common/QCustomPlotInclude.h"
#include "session/TimelineBinCounter.h"
#include "session/TimelineSession.h"
#include "timeline/TimelineIndex.h"
#include "timeline/TimelinePlotItems.h"
#include "timeline/TimelineThroughputItems.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace chronoscope::views {

namespace {

constexpr double kTicksPerSecond = 1e7;
constexpr qint64 kMinSpanTicks = 10 * kTicksPerMillisecond; // 10 ms across the whole view
constexpr int kMaxCategoryLines = 6; // more than that and the lines (and legend) stop being readable
double toX(qint64 ticks) { return double(ticks) / kTicksPerSecond; }
qint64 toTicks(double x) { return qint64(std::llround(x * kTicksPerSecond)); }

} // namespace

/// "1 h", "15 min", "200 ms": a bin width for the axis label.
QString durationText(qint64 ticks)
{
    struct Unit { qint64 ticks; const char *name; };
    static const Unit units[] = {{864000000000, "d"}, {36000000000, "h"}, {600000000, "min"},
                                 {10000000, "s"}, {10000, "ms"}};
    for (const Unit &u : units) {
        if (u.ticks == 10000 && ticks >= 10000000)
            break; // "3.733 s" reads better than "3733 ms"
        if (ticks >= u.ticks && ticks % u.ticks == 0)
            return QStringLiteral("%1 %2").arg(ticks / u.ticks).arg(QLatin1String(u.name));
    }
    if (ticks >= 10000000) // seconds with their milliseconds
        return QStringLiteral("%1 s").arg(double(ticks / 10000) / 1000.0, 0, 'f', 3);
    return QStringLiteral("%1 ms").arg(double(ticks) / 10000.0);
}

TimelineView::TimelineView(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_header(new ElidedLabel(this))
    , m_modeBox(new QComboBox(this))
    , m_throughputAction(new QAction(tr("Timeline &Throughput (events/s)"), this))
    , m_utcButton(new QToolButton(this))
    , m_fitButton(new QToolButton(this))
    , m_replot(new QTimer(this))
{
    setFocusPolicy(Qt::StrongFocus);
    m_plot->setObjectName(QStringLiteral("timelinePlot"));
    m_plot->setFocusPolicy(Qt::ClickFocus);
    m_plot->setFocusProxy(this);
    m_plot->setMinimumHeight(120);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    // Replots paint on the next frame, never synchronously: a synchronous paint from a session
    // signal would paint other panes before they have heard of that signal.
    m_plot->setPlottingHint(QCP::phImmediateRefresh, false);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoomFactor(0.8);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeSpec(Qt::UTC);
    m_plot->xAxis->setTicker(ticker);
    m_plot->yAxis->setNumberFormat(QStringLiteral("gb"));
    m_plot->yAxis->setNumberPrecision(4);
    m_plot->yAxis->setRange(0, 1);
    setUpYAxis();

    m_items = new TimelinePlotItems(m_plot);
    m_lines = new TimelineThroughputItems(m_plot);

    m_header->setObjectName(QStringLiteral("timelineHeader"));
    m_header->setTextFormat(Qt::PlainText);
    m_utcButton->setObjectName(QStringLiteral("timelineUtc"));
    m_utcButton->setText(tr("UTC"));
    m_utcButton->setCheckable(true);
    m_utcButton->setChecked(true);
    m_utcButton->setToolTip(tr("Times in UTC (checked) or local time"));
    connect(m_utcButton, &QToolButton::toggled, this, &TimelineView::setUtc);
    m_fitButton->setObjectName(QStringLiteral("timelineFit"));
    m_fitButton->setText(tr("Fit"));
    m_fitButton->setToolTip(tr("Show the whole timeline (F)"));
    connect(m_fitButton, &QToolButton::clicked, this, &TimelineView::fitAll);
    m_modeBox->setObjectName(QStringLiteral("timelineMode"));
    m_modeBox->addItem(tr("Density by type"));
    m_modeBox->addItem(tr("Throughput (events/s)"));
    m_modeBox->setToolTip(tr("Events per bin stacked by type, or events per second by stream category (T)"));
    m_modeBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_modeBox->setFocusPolicy(Qt::TabFocus);
    connect(m_modeBox, qOverload<int>(&QComboBox::activated), this, [this](int i) { setMode(Mode(i)); });
    m_throughputAction->setObjectName(QStringLiteral("timelineThroughputAction"));
    m_throughputAction->setCheckable(true);
    m_throughputAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    m_throughputAction->setShortcutContext(Qt::WindowShortcut);
    addAction(m_throughputAction);
    connect(m_throughputAction, &QAction::triggered, this,
            [this](bool on) { setMode(on ? Mode::Throughput : Mode::Density); });

    auto *top = new QHBoxLayout;
    top->setContentsMargins(6, 2, 6, 0);
    top->addWidget(m_header, 1);
    top->addWidget(m_modeBox);
    top->addWidget(m_utcButton);
    top->addWidget(m_fitButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);

    m_replot->setSingleShot(true);
    m_replot->setInterval(100);
    connect(m_replot, &QTimer::timeout, this, [this]() {
        updateHeader();
        m_plot->replot();
    });
    m_counter = new TimelineBinCounter([this]() { return binRequest(); }, this);
    connect(m_counter, &TimelineBinCounter::densityCounted, this, &TimelineView::applyHistogram);
    connect(m_counter, &TimelineBinCounter::throughputCounted, this, &TimelineView::applyThroughput);
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, &TimelineView::onRangeChanged);
    connect(m_plot, &QCustomPlot::mousePress, this, &TimelineView::onPress);
    connect(m_plot, &QCustomPlot::mouseMove, this, &TimelineView::onMove);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &TimelineView::onRelease);
    restyle();
    updateHeader();
}

TimelineView::~TimelineView()
{
    delete m_lines;
    delete m_items;
}

void TimelineView::setSession(TimelineSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr), disconnect(m_session->cursor(), nullptr, this, nullptr);
    m_session = session;
    if (session) {
        connect(session, &TimelineSession::reset, this, &TimelineView::onReset);
        connect(session, &TimelineSession::grown, this, &TimelineView::onGrown);
        connect(session, &TimelineSession::loadingChanged, this, [this]() {
            updateHeader();
            m_plot->replot(QCustomPlot::rpQueuedReplot);
        });
        connect(session->cursor(), &TimeCursor::positionChanged, this, &TimelineView::onCursorMoved);
        connect(session->cursor(), &TimeCursor::markersChanged, this, &TimelineView::onCursorMoved);
    }
    onReset();
    if (session && !session->index().isEmpty())
        onGrown();
}

void TimelineView::setMode(Mode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    m_modeBox->setCurrentIndex(int(mode));
    m_throughputAction->setChecked(mode == Mode::Throughput);
    // Each mode draws its own plottables from its own count: drop the other's and recount.
    m_counter->cancel();
    m_items->clearBars();
    m_lines->clear();
    m_histogram = {};
    m_throughput = {};
    m_plot->legend->setWrap(mode == Mode::Throughput ? 4 : 8);
    setUpYAxis();
    m_plot->yAxis->setRange(0, 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    requestBins(0);
    Q_EMIT modeChanged(mode);
}

void TimelineView::setUpYAxis()
{
    if (m_mode == Mode::Throughput) {
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        m_plot->yAxis->setLabel(tr("events/s"));
        return;
    }
    auto counts = QSharedPointer<QCPAxisTickerFixed>::create(); // whole events only
    counts->setTickStep(1);
    counts->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_plot->yAxis->setTicker(counts);
    m_plot->yAxis->setLabel(m_histogram.bins > 0 ? tr("events / %1").arg(durationText(m_histogram.binTicks)) : QString());
}

QString TimelineView::groupName(quint32 id) const
{
    if (!m_session)
        return {};
    const engine::StringInterner &names = m_session->index().categories().names();
    return id < names.size() ? QString::fromUtf8(names.view(id)) : QString();
}

void TimelineView::setUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    m_utcButton->setChecked(utc);
    m_utcButton->setText(utc ? tr("UTC") : tr("Local"));
    updateTicker();
    updateHeader();
    m_plot->replot();
    Q_EMIT utcChanged(utc);
}

qint64 TimelineView::visibleFrom() const { return toTicks(m_plot->xAxis->range().lower); }
qint64 TimelineView::visibleTo() const { return toTicks(m_plot->xAxis->range().upper); }

void TimelineView::setVisibleRange(qint64 from, qint64 to)
{
    m_fitAll = false;
    m_plot->xAxis->setRange(toX(from), toX(std::max(to, from + kMinSpanTicks)));
    m_plot->replot();
}

void TimelineView::fitAll()
{
    m_fitAll = true;
    applyFit();
    requestBins(0);
}

void TimelineView::zoom(double factor)
{
    const double centre = m_items->cursorX().value_or(m_plot->xAxis->range().center());
    m_fitAll = false;
    m_plot->xAxis->scaleRange(factor, centre);
    m_plot->replot();
}

bool TimelineView::isBinning() const { return m_counter->isBusy(); }

int TimelineView::xForTicks(qint64 ticks) const { return int(std::lround(m_plot->xAxis->coordToPixel(toX(ticks)))); }
qint64 TimelineView::ticksForX(double x) const { return toTicks(m_plot->xAxis->pixelToCoord(x)); }

void TimelineView::moveCursorToTime(qint64 ticks)
{
    if (!m_session)
        return;
    const auto ordinal = m_session->index().lastAtOrBefore(ticks);
    m_session->cursor()->setPosition(ordinal ? qint64(*ordinal) : -1);
}

void TimelineView::onReset()
{
    m_counter->cancel();
    m_histogram = {};
    m_throughput = {};
    m_items->clearBars();
    m_lines->clear();
    m_plot->legend->clearItems();
    m_fitAll = true;
    m_items->setCursor(std::nullopt);
    m_items->setMarkers(std::nullopt, std::nullopt);
    m_plot->yAxis->setRange(0, 1);
    updateHeader();
    m_plot->replot();
}

void TimelineView::onGrown()
{
    // A 1M-event load arrives in hundreds of batches: follow them with the cursor and the range at
    // once, but repaint and recount at a steady pace (the GUI thread stays free for the user).
    if (m_fitAll)
        applyFit();
    syncCursorItems();
    if (!m_replot->isActive())
        m_replot->start();
    if (!m_counter->isBusy())
        requestBins((m_mode == Mode::Throughput ? m_throughput.bins : m_histogram.bins) == 0 ? 0 : 250);
}

void TimelineView::applyFit()
{
    if (!m_session || m_session->index().isEmpty())
        return;
    const engine::TimelineIndex &index = m_session->index();
    const qint64 first = index.createdTicks(0);
    const qint64 last = std::max(first, index.createdTicks(index.size() - 1));
    const qint64 span = std::max<qint64>(last - first, kMinSpanTicks * 100);
    const qint64 pad = span / 20; // the first and last events (and the cursor on them) stay clear of the edges
    setRangeQuietly(toX(first - pad), toX(first + span + pad));
}

void TimelineView::setRangeQuietly(double from, double to)
{
    m_programmaticRange = true;
    m_plot->xAxis->setRange(from, to);
    m_programmaticRange = false;
    updateTicker();
}

void TimelineView::onRangeChanged()
{
    const QCPRange range = m_plot->xAxis->range();
    if (range.size() * kTicksPerSecond < kMinSpanTicks) {
        const double centre = range.center(), half = kMinSpanTicks / kTicksPerSecond / 2;
        m_plot->xAxis->setRange(centre - half, centre + half);
        return; // the nested change does the rest
    }
    if (!m_programmaticRange)
        m_fitAll = false;
    updateTicker();
    if (!m_programmaticRange || !m_counter->isScheduled())
        requestBins(40);
}

void TimelineView::requestBins(int delayMs)
{
    if (!m_session || m_session->index().isEmpty())
        return;
    m_counter->schedule(delayMs);
}

std::optional<TimelineBinCounter::Request> TimelineView::binRequest() const
{
    if (!m_session)
        return std::nullopt;
    TimelineBinCounter::Request r;
    r.index = m_session->sharedIndex();
    r.size = r.index->size();
    r.monotone = r.index->timeMonotone();
    r.from = visibleFrom();
    r.to = visibleTo();
    r.maxBins = std::clamp(m_plot->axisRect()->width() / 5, 10, 400);
    r.throughput = m_mode == Mode::Throughput;
    r.splitCategories = m_session->spansStreams(); // one stream is one category: the total says it all
    r.maxCategories = kMaxCategoryLines;
    return r;
}

void TimelineView::applyHistogram(const engine::TimelineHistogram &histogram)
{
    m_histogram = histogram;
    const engine::StringInterner &types = m_session->index().types();
    m_items->setHistogram(m_histogram, [&types](quint32 id) {
        return id < types.size() ? QString::fromUtf8(types.name(id)) : QString();
    });
    m_plot->yAxis->setRange(0, std::max(1.0, m_items->maxStack() * 1.12));
    m_plot->yAxis->setLabel(tr("events / %1").arg(durationText(m_histogram.binTicks)));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT histogramUpdated();
}

void TimelineView::applyThroughput(const engine::TimelineThroughput &throughput)
{
    m_throughput = throughput;
    // Lines from the first event to the last (unclipped when times go back and forth).
    const engine::TimelineIndex &index = m_session->index();
    if (!index.isEmpty() && index.timeMonotone())
        m_throughput.setDataSpan(index.createdTicks(0), index.createdTicks(index.size() - 1));
    m_lines->setThroughput(m_throughput, [this](quint32 id) { return groupName(id); });
    m_plot->yAxis->setLabel(tr("events%1").arg(QString::fromLatin1(m_lines->unit().suffix)));
    m_plot->yAxis->setRange(0, m_lines->maxRate() > 0 ? m_lines->maxRate() * 1.12 : 1.0);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT histogramUpdated();
}

void TimelineView::updateTicker()
{
    auto ticker = m_plot->xAxis->ticker().dynamicCast<QCPAxisTickerDateTime>();
    if (!ticker)
        return;
    ticker->setDateTimeSpec(m_utc ? Qt::UTC : Qt::LocalTime);
    const double span = m_plot->xAxis->range().size();
    QString format;
    if (span < 5)
        format = QStringLiteral("hh:mm:ss.zzz");
    else if (span < 600)
        format = QStringLiteral("hh:mm:ss");
    else if (span < 2 * 86400)
        format = QStringLiteral("hh:mm\nd MMM");
    else if (span < 120 * 86400)
        format = QStringLiteral("d MMM\nyyyy");
    else
        format = QStringLiteral("MMM yyyy");
    ticker->setDateTimeFormat(format);
    ticker->setTickCount(std::max(2, m_plot->axisRect()->width() / 120));
}

} // namespace chronoscope::views
