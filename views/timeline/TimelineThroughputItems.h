#pragma once

#include "timeline/TimelineThroughput.h"

#include <QColor>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include <functional>

class QCPGraph;
class QCustomPlot;
class QPalette;

namespace chronoscope::views {

/// What the timeline draws in throughput mode: events/s per bin as one line per series of a
/// TimelineThroughput — the total (drawn strongest, with a light fill), the top stream categories
/// and "other" — named in the legend with their peak and mean. A category keeps its colour while
/// the view zooms (colours go by category id, as the density bars' go by type id).
/// x is seconds since the Unix epoch (what QCPAxisTickerDateTime reads), y events per second.
class TimelineThroughputItems
{
    Q_DECLARE_TR_FUNCTIONS(TimelineThroughputItems)
public:
    explicit TimelineThroughputItems(QCustomPlot *plot);

    /// A rate's unit on screen: events per `seconds`, written with `suffix`.
    struct RateUnit
    {
        double seconds = 1;
        const char *suffix = "/s";
    };
    /// Per second, minute, hour or day: the first in which `peakPerSecond` reads as at least 1.
    static RateUnit rateUnitFor(double peakPerSecond);

    /// Rebuilds the lines; `groupName` names a group id of the throughput's histogram. Only the bins
    /// with a rate (TimelineThroughput::hasRate(): inside the timeline's first and last events)
    /// are drawn: before the first event and after the last there is no throughput to speak of,
    /// and a line dropping to zero in the view's margins would read as an outage.
    void setThroughput(const engine::TimelineThroughput &throughput, const std::function<QString(quint32)> &groupName);
    /// The unit of the y axis since the last setThroughput().
    RateUnit unit() const { return m_unit; }
    void clear();
    /// The highest rate on screen (events per unit()).
    double maxRate() const { return m_maxRate; }
    /// The lines, in the throughput's series order (the total first).
    const QList<QCPGraph *> &graphs() const { return m_graphs; }

    void restyle(const QPalette &palette);

    /// The name of a series in the legend and tooltips (before its figures).
    static QString seriesName(const engine::ThroughputSeries &series, const std::function<QString(quint32)> &groupName);
    /// "1 event", "1,250 events" (spelled out: without a translation loaded, %n plurals show "event(s)").
    static QString eventCountText(quint64 events);
    /// "12.5/s", "48.6/h", "1,250/s": a rate in `unit` with about three significant digits.
    static QString rateText(double eventsPerSecond, const RateUnit &unit);
    static QString rateText(double eventsPerSecond); ///< per second
    /// The tooltip's lines for `bin`: each series' rate and count there (biggest first under the
    /// total), then the total's peak and mean on screen.
    static QString toolTipText(const engine::TimelineThroughput &throughput, int bin,
                               const std::function<QString(quint32)> &groupName);

private:
    void styleGraph(QCPGraph *graph, engine::ThroughputSeries::Kind kind, quint32 group, bool alone) const;

    QCustomPlot *m_plot;
    QList<QCPGraph *> m_graphs;
    std::vector<std::pair<engine::ThroughputSeries::Kind, quint32>> m_series; ///< of m_graphs
    QColor m_text;
    double m_maxRate = 0;
    RateUnit m_unit;
};

} // namespace chronoscope::views
