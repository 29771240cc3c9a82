#pragma once

#include <QtGlobal>

namespace chronoscope::engine {

/// Time bins of the timeline: `bins` bins `binTicks` wide from `startTicks` (100 ns ticks).
struct TimelineBins
{
    qint64 startTicks = 0;
    qint64 binTicks = 1;
    int bins = 0;

    qint64 binStart(int bin) const { return startTicks + qint64(bin) * binTicks; }
    qint64 endTicks() const { return binStart(bins); }
    double binSeconds() const { return double(binTicks) / 1e7; }
    /// The bin holding `ticks`, or -1 outside.
    int binAt(qint64 ticks) const
    {
        if (bins <= 0 || ticks < startTicks)
            return -1;
        const qint64 bin = (ticks - startTicks) / binTicks;
        return bin < bins ? int(bin) : -1;
    }
};

} // namespace chronoscope::engine
