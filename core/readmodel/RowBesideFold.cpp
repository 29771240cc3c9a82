#include "readmodel/RowBesideFold.h"

#include "fold/FoldEngine.h"
#include "fold/MergeReducer.h"
#include "readmodel/ReadModelTransform.h"
#include "script/ReducerFile.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QFile>

namespace chronoscope::readmodel {

namespace {

std::unique_ptr<engine::Reducer> loadReducer(const QString &file, QString *error)
{
    const auto makeMerge = [] { return std::make_unique<engine::MergeReducer>(); };
    if (file.isEmpty())
        return makeMerge();
    engine::ReducerFile::LoadError loadError;
    const std::optional<engine::ReducerFile> reducer = engine::ReducerFile::load(file, &loadError);
    std::unique_ptr<engine::Reducer> made = reducer ? reducer->createReducer(&loadError, makeMerge) : nullptr;
    if (!made)
        *error = QStringLiteral("the reducer file %1 cannot fold: %2").arg(file, loadError.toString());
    return made;
}

} // namespace

std::optional<QList<ReadModelMapping>> RowBesideFold::mappingsOf(const QString &path, QString *error)
{
    if (path.isEmpty())
        return QList<ReadModelMapping>();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    ReadModelMapping::ParseError parseError;
    std::optional<QList<ReadModelMapping>> all = ReadModelMapping::fromReducerFile(file.readAll(), &parseError);
    if (!all)
        *error = parseError.toString();
    return all;
}

RowBesideFold RowBesideFold::compute(ReadModelSource &source, const ReadModelMapping &mapping,
                                     const QString &aggregateId, const QString &reducerFile,
                                     std::shared_ptr<const engine::TimelineIndex> index,
                                     std::shared_ptr<engine::PayloadCache> payloads, const std::atomic<bool> *cancel)
{
    RowBesideFold out;
    out.aggregateId = aggregateId;
    out.mapping = mapping.name();
    out.source = source.describe();
    const RowLookup lookup = source.fetchRow(aggregateId);
    if (lookup.error) {
        out.rowError = lookup.error;
        return out;
    }
    out.found = lookup.found;
    if (!out.found)
        return out;
    out.raw = lookup.raw;
    const ReadModelTransform transform(mapping); // its engine belongs to this thread
    if (!transform.error().isEmpty()) {
        out.rowProblems.append(QStringLiteral("transform: ") + transform.error());
        return out;
    }
    const Coerced row = transform.apply(lookup.raw);
    if (!row.ok()) {
        out.rowProblems.append(QStringLiteral("transform: ") + row.error);
        return out;
    }
    out.rowShape = mapping.rowShape(row.value, &out.rowProblems, aggregateId);

    std::unique_ptr<engine::Reducer> reducer = loadReducer(reducerFile, &out.error);
    if (!reducer || !index || !payloads) {
        if (out.error.isEmpty())
            out.error = QStringLiteral("no timeline is loaded");
        return out;
    }
    engine::FoldEngine engine(*index, *payloads, std::move(reducer));
    out.agreement = RowAgreement::find(engine, mapping, out.rowShape, cancel, aggregateId);
    return out;
}

} // namespace chronoscope::readmodel
