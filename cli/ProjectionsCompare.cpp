#include "ProjectionsCompare.h"

#include "CliCommand.h"
#include "InterruptGuard.h"
#include "client/ProjectionsClient.h"
#include "client/StreamsClient.h"
#include "json/JsonFormat.h"
#include "projections/ProjectionCompare.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace chronoscope::cli {

using projections::PartitionComparison;
using projections::ProjectionCompare;
using projections::ProjectionCompareProgress;
using projections::ProjectionCompareReport;

namespace {

/// A value as one line of JSON; "(none)" where that side has none.
QString oneLine(const QJsonValue &v)
{
    return v.isUndefined() ? QStringLiteral("(none)") : engine::JsonFormat::compact(v, 400);
}

QString positionText(const Position &p)
{
    return p.isEnd() ? QStringLiteral("head") : QStringLiteral("C:%1/P:%2").arg(p.commit).arg(p.prepare);
}

QJsonObject partitionObject(const PartitionComparison &c)
{
    QJsonObject o{{QStringLiteral("partition"), c.partition},
                  {QStringLiteral("status"), PartitionComparison::statusName(c.status)},
                  {QStringLiteral("paths"), QJsonArray::fromStringList(c.paths)},
                  {QStringLiteral("pathCount"), c.pathCount},
                  {QStringLiteral("events"), QString::number(c.eventCount)},
                  {QStringLiteral("streams"), QJsonArray::fromStringList(c.streams)}};
    if (!c.local.isUndefined())
        o.insert(QStringLiteral("local"), c.local);
    if (!c.server.isUndefined())
        o.insert(QStringLiteral("server"), c.server);
    if (!c.problem.isEmpty())
        o.insert(QStringLiteral("problem"), c.problem);
    return o;
}

QString partitionLine(const PartitionComparison &c)
{
    QString text = QStringLiteral("%1  %2").arg(PartitionComparison::statusName(c.status).leftJustified(17),
                                                c.partition);
    if (c.status == PartitionComparison::Status::Different) {
        text += QStringLiteral("  %1").arg(c.paths.join(QStringLiteral(", ")));
        if (c.pathCount > c.paths.size())
            text += QStringLiteral(" (+%1 more)").arg(c.pathCount - c.paths.size());
        text += QStringLiteral("  local %1  server %2").arg(oneLine(c.local), oneLine(c.server));
    } else if (!c.problem.isEmpty()) {
        text += QStringLiteral("  ") + c.problem;
    }
    return text;
}

QJsonObject summaryObject(const ProjectionCompareReport &r, const QString &name, int exitCode)
{
    const projections::ProjectionCompareCounts &n = r.counts;
    QJsonObject definition{{QStringLiteral("serverSha256"), QString::fromLatin1(r.definition.serverSha256)}};
    if (r.definition.localGiven) {
        definition.insert(QStringLiteral("localSha256"), QString::fromLatin1(r.definition.localSha256));
        definition.insert(QStringLiteral("differs"), r.definition.differs);
    }
    return {{QStringLiteral("outcome"), n.differing() == 0 ? QStringLiteral("equal") : QStringLiteral("different")},
            {QStringLiteral("name"), name},
            {QStringLiteral("position"), r.details.position},
            {QStringLiteral("foldedTo"), positionText(r.foldedTo)},
            {QStringLiteral("eventsFolded"), QString::number(r.eventsFolded)},
            {QStringLiteral("partitions"), QString::number(n.partitions)},
            {QStringLiteral("equal"), QString::number(n.equal)},
            {QStringLiteral("different"), QString::number(n.different)},
            {QStringLiteral("missingOnServer"), QString::number(n.missingOnServer)},
            {QStringLiteral("missingLocally"), QString::number(n.missingLocally)},
            {QStringLiteral("unreadable"), QString::number(n.unreadable)},
            {QStringLiteral("foldErrors"), QJsonArray::fromStringList(r.foldErrors)},
            {QStringLiteral("definition"), definition},
            {QStringLiteral("seconds"), r.foldSeconds + r.fetchSeconds},
            {QStringLiteral("exitCode"), exitCode}};
}

QString progressText(const ProjectionCompareProgress &p)
{
    if (p.phase == ProjectionCompareProgress::Phase::Fetching)
        return QStringLiteral("comparing: %1 of %2 partitions…").arg(p.fetched).arg(p.partitions);
    return QStringLiteral("folding: %1 events read, %2 folded…").arg(p.eventsRead).arg(p.eventsFolded);
}

} // namespace

int compareProjection(const ConnectionSettings &settings, const QString &name, const std::optional<QString> &sourceFile,
                      int concurrency, Output &out)
{
    projections::ProjectionCompareOptions options;
    options.name = name;
    options.concurrency = concurrency;
    if (sourceFile) {
        QFile file(*sourceFile);
        if (!file.open(QIODevice::ReadOnly))
            return out.error(QStringLiteral("cannot read %1: %2").arg(*sourceFile, file.errorString()));
        options.localSource = QString::fromUtf8(file.readAll());
        options.localFileName = QFileInfo(*sourceFile).fileName();
    }
    const StreamsClient streams(settings);
    const ProjectionsClient client(settings);
    if (client.error())
        return out.error(client.error().toString());
    ProjectionCompare compare(streams, client, options);
    const CancellationPtr cancel = std::make_shared<Cancellation>();
    const InterruptGuard guard(cancel);
    const ProjectionCompareReport r = compare.run(cancel, [&out](const ProjectionCompareProgress &p) {
        out.progress(progressText(p));
    });
    out.finishProgress();
    if (r.cancelled || guard.interrupted())
        return out.error(QStringLiteral("cancelled: nothing compared is reported"));
    if (r.error.kind == ClientError::Kind::NotFound)
        return out.error(QStringLiteral("no projection named '%1' on the server").arg(name));
    if (r.error)
        return out.error(QStringLiteral("cannot compare projection '%1': %2").arg(name, r.error.toString()));
    if (!r.problem.isEmpty())
        return out.error(QStringLiteral("cannot fold %1 locally: %2")
                             .arg(sourceFile ? *sourceFile : QStringLiteral("the server's source"), r.problem));

    const int exitCode = r.counts.differing() == 0 ? kExitOk : kExitDifferences;
    if (out.json()) {
        for (const PartitionComparison &c : r.differences)
            out.object(partitionObject(c));
        out.object(summaryObject(r, name, exitCode));
        return exitCode;
    }
    QString definition =
        QStringLiteral("definition: server sha256 %1").arg(QString::fromLatin1(r.definition.serverSha256));
    if (r.definition.localGiven)
        definition += QStringLiteral(", %1 sha256 %2 (%3)")
                          .arg(options.localFileName, QString::fromLatin1(r.definition.localSha256),
                               r.definition.differs ? QStringLiteral("differs") : QStringLiteral("the same"));
    out.line(definition);
    out.line(QStringLiteral("folded %1 events up to %2 (the projection's position %3)")
                 .arg(r.eventsFolded)
                 .arg(positionText(r.foldedTo), r.details.position));
    for (const QString &e : r.foldErrors)
        out.line(QStringLiteral("fold error: ") + e);
    for (const PartitionComparison &c : r.differences)
        out.line(partitionLine(c));
    const projections::ProjectionCompareCounts &n = r.counts;
    out.line(QStringLiteral("%1 partitions: %2 equal, %3 different, %4 missing on the server, %5 missing locally, "
                            "%6 unreadable")
                 .arg(n.partitions)
                 .arg(n.equal)
                 .arg(n.different)
                 .arg(n.missingOnServer)
                 .arg(n.missingLocally)
                 .arg(n.unreadable));
    return exitCode;
}

} // namespace chronoscope::cli
