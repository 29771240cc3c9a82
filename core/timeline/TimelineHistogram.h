#pragma once

#include "timeline/TimelineBins.h"

#include <functional>
#include <vector>

namespace chronoscope::engine {

class TimelineIndex;

/// Event counts per time bin and group — event type, or stream category — over a TimelineIndex:
/// what the timeline draws (density by type; throughput by category, see TimelineThroughput).
///
/// Bins are `binTicks` wide and start at `startTicks` (a multiple of `binTicks`, so bins line up
/// with round times whatever the visible range). compute() only reads per-ordinal fields below a
/// given size, so it may run in a worker while the owner keeps appending (see TimelineIndex).
struct TimelineHistogram : TimelineBins
{
    /// What an event is counted under.
    enum class Grouping {
        ByType,     ///< its type id (the index's types())
        ByCategory, ///< its stream's category id (the index's categories().names())
    };

    Grouping grouping = Grouping::ByType;
    quint32 groups = 0;          ///< group ids 0 .. groups-1
    std::vector<quint32> counts; ///< bins × groups, bin-major: counts[bin * groups + group]
    quint64 events = 0;          ///< events counted (inside the bins)
    quint64 scanned = 0;         ///< ordinals looked at

    quint32 count(int bin, quint32 group) const
    {
        return group < groups && bin >= 0 && bin < bins ? counts[size_t(bin) * groups + group] : 0;
    }
    quint64 binTotal(int bin) const;

    /// The smallest "round" bin width (1 ms, 2 ms, 5 ms … 1 s, 2 s, 5 s, 10 s, 15 s, 30 s, 1 min …
    /// 1 h, 2 h, 3 h, 6 h, 12 h, 1 day, 2 days, 7 days, 14 days, 30 days, …) that covers `spanTicks`
    /// with at most `maxBins` bins.
    static qint64 niceBinTicks(qint64 spanTicks, int maxBins);

    /// Counts the events of ordinals [0, size) created in [from, to): bins of niceBinTicks(to - from,
    /// maxBins) aligned to multiples of the bin width (the first and last bins may reach past the
    /// range: they are counted whole). `cancelled`, when given, stops the scan early (the result is
    /// then partial). Uses the index's time order to skip events outside the range only when
    /// `monotone` (read TimelineIndex::timeMonotone() on the owner's thread).
    static TimelineHistogram compute(const TimelineIndex &index, quint64 size, qint64 from, qint64 to, int maxBins,
                                     bool monotone, const std::function<bool()> &cancelled = {},
                                     Grouping grouping = Grouping::ByType);
};

} // namespace chronoscope::engine
