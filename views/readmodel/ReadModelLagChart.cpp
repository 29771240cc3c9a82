#include "readmodel/ReadModelLagChart.h"

#include "common/QCustomPlotInclude.h"

#include <QEvent>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include <algorithm>

namespace chronoscope::views {

namespace {

/// One colour per read model, in name order: blue, orange, green, purple — a lighter shade of each on dark
/// palettes, where the darker ones sink into the background.
QColor colourAt(int index, bool dark)
{
    static const QColor light[] = {QColor(0x25, 0x63, 0xeb), QColor(0xd9, 0x5f, 0x0e), QColor(0x16, 0x8a, 0x4a),
                                   QColor(0x8e, 0x44, 0xad)};
    static const QColor darkShades[] = {QColor(0x60, 0xa5, 0xfa), QColor(0xfb, 0x92, 0x3c), QColor(0x4a, 0xde, 0x80),
                                        QColor(0xc0, 0x84, 0xfc)};
    return (dark ? darkShades : light)[index % 4];
}

bool isDark(const QPalette &p)
{
    return p.color(QPalette::Base).lightness() < 128;
}

struct AgeUnit
{
    double seconds;
    const char *name;
};

/// The unit the largest age reads best in.
AgeUnit ageUnitFor(double largestSeconds)
{
    if (largestSeconds < 120)
        return {1, "seconds"};
    if (largestSeconds < 2 * 3600)
        return {60, "minutes"};
    if (largestSeconds < 2 * 86400)
        return {3600, "hours"};
    return {86400, "days"};
}

} // namespace

ReadModelLagChart::ReadModelLagChart(QWidget *parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_ageRect(new QCPAxisRect(m_plot)), m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("readModelLagChart"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_status);
    m_status->setObjectName(QStringLiteral("readModelLagStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    // Two plots need more than the timeline's 120 px, but the default layout must still fit a 768-pixel-high
    // screen (test_main_window): the dock area takes the tallest of its tabs.
    m_plot->setMinimumHeight(180);
    m_plot->setPlottingHint(QCP::phImmediateRefresh, false);
    // Events behind above, the age of the oldest unprocessed event below, over one time axis: two plots rather
    // than two y axes on one, where a model's two lines fell on top of each other whenever the scales met.
    m_plot->xAxis->setTickLabels(false);
    m_plot->yAxis->setLabel(tr("events"));
    m_plot->yAxis->setNumberFormat(QStringLiteral("gb"));
    m_plot->yAxis->ticker()->setTickCount(3); // a short pane: few, legible ticks
    m_plot->plotLayout()->addElement(1, 0, m_ageRect);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeSpec(Qt::UTC);
    ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss"));
    m_plot->xAxis->setTicker(ticker);
    QCPAxis *ageX = m_ageRect->axis(QCPAxis::atBottom);
    ageX->setTicker(ticker);
    ageX->setLabel(tr("time (UTC)"));
    m_ageRect->axis(QCPAxis::atLeft)->setNumberFormat(QStringLiteral("gb"));
    m_ageRect->axis(QCPAxis::atLeft)->ticker()->setTickCount(3);
    auto *margins = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_ageRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    // The legend in a row of its own under the plots: never over the lines.
    m_plot->legend->setVisible(true);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(4);
    m_plot->legend->setMargins(QMargins(6, 2, 6, 2));
    m_plot->legend->setRowSpacing(0);
    m_plot->plotLayout()->addElement(2, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(2, 0.001);
    chooseAgeUnit();
    restyle();
    updateStatus();
}

ReadModelLagChart::Series &ReadModelLagChart::seriesFor(const QString &readModel)
{
    auto it = m_series.find(readModel);
    if (it != m_series.end())
        return *it;
    m_order.append(readModel);
    std::sort(m_order.begin(), m_order.end());
    Series s;
    s.events = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis);
    s.events->setName(readModel); // one legend entry per model: its colour in both plots
    s.events->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
    s.seconds = m_plot->addGraph(m_ageRect->axis(QCPAxis::atBottom), m_ageRect->axis(QCPAxis::atLeft));
    s.seconds->setName(readModel);
    s.seconds->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 3));
    Series &inserted = *m_series.insert(readModel, s);
    arrange();
    return inserted;
}

void ReadModelLagChart::arrange()
{
    const bool dark = isDark(palette());
    m_plot->legend->clearItems();
    for (int i = 0; i < m_order.size(); ++i) {
        const Series &s = m_series[m_order.at(i)];
        const QColor colour = colourAt(i, dark);
        s.events->setPen(QPen(colour, 2));
        s.seconds->setPen(QPen(colour, 2, Qt::DashLine));
        s.events->addToLegend();
    }
}

void ReadModelLagChart::chooseAgeUnit()
{
    double largest = 0;
    for (const Series &s : std::as_const(m_series))
        for (const auto &[t, age] : s.ages)
            largest = std::max(largest, age);
    const AgeUnit unit = ageUnitFor(largest);
    const bool changed = unit.seconds != m_ageUnit;
    m_ageUnit = unit.seconds;
    m_ageRect->axis(QCPAxis::atLeft)->setLabel(tr("age, %1").arg(tr(unit.name)));
    if (!changed)
        return;
    for (Series &s : m_series) {
        s.seconds->data()->clear();
        for (const auto &[t, age] : std::as_const(s.ages))
            s.seconds->addData(t, age / m_ageUnit);
    }
}

void ReadModelLagChart::addSample(const QString &readModel, const readmodel::LagSample &sample)
{
    Series &s = seriesFor(readModel);
    ++s.samples;
    s.latest = sample.toString();
    if (sample.ok()) {
        const double t = double(sample.atMs) / 1000.0;
        s.events->addData(t, double(sample.eventsBehind));
        s.ages.append({t, sample.secondsBehind});
        s.seconds->addData(t, sample.secondsBehind / m_ageUnit);
        chooseAgeUnit();
    }
    rescale();
    updateStatus();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ReadModelLagChart::rescale()
{
    m_plot->rescaleAxes();
    // Events from zero ("behind" starts at caught up). Ages around their values: an age of weeks that moves
    // by minutes would otherwise be a flat line at the top.
    const QCPRange events = m_plot->yAxis->range();
    m_plot->yAxis->setRange(0, std::max(1.0, events.upper * 1.15));
    QCPAxis *ageY = m_ageRect->axis(QCPAxis::atLeft);
    const QCPRange ages = ageY->range();
    const double pad = std::max(1.0, ages.size() * 0.15);
    ageY->setRange(std::max(0.0, ages.lower - pad), ages.upper + pad);
    QCPRange x = m_plot->xAxis->range();
    if (x.size() < 10)
        x = QCPRange(x.center() - 5, x.center() + 5);
    m_plot->xAxis->setRange(x);
    m_ageRect->axis(QCPAxis::atBottom)->setRange(x); // one time axis for both plots
}

QStringList ReadModelLagChart::legendEntries() const
{
    QStringList out;
    for (int i = 0; i < m_plot->legend->itemCount(); ++i)
        if (auto *item = qobject_cast<QCPPlottableLegendItem *>(m_plot->legend->item(i)))
            out.append(item->plottable()->name());
    return out;
}

QColor ReadModelLagChart::colourOf(const QString &readModel) const
{
    const auto it = m_series.constFind(readModel);
    return it == m_series.constEnd() ? QColor() : it->events->pen().color();
}

QString ReadModelLagChart::ageUnit() const
{
    return QString::fromLatin1(m_ageUnit >= 86400      ? "days"
                                   : m_ageUnit >= 3600 ? "hours"
                                   : m_ageUnit >= 60   ? "minutes"
                                                       : "seconds");
}

void ReadModelLagChart::clear()
{
    m_plot->clearGraphs();
    m_series.clear();
    m_order.clear();
    chooseAgeUnit();
    updateStatus();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ReadModelLagChart::setNotice(const QString &text)
{
    m_notice = text;
    updateStatus();
}

int ReadModelLagChart::sampleCount(const QString &readModel) const
{
    return m_series.value(readModel).samples;
}

void ReadModelLagChart::updateStatus()
{
    QStringList lines;
    if (!m_notice.isEmpty())
        lines.append(m_notice);
    for (const QString &name : m_order)
        lines.append(name + QStringLiteral(": ") + m_series.value(name).latest);
    if (lines.isEmpty())
        lines.append(tr("No read model with a checkpoint: declare one in the reducer file's readModels "
                        "(docs/READ-MODELS.md, \"Lag\")."));
    m_status->setText(lines.join(QLatin1Char('\n')));
}

void ReadModelLagChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        restyle();
    QWidget::changeEvent(event);
}

void ReadModelLagChart::restyle()
{
    const QPalette p = palette();
    m_plot->setBackground(p.color(QPalette::Base));
    const QColor text = p.color(QPalette::Text);
    for (QCPAxis *axis :
         {m_plot->xAxis, m_plot->yAxis, m_ageRect->axis(QCPAxis::atBottom), m_ageRect->axis(QCPAxis::atLeft)}) {
        axis->setBasePen(QPen(text));
        axis->setTickPen(QPen(text));
        axis->setSubTickPen(QPen(text));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(p.color(QPalette::Mid), 0, Qt::DotLine));
    }
    m_plot->legend->setBrush(p.color(QPalette::Base));
    m_plot->legend->setTextColor(text);
    m_plot->legend->setBorderPen(QPen(p.color(QPalette::Mid)));
    arrange(); // the shades of the palette's darkness
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace chronoscope::views
