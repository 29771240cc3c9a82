#pragma once

#include "readmodel/ReadModelMapping.h"
#include "readmodel/ReadModelSource.h"
#include "readmodel/RowAgreement.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>

namespace chronoscope::engine {
class PayloadCache;
class TimelineIndex;
} // namespace chronoscope::engine

namespace chronoscope::readmodel {

/// What the window shows beside the fold for one aggregate (issue 14 item 3): its read-model row, in the
/// fold's shape, and where the fold and the row part ways.
struct RowBesideFold
{
    QString aggregateId;
    QString mapping;           ///< the mapping's name
    QString source;            ///< ReadModelSource::describe(): never a password
    ReadModelError rowError;   ///< the row could not be read (nothing below is set then)
    bool found = false;        ///< false without rowError: the read model has no row for this aggregate
    QJsonValue raw;            ///< the row as the backend gave it
    QJsonObject rowShape;      ///< after the transform and the field mapping: what the fold is compared with
    QStringList rowProblems;   ///< values of the row that did not coerce, a transform that threw
    AgreementResult agreement; ///< the fold at the head vs the row, and since which event they disagree
    QString error;             ///< the reducer could not be loaded

    /// Reads the row of `aggregateId` from `source` (blocking: a worker thread) and, when there is one, folds
    /// the loaded timeline (`index`, `payloads`: the aggregate's stream) with the reducer file at `reducerFile`
    /// (empty: the merge reducer) to find the agreement. The reducer and the transform are made on this thread.
    /// The mappings of the reducer file at `path` ("readModels"); an empty list for none (or the merge reducer,
    /// `path` empty); nullopt with `error` set when the file cannot be read or a mapping is wrong.
    static std::optional<QList<ReadModelMapping>> mappingsOf(const QString &path, QString *error);

    static RowBesideFold compute(ReadModelSource &source, const ReadModelMapping &mapping, const QString &aggregateId,
                                 const QString &reducerFile, std::shared_ptr<const engine::TimelineIndex> index,
                                 std::shared_ptr<engine::PayloadCache> payloads,
                                 const std::atomic<bool> *cancel = nullptr);
};

} // namespace chronoscope::readmodel
