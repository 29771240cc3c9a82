#include "readmodel/RowAgreement.h"

#include "fold/FoldEngine.h"
#include "fold/TimelineQueries.h"
#include "json/JsonDiff.h"
#include "timeline/TimelineIndex.h"

#include <QSet>

#include <algorithm>

namespace chronoscope::readmodel {

QList<PathAgreement> RowAgreement::differences(const QJsonObject &foldShape, const QJsonObject &rowShape)
{
    engine::DiffOptions options;
    options.buildTree = false;
    const engine::DiffResult diff = engine::JsonDiff::diff(foldShape, rowShape, options);
    QList<PathAgreement> out;
    QSet<QString> seen;
    for (const engine::DiffEntry &e : diff.entries) {
        const QString path = e.path.display();
        if (seen.contains(path))
            continue;
        seen.insert(path);
        out.append(PathAgreement{path, e.before, e.after, std::nullopt}); // before is the fold, after the row
    }
    return out;
}

AgreementResult RowAgreement::find(engine::FoldEngine &engine, const ReadModelMapping &mapping,
                                   const QJsonObject &rowShape, const std::atomic<bool> *cancel,
                                   const QString &aggregateId)
{
    AgreementResult result;
    result.size = engine.index().size();
    engine::TimelineQueries queries(engine);

    // The head first: from the checkpoints, the cheap answer when they agree.
    const engine::FoldEngine::StateResult head = engine.stateAfter(result.size);
    if (!head.ok()) {
        result.cancelled = head.run.cancelled;
        result.error = head.run.error.isEmpty() ? QStringLiteral("the reducer stopped before the head")
                                                : head.run.error;
        return result;
    }
    result.headShape = mapping.foldShape(head.state, &result.problems, aggregateId);
    result.paths = differences(result.headShape, rowShape);
    if (result.paths.isEmpty()) {
        result.verdict = AgreementResult::Verdict::Equal;
        result.lastEqualCount = result.size;
        ++result.evaluations;
        return result;
    }

    // Every state in order, from the initial one: the linear bisect calls the predicate for n = 0, 1, 2, …
    // (it stops at the first state where it holds, so it never holds: every state is seen).
    quint64 n = 0;
    const auto record = [&](const QJsonValue &state) {
        const QJsonObject shape = mapping.foldShape(state, nullptr, aggregateId);
        const QList<PathAgreement> diff = differences(shape, rowShape);
        if (diff.isEmpty()) {
            if (!result.firstEqualCount)
                result.firstEqualCount = n;
            result.lastEqualCount = n;
        }
        // A path agrees when no difference lies at it, above it (a whole object missing) or below it.
        const auto touches = [&diff](const QString &path) {
            return std::any_of(diff.begin(), diff.end(), [&path](const PathAgreement &d) {
                return d.path == path || path.startsWith(d.path + QLatin1Char('/'))
                    || d.path.startsWith(path + QLatin1Char('/'));
            });
        };
        for (PathAgreement &p : result.paths)
            if (!touches(p.path))
                p.lastEqualCount = n;
        ++n;
        return false;
    };
    const engine::TimelineQueries::BisectResult run = queries.bisect(record, false, cancel);
    result.evaluations = run.evaluations + 1;
    if (run.cancelled || !run.error.isEmpty()) {
        result.cancelled = run.cancelled;
        result.error = run.error;
        result.lastEqualCount.reset();
        result.firstEqualCount.reset();
        return result;
    }
    result.verdict = result.lastEqualCount ? AgreementResult::Verdict::Since : AgreementResult::Verdict::Never;
    return result;
}

} // namespace chronoscope::readmodel
