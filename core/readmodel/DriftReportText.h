#pragma once

#include "readmodel/DriftScan.h"

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

namespace chronoscope::readmodel {

/// A finished scan as people and programs read it — shared by `chronoscope-cli drift` and the window's drift
/// report: the lines of drifted aggregates and the summary, as text, NDJSON objects, one JSON document or CSV.
struct DriftReportText
{
    const DriftReport &report;
    const ReadModelMapping &mapping;
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

    /// The whole report as one JSON document (the window's export): {summary: summaryObject(exit code),
    /// drifts: [driftObjects()…]}; the exit code is the CLI's (0 no drift, 2 drift).
    QByteArray jsonDocument() const;
    /// RFC 4180 CSV, one line per differing path (a problem or a kind without paths gets a line of its own):
    /// aggregate_id,stream,kind,path,fold,row,problem — values as compact JSON, empty where a side has none.
    QByteArray csv() const;
    /// One CSV field: quoted when it holds a comma, quote, CR or LF (quotes doubled).
    static QString csvField(const QString &text);
    /// A value as one line of compact JSON; "(none)" where that side has none (Undefined).
    static QString valueText(const QJsonValue &value);
};

} // namespace chronoscope::readmodel
