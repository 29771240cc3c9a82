#pragma once

#include "TimelineBins.h"

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

    const ThroughputSeries &total() const { return series.front(); }
    /// Events per second of `series` in `bin` (0 outside).
    double rate(size_t series, int bin) const;

    static TimelineThroughput fromHistogram(const TimelineHistogram &histogram, bool splitGroups, int maxGroups);
};

} // namespace chronoscope::engine
