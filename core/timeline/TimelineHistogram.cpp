#include "timeline/TimelineHistogram.h"

#include "timeline/TimelineIndex.h"

#include <algorithm>

namespace chronoscope::engine {

namespace {

constexpr qint64 kMs = 10000; // ticks are 100 ns
constexpr qint64 kSecond = 1000 * kMs;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

/// The first ordinal in [0, size) created at or after `ticks` for a time-ordered index.
quint64 firstAtOrAfter(const TimelineIndex &index, quint64 size, qint64 ticks)
{
    quint64 lo = 0, hi = size;
    while (lo < hi) {
        const quint64 mid = lo + (hi - lo) / 2;
        if (index.createdTicks(mid) < ticks)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/// The counting loop, for one way of grouping (a template: no per-event branch or indirect call).
template<typename GroupOf>
void countInto(TimelineHistogram &h, const TimelineIndex &index, quint64 first, quint64 last,
               const std::function<bool()> &cancelled, GroupOf groupOf)
{
    const qint64 end = h.startTicks + qint64(h.bins) * h.binTicks;
    quint32 maxGroup = 0;
    for (quint64 o = first; o < last; ++o)
        maxGroup = std::max(maxGroup, groupOf(o) + 1);
    h.groups = maxGroup;
    h.counts.assign(size_t(h.bins) * h.groups, 0);
    for (quint64 o = first; o < last; ++o) {
        if ((o & 0xffff) == 0 && cancelled && cancelled())
            break;
        ++h.scanned;
        const qint64 t = index.createdTicks(o);
        if (t < h.startTicks || t >= end)
            continue;
        ++h.counts[size_t((t - h.startTicks) / h.binTicks) * h.groups + groupOf(o)];
        ++h.events;
    }
}

} // namespace

quint64 TimelineHistogram::binTotal(int bin) const
{
    quint64 total = 0;
    for (quint32 g = 0; g < groups; ++g)
        total += count(bin, g);
    return total;
}

qint64 TimelineHistogram::niceBinTicks(qint64 spanTicks, int maxBins)
{
    static const qint64 steps[] = {
        kMs,         2 * kMs,      5 * kMs,      10 * kMs,      20 * kMs,     50 * kMs,     100 * kMs,
        200 * kMs,   500 * kMs,    kSecond,      2 * kSecond,   5 * kSecond,  10 * kSecond, 15 * kSecond,
        30 * kSecond, kMinute,     2 * kMinute,  5 * kMinute,   10 * kMinute, 15 * kMinute, 30 * kMinute,
        kHour,       2 * kHour,    3 * kHour,    6 * kHour,     12 * kHour,   kDay,         2 * kDay,
        7 * kDay,    14 * kDay,    30 * kDay,    91 * kDay,     182 * kDay,   365 * kDay};
    maxBins = std::max(1, maxBins);
    spanTicks = std::max<qint64>(1, spanTicks);
    for (const qint64 step : steps) {
        if ((spanTicks + step - 1) / step <= maxBins)
            return step;
    }
    // Centuries of events: whole years.
    const qint64 years = (spanTicks / maxBins) / (365 * kDay) + 1;
    return years * 365 * kDay;
}

TimelineHistogram TimelineHistogram::compute(const TimelineIndex &index, quint64 size, qint64 from, qint64 to,
                                             int maxBins, bool monotone, const std::function<bool()> &cancelled,
                                             Grouping grouping)
{
    TimelineHistogram h;
    h.grouping = grouping;
    if (to <= from)
        to = from + 1;
    h.binTicks = niceBinTicks(to - from, maxBins);
    // Align to the bin width (floor, also for times before 1970).
    h.startTicks = from >= 0 ? from - from % h.binTicks : from - ((from % h.binTicks) + h.binTicks) % h.binTicks;
    h.bins = int((to - h.startTicks + h.binTicks - 1) / h.binTicks);
    const qint64 end = h.startTicks + qint64(h.bins) * h.binTicks;

    quint64 first = 0, last = size;
    if (monotone && size > 0) {
        first = firstAtOrAfter(index, size, h.startTicks);
        last = firstAtOrAfter(index, size, end);
    }
    if (grouping == Grouping::ByCategory)
        countInto(h, index, first, last, cancelled, [&index](quint64 o) { return index.categoryId(o); });
    else
        countInto(h, index, first, last, cancelled, [&index](quint64 o) { return index.typeId(o); });
    return h;
}

} // namespace chronoscope::engine
