#pragma once

#include <QtGlobal>

#include <functional>
#include <vector>

namespace chronoscope::engine {

class TimelineIndex;

/// Event counts per time bin and event type over a TimelineIndex: what the timeline draws.
///
/// Bins are `binTicks` wide and start at `startTicks` (a multiple of `binTicks`, so bins line up
/// with round times whatever the visible range). compute() only reads per-ordinal fields below a
/// given size, so it may run in a worker while the owner keeps appending (see TimelineIndex).
struct TimelineHistogram
{
    qint64 startTicks = 0;
    qint64 binTicks = 1;
    int bins = 0;
    quint32 types = 0;           ///< type ids 0 .. types-1 (ids of the index's type interner)
    std::vector<quint32> counts; ///< bins × types, bin-major: counts[bin * types + type]
    quint64 events = 0;          ///< events counted (inside the bins)
    quint64 scanned = 0;         ///< ordinals looked at

    quint32 count(int bin, quint32 type) const
    {
        return type < types && bin >= 0 && bin < bins ? counts[size_t(bin) * types + type] : 0;
    }
    quint64 binTotal(int bin) const;
    qint64 binStart(int bin) const { return startTicks + qint64(bin) * binTicks; }
    /// The bin holding `ticks`, or -1 outside.
    int binAt(qint64 ticks) const;

    /// The smallest "round" bin width (1 ms, 2 ms, 5 ms … 1 s, 2 s, 5 s, 10 s, 15 s, 30 s, 1 min …
    /// 1 h, 2 h, 3 h, 6 h, 12 h, 1 day, 2 days, 7 days, 14 days, 30 days, …) that covers `spanTicks`
    /// with at most `maxBins` bins.
    static qint64 niceBinTicks(qint64 spanTicks, int maxBins);

    /// Counts the events of ordinals [0, size) created in [from, to): bins of niceBinTicks(to - from,
    /// maxBins) aligned to multiples of the bin width. `cancelled`, when given, stops the scan early
    /// (the result is then partial). Uses the index's time order to skip events outside the range
    /// only when `monotone` (read TimelineIndex::timeMonotone() on the owner's thread).
    static TimelineHistogram compute(const TimelineIndex &index, quint64 size, qint64 from, qint64 to, int maxBins,
                                     bool monotone, const std::function<bool()> &cancelled = {});
};

} // namespace chronoscope::engine
