#pragma once

#include "timeline/TimelineBins.h"

#include <vector>

namespace chronoscope::engine {

struct TimelineHistogram;

/// One line of the throughput chart: events per bin of the total, of one group, or of the groups
/// folded into "other".
struct ThroughputSeries
{
    enum class Kind { Total, Group, Other };
    Kind kind = Kind::Total;
    quint32 group = 0;           ///< the histogram's group id (Kind::Group only)
    std::vector<quint64> counts; ///< events per bin
    quint64 events = 0;          ///< events in all the bins
    double peak = 0;             ///< the highest rate of a bin, events/s
    double mean = 0;             ///< events / TimelineThroughput::activeSeconds, events/s
};

/// Throughput (events/s) over time: what the timeline draws in its throughput mode.
///
/// Built from a TimelineHistogram (usually grouped by stream category) on the same bins: a rate is
/// a bin's count divided by the bin's seconds. The total always comes first; when the histogram
/// holds events of more than one group and splitting is asked for, one series per group follows
/// — the `maxGroups` groups with the most events (most first, ties by group id), the rest summed
/// into one "other" series last.
///
/// Means are taken over the active span — from the start of the first bin holding an event to the
/// end of the last — so that empty space around the data (the view's margins) does not dilute
/// them, and the groups' means add up to the total's.
struct TimelineThroughput : TimelineBins
{
    std::vector<ThroughputSeries> series; ///< never empty: series.front() is the total
    double activeSeconds = 0;
    /// Where the timeline's events begin and end (ticks; by default the bins' own span). A bin
    /// only partly inside has its rate taken over the part inside: the last bin of a stream that
    /// ends mid-bin is not a drop in throughput.
    qint64 dataFrom = 0;
    qint64 dataTo = 0;

    const ThroughputSeries &total() const { return series.front(); }
    /// Events per second of `series` in `bin` (0 outside, and in a bin with no data time).
    double rate(size_t series, int bin) const;
    /// The seconds of `bin` between dataFrom and dataTo.
    double coveredSeconds(int bin) const;
    /// Whether `bin` has enough data time (a quarter of the bin) for its rate to mean something.
    bool hasRate(int bin) const { return coveredSeconds(bin) >= binSeconds() / 4; }
    /// Sets dataFrom and dataTo, and takes the series' peaks again over the bins that have a rate.
    void setDataSpan(qint64 from, qint64 to);

    static TimelineThroughput fromHistogram(const TimelineHistogram &histogram, bool splitGroups, int maxGroups);
};

} // namespace chronoscope::engine
