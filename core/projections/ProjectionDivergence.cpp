// ProjectionCompare::firstDivergence: which event of a partition made two sources part.
#include "projections/ProjectionCompare.h"

#include "client/StreamsClient.h"
#include "json/JsonDiff.h"
#include "script/JsReducer.h"

#include <QJsonObject>

namespace chronoscope::projections {

namespace {

QJsonValue partitionState(const engine::JsReducer &reducer, const QString &partition)
{
    const QJsonValue all = reducer.state();
    return reducer.isPartitioned() ? all.toObject().value(partition) : all;
}

std::unique_ptr<engine::JsReducer> reducerOf(const QString &source, const QString &fileName, QString *problem)
{
    engine::JsReducerOptions options;
    options.source = source;
    options.fileName = fileName;
    engine::ScriptError error;
    std::unique_ptr<engine::JsReducer> reducer = engine::JsReducer::create(options, &error);
    if (!reducer)
        *problem = fileName + QStringLiteral(": ") + error.message;
    else
        reducer->reset();
    return reducer;
}

} // namespace

PartitionDivergence ProjectionCompare::firstDivergence(const StreamsClient &streams, const QString &sourceA,
                                                       const QString &sourceB, const QString &partition,
                                                       const QList<PartitionEvent> &events,
                                                       const CancellationPtr &cancel,
                                                       const std::function<void(int done)> &progress)
{
    PartitionDivergence out;
    const auto a = reducerOf(sourceA, QStringLiteral("a.js"), &out.problem);
    const auto b = a ? reducerOf(sourceB, QStringLiteral("b.js"), &out.problem) : nullptr;
    if (!a || !b)
        return out;
    for (int i = 0; i < events.size(); ++i) {
        if (cancel && cancel->isCancelled()) {
            out.cancelled = true;
            return out;
        }
        const PartitionEvent &ref = events.at(i);
        std::optional<RecordedEvent> event;
        const ReadSummary read = streams.read(
            ReadRequest::forStream(ref.stream).fromRevision(ref.revision).count(1),
            [&](ResolvedEvent &&r) {
                if (r.event)
                    event = std::move(*r.event);
                return false;
            },
            cancel);
        if (read.error && read.error.kind == ClientError::Kind::Cancelled) {
            out.cancelled = true;
            return out;
        }
        if (read.error || !event) {
            out.error = read.error
                ? read.error
                : ClientError::protocol(
                    QStringLiteral("event %1@%2 is gone").arg(ref.revision).arg(QString::fromUtf8(ref.stream)));
            return out;
        }
        const engine::FoldEvent fold{&*event, nullptr, quint64(i)};
        a->fold(&fold, 1);
        b->fold(&fold, 1);
        out.eventsRead = i + 1;
        if (progress)
            progress(i + 1);
        const QJsonValue stateA = partitionState(*a, partition), stateB = partitionState(*b, partition);
        engine::DiffOptions options;
        options.buildTree = false;
        if (!engine::JsonDiff::diff(stateA, stateB, options).isEmpty()) {
            out.index = i;
            out.createdMs = event->createdMsecsSinceEpoch();
            out.before = stateA;
            out.after = stateB;
            return out;
        }
    }
    return out;
}

} // namespace chronoscope::projections
