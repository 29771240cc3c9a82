#include "TimelineView.h"

#include "ElidedLabel.h"

#include "QCustomPlotInclude.h"
#include "TimelinePlotItems.h"
#include "TimelineSession.h"
#include "engine/TimelineIndex.h"

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

namespace {

} // namespace

TimelineView::TimelineView(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_header(new ElidedLabel(this))
    , m_utcButton(new QToolButton(this))
    , m_fitButton(new QToolButton(this))
    , m_rebin(new QTimer(this))
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
    auto counts = QSharedPointer<QCPAxisTickerFixed>::create(); // whole events only
    counts->setTickStep(1);
    counts->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_plot->yAxis->setTicker(counts);

    // The legend in its own row under the plot, filled left to right.
    m_plot->legend->setVisible(true);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(8);
    m_plot->legend->setIconSize(12, 10);
    QFont legendFont = font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.9);
    m_plot->legend->setFont(legendFont);
    m_plot->plotLayout()->addElement(1, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    m_plot->plotLayout()->setRowSpacing(2);
    m_plot->legend->setMargins(QMargins(6, 2, 6, 2));
    m_items = new TimelinePlotItems(m_plot);

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

    auto *top = new QHBoxLayout;
    top->setContentsMargins(6, 2, 6, 0);
    top->addWidget(m_header, 1);
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
    m_rebin->setSingleShot(true);
    connect(m_rebin, &QTimer::timeout, this, &TimelineView::startBinning);
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, &TimelineView::onRangeChanged);
    connect(m_plot, &QCustomPlot::mousePress, this, &TimelineView::onPress);
    connect(m_plot, &QCustomPlot::mouseMove, this, &TimelineView::onMove);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &TimelineView::onRelease);
    restyle();
    updateHeader();
}

TimelineView::~TimelineView()
{
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
        connect(session->cursor(), &TimeCursor::positionChanged, this, &TimelineView::onCursorMoved);
        connect(session->cursor(), &TimeCursor::markersChanged, this, &TimelineView::onCursorMoved);
    }
    onReset();
    if (session && !session->index().isEmpty())
        onGrown();
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

bool TimelineView::isBinning() const { return m_rebin->isActive() || m_binRunning; }

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
    m_binJob.cancel();
    m_binRunning = false;
    m_rebin->stop();
    m_histogram = {};
    m_items->clearBars();
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
    if (!m_rebin->isActive() && !m_binRunning)
        requestBins(m_histogram.bins == 0 ? 0 : 250);
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
    if (!m_programmaticRange || !m_rebin->isActive())
        requestBins(40);
}

void TimelineView::requestBins(int delayMs)
{
    if (!m_session || m_session->index().isEmpty())
        return;
    m_rebin->start(delayMs);
}

void TimelineView::startBinning()
{
    if (!m_session)
        return;
    if (m_binRunning) { // one count at a time: the next one starts when this one lands
        m_rebin->start(20);
        return;
    }
    const int maxBins = std::clamp(m_plot->axisRect()->width() / 5, 10, 400);
    auto index = m_session->sharedIndex();
    const quint64 size = index->size();
    const bool monotone = index->timeMonotone();
    const qint64 from = visibleFrom(), to = visibleTo();
    m_binRunning = true;
    m_binJob.start([index, size, from, to, maxBins, monotone, this](const JobTracker::Job &job) {
        auto cancel = job.cancellation();
        auto h = engine::TimelineHistogram::compute(*index, size, from, to, maxBins, monotone,
                                                    [cancel]() { return cancel->isCancelled(); });
        if (job.isCancelled())
            return;
        job.post([this, h = std::move(h)]() mutable {
            m_binRunning = false;
            applyHistogram(std::move(h));
        });
    });
}

void TimelineView::applyHistogram(engine::TimelineHistogram histogram)
{
    m_histogram = std::move(histogram);
    const engine::StringInterner &types = m_session->index().types();
    m_items->setHistogram(m_histogram, [&types](quint32 id) {
        return id < types.size() ? QString::fromUtf8(types.name(id)) : QString();
    });
    m_plot->yAxis->setRange(0, std::max(1.0, m_items->maxStack() * 1.12));
    m_plot->yAxis->setLabel(tr("events / %1").arg(durationText(m_histogram.binTicks)));
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
