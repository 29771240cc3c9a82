#include "timeline/TimelineThroughput.h"

#include "timeline/TimelineHistogram.h"

#include <algorithm>

namespace chronoscope::engine {

namespace {

/// Sums, peak and mean of a series whose counts are filled in.
void finish(ThroughputSeries &s, double binSeconds, double activeSeconds)
{
    s.events = 0;
    quint64 most = 0;
    for (const quint64 n : s.counts) {
        s.events += n;
        most = std::max(most, n);
    }
    s.peak = double(most) / binSeconds;
    s.mean = activeSeconds > 0 ? double(s.events) / activeSeconds : 0.0;
}

} // namespace

double TimelineThroughput::coveredSeconds(int bin) const
{
    if (bin < 0 || bin >= bins)
        return 0.0;
    // dataTo is the last event's time: its whole tick belongs to the data.
    const qint64 from = std::max(binStart(bin), dataFrom);
    const qint64 to = std::min(binStart(bin + 1), dataTo + 1);
    return to > from ? double(to - from) / 1e7 : 0.0;
}

double TimelineThroughput::rate(size_t s, int bin) const
{
    if (s >= series.size() || bin < 0 || bin >= bins)
        return 0.0;
    const double seconds = coveredSeconds(bin);
    return seconds > 0 ? double(series[s].counts[size_t(bin)]) / seconds : 0.0;
}

void TimelineThroughput::setDataSpan(qint64 from, qint64 to)
{
    dataFrom = from;
    dataTo = to;
    for (size_t i = 0; i < series.size(); ++i) {
        double peak = 0;
        for (int bin = 0; bin < bins; ++bin) {
            if (hasRate(bin))
                peak = std::max(peak, rate(i, bin));
        }
        series[i].peak = peak;
    }
}

TimelineThroughput TimelineThroughput::fromHistogram(const TimelineHistogram &h, bool splitGroups, int maxGroups)
{
    TimelineThroughput t;
    static_cast<TimelineBins &>(t) = h;
    t.dataFrom = t.startTicks;
    t.dataTo = t.endTicks() - 1;
    const size_t bins = size_t(std::max(0, h.bins));

    ThroughputSeries total;
    total.counts.assign(bins, 0);
    std::vector<quint64> groupEvents(h.groups, 0);
    for (int bin = 0; bin < h.bins; ++bin) {
        for (quint32 g = 0; g < h.groups; ++g) {
            const quint32 n = h.count(bin, g);
            total.counts[size_t(bin)] += n;
            groupEvents[g] += n;
        }
    }
    const auto busy = [](quint64 n) { return n > 0; };
    const auto firstBusy = std::find_if(total.counts.begin(), total.counts.end(), busy);
    if (firstBusy != total.counts.end()) {
        const auto lastBusy = std::find_if(total.counts.rbegin(), total.counts.rend(), busy);
        const auto activeBins = (total.counts.rend() - lastBusy) - (firstBusy - total.counts.begin());
        t.activeSeconds = double(activeBins) * t.binSeconds();
    }
    finish(total, t.binSeconds(), t.activeSeconds);
    t.series.push_back(std::move(total));

    std::vector<quint32> present;
    for (quint32 g = 0; g < h.groups; ++g) {
        if (groupEvents[g] > 0)
            present.push_back(g);
    }
    if (!splitGroups || present.size() < 2)
        return t;
    std::stable_sort(present.begin(), present.end(),
                     [&groupEvents](quint32 a, quint32 b) { return groupEvents[a] > groupEvents[b]; });
    // "Other" standing for a single group would only hide its name: show that one too.
    const size_t keep = present.size() <= size_t(std::max(1, maxGroups)) + 1 ? present.size()
                                                                              : size_t(std::max(1, maxGroups));
    ThroughputSeries other;
    other.kind = ThroughputSeries::Kind::Other;
    other.counts.assign(bins, 0);
    for (size_t i = 0; i < present.size(); ++i) {
        const quint32 g = present[i];
        if (i < keep) {
            ThroughputSeries s;
            s.kind = ThroughputSeries::Kind::Group;
            s.group = g;
            s.counts.resize(bins);
            for (size_t bin = 0; bin < bins; ++bin)
                s.counts[bin] = h.count(int(bin), g);
            finish(s, t.binSeconds(), t.activeSeconds);
            t.series.push_back(std::move(s));
        } else {
            for (size_t bin = 0; bin < bins; ++bin)
                other.counts[bin] += h.count(int(bin), g);
        }
    }
    if (keep < present.size()) {
        finish(other, t.binSeconds(), t.activeSeconds);
        t.series.push_back(std::move(other));
    }
    return t;
}

} // namespace chronoscope::engine
