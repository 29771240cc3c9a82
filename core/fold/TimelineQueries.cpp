#include "fold/TimelineQueries.h"

#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <algorithm>

namespace chronoscope::engine {

void TimelineQueries::appendErrors(QList<FoldError> &into, const FoldRun &run)
{
    for (const FoldError &e : run.errors)
        if (into.size() < FoldRun::kMaxErrors)
            into.append(e);
}

TimelineQueries::PointState TimelineQueries::stateAfter(quint64 count)
{
    PointState p;
    if (count > m_engine.index().size()) {
        p.error = QStringLiteral("the timeline has %1 events, not %2").arg(m_engine.index().size()).arg(count);
        return p;
    }
    FoldEngine::StateResult r = m_engine.stateAfter(count);
    p.state = r.state;
    p.count = r.count;
    if (r.count > 0)
        p.ordinal = r.count - 1;
    p.replayed = r.replayed;
    p.errors = r.run.errors;
    if (!r.run.error.isEmpty())
        p.error = r.run.error;
    else if (r.run.stopped)
        p.error = QStringLiteral("the reducer stopped at event %1").arg(r.count);
    return p;
}

TimelineQueries::PointState TimelineQueries::stateAtRevision(quint64 revision, QByteArrayView stream)
{
    const TimelineIndex &index = m_engine.index();
    const std::optional<quint64> ordinal = stream.isEmpty() ? index.findRevision(revision)
                                                            : index.findRevision(stream, revision);
    if (!ordinal) {
        PointState p;
        p.error = stream.isEmpty() ? QStringLiteral("no event at revision %1").arg(revision)
                                   : QStringLiteral("no event at revision %1 of stream %2")
                                         .arg(revision)
                                         .arg(QString::fromUtf8(stream.toByteArray()));
        return p;
    }
    return stateAfter(*ordinal + 1);
}

TimelineQueries::PointState TimelineQueries::stateAtTime(qint64 createdTicks)
{
    return stateAfter(m_engine.index().firstAfter(createdTicks));
}

FetchResult TimelineQueries::eventsBetween(quint64 from, quint64 to)
{
    if (to <= from)
        return {};
    return m_engine.payloads().events(from, to - from);
}

std::pair<quint64, quint64> TimelineQueries::ordinalsBetweenTimes(qint64 fromTicks, qint64 toTicks) const
{
    const TimelineIndex &index = m_engine.index();
    const quint64 first = index.firstAfter(fromTicks);
    return {first, std::max(first, index.firstAfter(toTicks))};
}

TimelineQueries::BisectResult TimelineQueries::bisect(const Predicate &predicate, bool monotone,
                                                      const std::atomic<bool> *cancel)
{
    return monotone ? bisectBinary(predicate, cancel) : bisectLinear(predicate, cancel);
}

TimelineQueries::BisectResult TimelineQueries::bisectLinear(const Predicate &predicate,
                                                            const std::atomic<bool> *cancel)
{
    BisectResult result;
    result.method = BisectMethod::Linear;
    auto reducer = m_engine.newReducer();
    ++result.evaluations;
    if (predicate(reducer->state())) {
        result.holdsInitially = true;
        return result;
    }
    const quint64 size = m_engine.index().size();
    for (quint64 o = 0; o < size; ++o) {
        const FoldRun run = m_engine.fold(*reducer, o, o + 1, {}, cancel);
        result.folds += run.folded;
        appendErrors(result.errors, run);
        if (run.cancelled) {
            result.cancelled = true;
            return result;
        }
        if (!run.completed()) {
            result.error = run.error.isEmpty() ? QStringLiteral("the reducer stopped at event %1").arg(o) : run.error;
            return result;
        }
        ++result.evaluations;
        if (predicate(reducer->state())) {
            result.ordinal = o;
            return result;
        }
    }
    return result;
}

TimelineQueries::BisectResult TimelineQueries::bisectBinary(const Predicate &predicate,
                                                            const std::atomic<bool> *cancel)
{
    BisectResult result;
    result.method = BisectMethod::Binary;
    const quint64 size = m_engine.index().size();
    if (m_engine.builtTo() < size) {
        const FoldRun run = m_engine.build(cancel);
        result.folds += run.folded;
        appendErrors(result.errors, run);
        if (!run.completed()) {
            result.cancelled = run.cancelled;
            result.error = run.cancelled ? QString() : run.error.isEmpty() ? QStringLiteral("the reducer stopped") : run.error;
            return result;
        }
    }
    const std::vector<Checkpoint> &cps = m_engine.checkpoints();
    ++result.evaluations;
    if (predicate(cps.front().state)) {
        result.holdsInitially = true;
        return result;
    }
    // The first checkpoint at which the predicate holds; the answer lies after the one before it.
    size_t lo = 0, hi = cps.size(); // predicate false at cps[lo]; true at cps[hi] (if hi < size)
    while (hi - lo > 1) {
        const size_t mid = lo + (hi - lo) / 2;
        ++result.evaluations;
        if (predicate(cps[mid].state))
            hi = mid;
        else
            lo = mid;
    }
    quint64 low = cps[lo].count; // predicate false after `low` events
    quint64 high = hi < cps.size() ? cps[hi].count : size;
    auto reducer = m_engine.newReducer();
    reducer->restore(cps[lo].state);
    QJsonValue lowState = cps[lo].state;
    quint64 at = low;
    auto advanceTo = [&](quint64 count) -> bool {
        if (at > count) {
            reducer->restore(lowState);
            at = low;
        }
        const FoldRun run = m_engine.fold(*reducer, at, count, {}, cancel);
        result.folds += run.folded;
        appendErrors(result.errors, run);
        at += run.folded;
        if (run.cancelled)
            result.cancelled = true;
        else if (!run.completed())
            result.error = run.error.isEmpty() ? QStringLiteral("the reducer stopped at event %1").arg(at) : run.error;
        return run.completed();
    };
    if (hi == cps.size()) {
        // No checkpoint satisfies it: check the end of the timeline before searching the tail.
        if (low == high)
            return result;
        if (!advanceTo(high))
            return result;
        ++result.evaluations;
        if (!predicate(reducer->state()))
            return result;
    }
    // Invariant: false after `low` events (reducer state `lowState`), true after `high`.
    while (high - low > 1) {
        const quint64 mid = low + (high - low) / 2;
        if (!advanceTo(mid))
            return result;
        QJsonValue state = reducer->state();
        ++result.evaluations;
        if (predicate(state)) {
            high = mid;
        } else {
            low = mid;
            lowState = std::move(state);
        }
    }
    result.ordinal = high - 1;
    return result;
}

TimelineQueries::WhatIfResult TimelineQueries::whatIf(const WhatIf &request, const std::atomic<bool> *cancel,
                                                      const WhatIfProgress &progress)
{
    WhatIfResult result;
    const quint64 size = m_engine.index().size();
    if (request.upTo > size) {
        result.error = QStringLiteral("the timeline has %1 events, not %2").arg(size).arg(request.upTo);
        return result;
    }
    std::vector<quint64> excluded(request.exclude.begin(), request.exclude.end());
    std::sort(excluded.begin(), excluded.end());
    QList<Insertion> inserts;
    for (const Insertion &i : request.insert) {
        if (i.after < -1 || i.after >= qint64(request.upTo)) {
            result.error = QStringLiteral("cannot insert after ordinal %1: the what-if covers ordinals 0 to %2")
                               .arg(i.after)
                               .arg(qint64(request.upTo) - 1);
            return result;
        }
        inserts.append(i);
    }
    std::stable_sort(inserts.begin(), inserts.end(),
                     [](const Insertion &a, const Insertion &b) { return a.after < b.after; });

    // Everything before the first change is the real timeline: start from the checkpoint before it.
    quint64 diverge = request.upTo;
    if (!excluded.empty())
        diverge = std::min(diverge, excluded.front());
    if (!inserts.isEmpty())
        diverge = std::min(diverge, quint64(inserts.front().after + 1));
    auto actual = m_engine.newReducer();
    quint64 actualAt = m_engine.restoreNearest(*actual, request.upTo);
    auto reducer = m_engine.newReducer();
    quint64 at = m_engine.restoreNearest(*reducer, diverge);

    // Both folds go in slices so that progress is reported and a cancel is seen between them.
    const quint64 total = (request.upTo - actualAt) + (request.upTo - at);
    quint64 done = 0;
    if (progress)
        progress(0, total);
    const auto skip = [&](quint64 o) { return std::binary_search(excluded.begin(), excluded.end(), o); };
    auto foldTo = [&](Reducer &into, quint64 &from, quint64 to, bool whatIf) {
        while (from < to) {
            const quint64 end = std::min(to, from + kWhatIfSlice);
            const FoldRun run = m_engine.fold(into, from, end, whatIf ? std::function<bool(quint64)>(skip) : nullptr, cancel);
            if (whatIf) {
                result.folds += run.folded;
                appendErrors(result.errors, run);
            }
            if (run.cancelled) {
                result.cancelled = true;
                return false;
            }
            if (!run.completed()) {
                result.error = run.error.isEmpty() ? QStringLiteral("the reducer stopped") : run.error;
                return false;
            }
            done += end - from;
            from = end;
            if (progress)
                progress(done, total);
        }
        return true;
    };
    if (!foldTo(*actual, actualAt, request.upTo, false))
        return result;
    for (const Insertion &i : std::as_const(inserts)) {
        if (!foldTo(*reducer, at, quint64(i.after + 1), true))
            return result;
        const FoldEvent hypothetical{&i.event, nullptr, quint64(i.after + 1)};
        const FoldResult r = reducer->fold(&hypothetical, 1);
        result.folds += r.folded;
        for (const FoldError &e : r.errors)
            result.errors.append(e);
        if (r.stopped()) {
            result.error = QStringLiteral("the reducer stopped at the hypothetical event after ordinal %1").arg(i.after);
            return result;
        }
    }
    if (!foldTo(*reducer, at, request.upTo, true))
        return result;
    result.actual = actual->state();
    result.whatIf = reducer->state();
    return result;
}

} // namespace chronoscope::engine
