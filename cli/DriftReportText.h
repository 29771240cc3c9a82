#pragma once

#include "readmodel/DriftScan.h"

#include <QJsonObject>
#include <QStringList>

namespace chronoscope::cli {

/// What `drift` prints about a finished scan: the lines of drifted aggregates and the summary, as text or as
/// NDJSON objects.
struct DriftReportText
{
    const readmodel::DriftReport &report;
    const readmodel::ReadModelMapping &mapping;
    double seconds = 0;

    /// One object per drifted aggregate: {aggregateId, stream, kind, pathCount, paths: [{path, fold?, row?}],
    /// problem?}; a side without a value there has no key.
    QList<QJsonObject> driftObjects() const;
    /// {outcome: "no-drift" | "drift", readModel, category, aggregates, equal, different, missingRow,
    /// rowWithoutEvents, unreadable, events, rows, seconds, exitCode}
    QJsonObject summaryObject(int exitCode) const;
    /// A table: aggregate, kind, path, fold, row (one line per path; problems in the path column).
    QStringList tableLines() const;
    QString summaryLine() const;
};

} // namespace chronoscope::cli
