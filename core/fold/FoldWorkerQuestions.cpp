// FoldWorker's long questions, bisect and what-if: each folds much of the timeline, reports
// progress and stops on its own flag.
#include "fold/FoldWorker.h"

#include "fold/FoldEngine.h"
#include "fold/TimelineQueries.h"
#include "timeline/TimelineIndex.h"

#include <QElapsedTimer>
#include <QUuid>

namespace chronoscope {

using namespace engine;

void FoldWorker::runBisect(const BisectRequest &request)
{
    BisectOutcome out;
    out.generation = m_workGeneration;
    out.predicate = request.spec.describe();
    out.binary = request.monotone;
    QString error;
    std::unique_ptr<StatePredicate> predicate = StatePredicate::create(request.spec, &error);
    if (!predicate) {
        out.error = error;
    } else if (!m_engine) {
        out.error = QStringLiteral("no timeline is loaded");
    } else {
        // Binary search walks the checkpoints: build them to the end first (progress as the search's).
        m_engine->build(&m_stopBisect, [this](quint64 done, quint64 total) {
            if (m_out.bisectProgress)
                m_out.bisectProgress(m_workGeneration, done, total);
            return !m_stopBisect.load();
        });
        const quint64 total = m_timeline.index->size();
        quint64 evaluations = 0;
        QElapsedTimer sinceProgress;
        sinceProgress.start();
        TimelineQueries queries(*m_engine);
        const auto result = queries.bisect(
            [&](const QJsonValue &state) {
                ++evaluations;
                if (m_out.bisectProgress && sinceProgress.elapsed() >= 100) {
                    sinceProgress.restart();
                    m_out.bisectProgress(m_workGeneration, evaluations, total);
                }
                return predicate->holds(state);
            },
            request.monotone, &m_stopBisect);
        out.ordinal = result.ordinal;
        out.holdsInitially = result.holdsInitially;
        out.binary = result.method == TimelineQueries::BisectMethod::Binary;
        out.folds = result.folds;
        out.evaluations = result.evaluations;
        out.error = result.error;
        out.cancelled = result.cancelled || m_stopBisect;
        out.predicateError = predicate->lastError();
    }
    if (m_out.bisect)
        m_out.bisect(out);
}

void FoldWorker::runWhatIf(const WhatIfRequest &request)
{
    WhatIfOutcome out;
    out.generation = m_workGeneration;
    out.requestId = request.id;
    out.excluded = request.exclude;
    out.inserted = request.insert;
    out.upTo = request.upTo;
    if (!m_engine) {
        out.error = QStringLiteral("no timeline is loaded");
    } else {
        TimelineQueries queries(*m_engine);
        TimelineQueries::WhatIf q;
        q.exclude = request.exclude;
        q.upTo = request.upTo;
        const engine::TimelineIndex &index = m_engine->index();
        for (const WhatIfInsertion &i : request.insert) {
            // A hypothetical event of the timeline's stream, at the time of the event it follows.
            TimelineQueries::Insertion in;
            in.after = i.after;
            in.event.id = QUuid::createUuid();
            in.event.type = i.type;
            in.event.contentType = "application/json";
            in.event.data = i.data;
            in.event.metadata = i.metadata.isEmpty() ? QByteArray("{}") : i.metadata;
            const quint64 near = i.after >= 0 ? quint64(i.after) : 0;
            if (near < index.size())
                in.event.streamId = index.streamName(near);
            if (i.after >= 0 && quint64(i.after) < index.size()) {
                in.event.createdTicks = index.createdTicks(quint64(i.after));
                in.event.revision = index.revision(quint64(i.after)) + 1;
            }
            q.insert.append(in);
        }
        // Progress at most every 100 ms (and at the start and the end): the GUI gets a few posts, not one per slice.
        QElapsedTimer sinceProgress;
        const TimelineQueries::WhatIfResult r = queries.whatIf(q, &m_stopWhatIf, [&](quint64 done, quint64 total) {
            if (!m_out.whatIfProgress || (sinceProgress.isValid() && sinceProgress.elapsed() < 100 && done < total))
                return;
            sinceProgress.start();
            m_out.whatIfProgress(m_workGeneration, request.id, done, total);
        });
        out.cancelled = r.cancelled;
        out.whatIf = r.whatIf;
        out.actual = r.actual;
        out.errors = r.errors;
        out.error = r.error;
        if (r.ok())
            out.diff = JsonDiff::diff(r.actual, r.whatIf, diffOptions());
    }
    if (m_out.whatIf)
        m_out.whatIf(out);
}

} // namespace chronoscope
