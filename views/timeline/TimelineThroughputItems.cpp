#include "timeline/TimelineThroughputItems.h"

#include "common/QCustomPlotInclude.h"
#include "timeline/TimelinePlotItems.h"

#include <QLocale>
#include <QPalette>

#include <algorithm>
#include <cmath>

namespace chronoscope::views {

using engine::ThroughputSeries;

namespace {
constexpr double kTicksPerSecond = 1e7;
}

TimelineThroughputItems::TimelineThroughputItems(QCustomPlot *plot) : m_plot(plot) {}

TimelineThroughputItems::RateUnit TimelineThroughputItems::rateUnitFor(double peakPerSecond)
{
    // The largest rate on screen reads as at least 1: 0.0135/s is 48.6/h.
    static const RateUnit units[] = {{1, "/s"}, {60, "/min"}, {3600, "/h"}, {86400, "/day"}};
    for (const RateUnit &unit : units) {
        if (peakPerSecond * unit.seconds >= 1)
            return unit;
    }
    return peakPerSecond > 0 ? units[3] : units[0];
}

QString TimelineThroughputItems::rateText(double eventsPerSecond, const RateUnit &unit)
{
    const QLocale locale;
    const double rate = eventsPerSecond * unit.seconds;
    const QString suffix = QString::fromLatin1(unit.suffix);
    if (rate >= 100 || rate == 0)
        return locale.toString(qint64(std::llround(rate))) + suffix;
    return locale.toString(rate, 'g', 3) + suffix;
}

QString TimelineThroughputItems::rateText(double eventsPerSecond)
{
    return rateText(eventsPerSecond, RateUnit{});
}

QString TimelineThroughputItems::eventCountText(quint64 events)
{
    return events == 1 ? tr("1 event") : tr("%1 events").arg(QLocale().toString(events));
}

QString TimelineThroughputItems::seriesName(const ThroughputSeries &series, const std::function<QString(quint32)> &groupName)
{
    switch (series.kind) {
    case ThroughputSeries::Kind::Total: return tr("total");
    case ThroughputSeries::Kind::Other: return tr("other");
    case ThroughputSeries::Kind::Group: break;
    }
    const QString name = groupName(series.group);
    return name.isEmpty() ? tr("(no category)") : name;
}

void TimelineThroughputItems::clear()
{
    for (QCPGraph *graph : std::as_const(m_graphs))
        m_plot->removeGraph(graph);
    m_graphs.clear();
    m_series.clear();
    m_maxRate = 0;
}

void TimelineThroughputItems::setThroughput(const engine::TimelineThroughput &t,
                                            const std::function<QString(quint32)> &groupName)
{
    clear();
    m_unit = rateUnitFor(t.total().peak);
    const bool alone = t.series.size() == 1;
    // Drawn in reverse so that the total lies over the categories.
    for (size_t i = t.series.size(); i-- > 0;) {
        const ThroughputSeries &s = t.series[i];
        QVector<double> keys, values;
        keys.reserve(t.bins);
        values.reserve(t.bins);
        for (int bin = 0; bin < t.bins; ++bin) {
            if (!t.hasRate(bin))
                continue; // before the first event, after the last, or too little of the bin
            keys << (double(t.binStart(bin)) + t.binTicks / 2.0) / kTicksPerSecond;
            values << t.rate(i, bin) * m_unit.seconds;
        }
        QCPGraph *graph = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis);
        graph->setData(keys, values, true);
        graph->setName(tr("%1 · peak %2 · mean %3")
                           .arg(seriesName(s, groupName), rateText(s.peak, m_unit), rateText(s.mean, m_unit)));
        graph->setSelectable(QCP::stNone);
        graph->setAdaptiveSampling(true);
        styleGraph(graph, s.kind, s.group, alone);
        m_graphs.prepend(graph);
        m_series.insert(m_series.begin(), {s.kind, s.group});
        m_maxRate = std::max(m_maxRate, s.peak * m_unit.seconds);
    }
    // The legend lists them in series order: the total first.
    if (QCPLegend *legend = m_plot->legend) {
        for (QCPGraph *graph : std::as_const(m_graphs))
            graph->removeFromLegend(legend);
        for (QCPGraph *graph : std::as_const(m_graphs))
            graph->addToLegend(legend);
    }
}

void TimelineThroughputItems::styleGraph(QCPGraph *graph, ThroughputSeries::Kind kind, quint32 group, bool alone) const
{
    switch (kind) {
    case ThroughputSeries::Kind::Total: {
        QColor fill = alone ? TimelinePlotItems::typeColor(0) : m_text;
        graph->setPen(QPen(alone ? fill : m_text, 2));
        fill.setAlpha(alone ? 70 : 22);
        graph->setBrush(fill);
        break;
    }
    case ThroughputSeries::Kind::Other: {
        QColor grey = m_text;
        grey.setAlpha(140);
        graph->setPen(QPen(grey, 1.5, Qt::DashLine));
        graph->setBrush(Qt::NoBrush);
        break;
    }
    case ThroughputSeries::Kind::Group:
        graph->setPen(QPen(TimelinePlotItems::typeColor(group), 1.5));
        graph->setBrush(Qt::NoBrush);
        break;
    }
}

void TimelineThroughputItems::restyle(const QPalette &palette)
{
    m_text = palette.color(QPalette::WindowText);
    const bool alone = m_graphs.size() == 1;
    for (qsizetype i = 0; i < m_graphs.size(); ++i)
        styleGraph(m_graphs[i], m_series[size_t(i)].first, m_series[size_t(i)].second, alone);
}

QString TimelineThroughputItems::toolTipText(const engine::TimelineThroughput &t, int bin,
                                             const std::function<QString(quint32)> &groupName)
{
    const RateUnit unit = rateUnitFor(t.total().peak);
    auto line = [&](size_t i) {
        return tr("%1: %2 (%3)")
            .arg(seriesName(t.series[i], groupName), rateText(t.rate(i, bin), unit),
                 eventCountText(t.series[i].counts[size_t(bin)]));
    };
    QString tip = line(0);
    // Busiest first; categories with nothing in this bin are left out.
    std::vector<size_t> order;
    for (size_t i = 1; i < t.series.size(); ++i) {
        if (t.series[i].counts[size_t(bin)] > 0)
            order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(), [&t, bin](size_t a, size_t b) {
        return t.series[a].counts[size_t(bin)] > t.series[b].counts[size_t(bin)];
    });
    for (const size_t i : order)
        tip += QStringLiteral("\n  ") + line(i);
    tip += QLatin1Char('\n')
        + tr("On screen: peak %1 · mean %2").arg(rateText(t.total().peak, unit), rateText(t.total().mean, unit));
    return tip;
}

} // namespace chronoscope::views
