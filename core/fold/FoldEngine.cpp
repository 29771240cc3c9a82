#include "fold/FoldEngine.h"

#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QElapsedTimer>

#include <algorithm>

namespace chronoscope::engine {

namespace {
constexpr quint64 kFirstInterval = 256; ///< until the fold cost has been measured
constexpr qint64 kProgressEveryNs = 20 * 1000 * 1000;
} // namespace

FoldEngine::FoldEngine(const TimelineIndex &index, PayloadCache &payloads, std::unique_ptr<Reducer> reducer)
    : m_index(index), m_payloads(payloads)
{
    setReducer(std::move(reducer));
}

FoldEngine::~FoldEngine() = default;

void FoldEngine::setOptions(const Options &options)
{
    m_options = options;
    m_interval = m_options.fixedInterval ? m_options.fixedInterval : kFirstInterval;
}

void FoldEngine::setReducer(std::unique_ptr<Reducer> reducer)
{
    m_prototype = std::move(reducer);
    m_prototype->reset();
    m_builder.reset();
    m_query.reset();
    m_queryValid = false;
    m_checkpoints.clear();
    m_builtTo = 0;
    m_buildErrors.clear();
    m_buildErrorCount = 0;
    m_interval = m_options.fixedInterval ? m_options.fixedInterval : kFirstInterval;
}

std::unique_ptr<Reducer> FoldEngine::newReducer() const
{
    auto r = m_prototype->clone();
    r->reset();
    return r;
}

double FoldEngine::meanInterval() const
{
    return m_checkpoints.size() < 2 ? 0.0 : double(m_checkpoints.back().count) / double(m_checkpoints.size() - 1);
}

void FoldEngine::addErrors(FoldRun &into, const FoldRun &from)
{
    into.errorCount += from.errorCount;
    for (const FoldError &e : from.errors) {
        if (into.errors.size() >= FoldRun::kMaxErrors)
            break;
        into.errors.append(e);
    }
}

FoldRun FoldEngine::fold(Reducer &reducer, quint64 from, quint64 to, const std::function<bool(quint64)> &skip,
                         const std::atomic<bool> *cancel)
{
    FoldRun run;
    std::vector<FoldEvent> batch;
    quint64 ordinal = from;
    while (ordinal < to) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            run.cancelled = true;
            break;
        }
        const PayloadCache::BlockResult block = m_payloads.blockFor(ordinal);
        if (!block.events) {
            run.error = block.error;
            break;
        }
        const quint64 end = std::min<quint64>(to, block.first + quint64(block.events->size()));
        batch.clear();
        for (quint64 o = ordinal; o < end; ++o) {
            if (skip && skip(o))
                continue;
            batch.push_back(FoldEvent{&block.events->at(qsizetype(o - block.first)), nullptr, o});
        }
        const FoldResult r = reducer.fold(batch.data(), qsizetype(batch.size()));
        run.folded += r.folded;
        run.errorCount += quint64(r.errors.size());
        for (const FoldError &e : r.errors)
            if (run.errors.size() < FoldRun::kMaxErrors)
                run.errors.append(e);
        if (r.stopped() || r.folded < quint64(batch.size())) {
            run.stopped = true;
            break;
        }
        ordinal = end;
    }
    return run;
}

FoldRun FoldEngine::build(const std::atomic<bool> *cancel, const Progress &progress)
{
    FoldRun total;
    if (!m_builder) {
        m_builder = newReducer();
        m_checkpoints.clear();
        m_checkpoints.push_back(Checkpoint{0, m_builder->state()});
        m_builtTo = 0;
    }
    const quint64 size = m_index.size();
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    while (m_builtTo < size) {
        const quint64 next = std::min(size, std::max(m_checkpoints.back().count + m_interval, m_builtTo + 1));
        QElapsedTimer timer;
        timer.start();
        const FoldRun run = fold(*m_builder, m_builtTo, next, {}, cancel);
        const qint64 foldNs = timer.nsecsElapsed();
        addErrors(total, run);
        total.folded += run.folded;
        for (const FoldError &e : run.errors)
            if (m_buildErrors.size() < FoldRun::kMaxErrors)
                m_buildErrors.append(e);
        m_buildErrorCount += run.errorCount;
        if (run.stopped || !run.error.isEmpty()) {
            // The builder's state is not trustworthy past a failure: go back to the last checkpoint,
            // so a later build() meets the same event again and reports it again.
            total.stopped = run.stopped;
            total.error = run.error;
            m_builder->restore(m_checkpoints.back().state);
            m_builtTo = m_checkpoints.back().count;
            break;
        }
        m_builtTo += run.folded;
        if (run.cancelled) {
            total.cancelled = true;
            break;
        }
        if (m_builtTo == m_checkpoints.back().count + m_interval) {
            timer.restart();
            m_checkpoints.push_back(Checkpoint{m_builtTo, m_builder->state()});
            const qint64 snapshotNs = timer.nsecsElapsed();
            if (!m_options.fixedInterval && run.folded > 0) {
                // K from the cost just measured: replaying K events should take about the target,
                // and no less than taking the snapshot did.
                const double nsPerEvent = std::max(1.0, double(foldNs) / double(run.folded));
                const double targetNs = std::max(m_options.targetReplayMs * 1e6, double(snapshotNs));
                m_interval = std::clamp(quint64(targetNs / nsPerEvent), m_options.minInterval, m_options.maxInterval);
            }
        }
        if (progress && sinceProgress.nsecsElapsed() >= kProgressEveryNs) {
            sinceProgress.restart();
            if (!progress(m_builtTo, size)) {
                total.cancelled = true;
                break;
            }
        }
    }
    if (progress && !total.cancelled)
        progress(m_builtTo, size);
    return total;
}

quint64 FoldEngine::restoreNearest(Reducer &reducer, quint64 count) const
{
    if (m_checkpoints.empty()) {
        reducer.reset();
        return 0;
    }
    auto it = std::upper_bound(m_checkpoints.begin(), m_checkpoints.end(), count,
                               [](quint64 c, const Checkpoint &cp) { return c < cp.count; });
    --it; // checkpoint 0 is always there
    reducer.restore(it->state);
    return it->count;
}

FoldEngine::StateResult FoldEngine::stateAfter(quint64 count)
{
    StateResult result;
    count = std::min(count, m_index.size());
    result.count = count;
    if (!m_checkpoints.empty()) {
        auto it = std::upper_bound(m_checkpoints.begin(), m_checkpoints.end(), count,
                                   [](quint64 c, const Checkpoint &cp) { return c < cp.count; });
        const Checkpoint &cp = *(it - 1);
        if (cp.count == count) {
            result.state = cp.state;
            return result;
        }
        // Stepping forwards from the previous answer beats going back to the checkpoint.
        if (!(m_queryValid && m_queryAt <= count && m_queryAt >= cp.count)) {
            if (!m_query)
                m_query = newReducer();
            m_query->restore(cp.state);
            m_queryAt = cp.count;
        }
    } else if (!(m_queryValid && m_queryAt <= count)) {
        if (!m_query)
            m_query = newReducer();
        m_query->reset();
        m_queryAt = 0;
    }
    result.run = fold(*m_query, m_queryAt, count);
    result.replayed = result.run.folded;
    m_queryAt += result.run.folded;
    m_queryValid = result.run.completed();
    result.count = m_queryAt;
    result.state = m_query->state();
    return result;
}

} // namespace chronoscope::engine
