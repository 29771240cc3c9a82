#include "ProjectionsCommand.h"

#include "CliConnection.h"
#include "CliOutput.h"
#include "CommandLine.h"
#include "ProjectionsCompare.h"
#include "client/ProjectionsClient.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace chronoscope::cli {

namespace {

QJsonObject toJson(const ProjectionDetails &d)
{
    return QJsonObject{
        {QStringLiteral("name"), d.name},
        {QStringLiteral("mode"), d.mode},
        {QStringLiteral("status"), d.status},
        {QStringLiteral("stateReason"), d.stateReason},
        {QStringLiteral("position"), d.position},
        {QStringLiteral("lastCheckpoint"), d.lastCheckpoint},
        {QStringLiteral("progress"), double(d.progress)},
        {QStringLiteral("eventsProcessedAfterRestart"), QString::number(d.eventsProcessedAfterRestart)},
        {QStringLiteral("partitionsCached"), d.partitionsCached},
        {QStringLiteral("version"), QString::number(d.version)},
        {QStringLiteral("epoch"), QString::number(d.epoch)},
    };
}

/// The error of a call, with the projection's name when the server did not know it.
int failed(Output &out, const ClientError &e, const QString &name)
{
    if (e.kind == ClientError::Kind::NotFound && !name.isEmpty())
        return out.error(QStringLiteral("no projection named '%1' on the server").arg(name));
    return out.error(e.toString());
}

} // namespace

QString ProjectionsCommand::summary() const
{
    return QStringLiteral("the server's projections: list them, read a projection's state or result per partition, "
                          "compare every partition with a local fold of its source");
}

QString ProjectionsCommand::help() const
{
    return QStringLiteral(
        "Usage: chronoscope-cli projections list --connect <string|profile> [--json]\n"
        "       chronoscope-cli projections state <name> --connect <string|profile> [--partition <p>] [--result]\n"
        "                                                [--json]\n"
        "       chronoscope-cli projections compare <name> --connect <string|profile> [--source <file.js>]\n"
        "                                                [--concurrency <n>] [--json]\n"
        "\n"
        "list: every projection (system and user ones) with its mode, status (and why it faulted), position,\n"
        "last checkpoint, progress, events processed and partitions cached, as the Projections service's\n"
        "Statistics reports them.\n"
        "state: one projection's state (with --result: its result, after transformBy/filterBy) for a partition\n"
        "(--partition; none for a projection that is not partitioned). An empty state is {}.\n"
        "compare: folds the projection's source (--source: a local file instead of the server's own) over $all up\n"
        "to the projection's reported position, fetches every partition's state from the server (--concurrency\n"
        "calls in flight, default 64) and lists each partition that is different (with its JSON paths), missing on\n"
        "the server or missing locally, then a summary with both sources' SHA-256. Progress on stderr, only on a\n"
        "terminal; Ctrl-C cancels (exit 1, nothing reported).\n"
        "\n"
        "Output: text, or with --json one object: {\"projections\":[…]} or\n"
        "{\"name\":…,\"partition\":…,\"state\"|\"result\":…}; compare: NDJSON, one object per partition that is\n"
        "not equal {partition, status, paths, pathCount, local, server, events, streams}, then a summary\n"
        "{outcome, name, position, foldedTo, eventsFolded, partitions, equal, different, missingOnServer,\n"
        "missingLocally, unreadable, foldErrors, definition{serverSha256, localSha256, differs}, seconds, exitCode}.\n"
        "\n"
        "Exit codes: 0 done (compare: every partition equal); 1 error (bad arguments, unreachable server, no such\n"
        "projection, a source that does not load); 2 compare: a partition differs or is missing on a side.\n");
}

int ProjectionsCommand::run(const QStringList &arguments, Output &out)
{
    CommandLine line(*this);
    line.addConnectionOptions();
    line.addOption(QStringLiteral("partition"), QStringLiteral("the partition"), QStringLiteral("partition"));
    line.addOption(QStringLiteral("result"), QStringLiteral("the result instead of the state"));
    line.addOption(QStringLiteral("source"), QStringLiteral("compare: the local source to fold"),
                   QStringLiteral("file"));
    line.addOption(QStringLiteral("concurrency"), QStringLiteral("compare: state calls in flight"),
                   QStringLiteral("n"));
    line.allowPositional(2);
    if (const std::optional<int> done = line.parse(arguments, out))
        return *done;
    const QStringList words = line.positional();
    const QString verb = words.value(0);
    const bool compare = verb == QLatin1String("compare");
    if (verb != QLatin1String("list") && verb != QLatin1String("state") && !compare)
        return out.error(QStringLiteral("projections: give 'list', 'state <name>' or 'compare <name>' (see --help)"));
    if (compare && words.size() != 2)
        return out.error(QStringLiteral("projections compare needs the projection's name"));
    if (!compare && (line.isSet(QStringLiteral("source")) || line.isSet(QStringLiteral("concurrency"))))
        return out.error(QStringLiteral("--source and --concurrency are for projections compare"));
    int concurrency = 64;
    if (line.isSet(QStringLiteral("concurrency"))) {
        bool ok = false;
        concurrency = line.value(QStringLiteral("concurrency")).toInt(&ok);
        if (!ok || concurrency < 1 || concurrency > 1024)
            return out.error(QStringLiteral("--concurrency: give a number from 1 to 1024"));
    }
    if (verb == QLatin1String("list") && words.size() > 1)
        return out.error(QStringLiteral("projections list takes no name"));
    if (verb == QLatin1String("state") && words.size() != 2)
        return out.error(QStringLiteral("projections state needs the projection's name"));
    QString error;
    const std::optional<CliConnection> connection = CliConnection::resolve(line, &error);
    if (!connection)
        return out.error(error);
    if (compare) {
        std::optional<QString> source;
        if (line.isSet(QStringLiteral("source")))
            source = line.value(QStringLiteral("source"));
        return compareProjection(connection->settings, words.value(1), source, concurrency, out);
    }
    const ProjectionsClient client(connection->settings);
    if (client.error())
        return out.error(client.error().toString());

    if (verb == QLatin1String("list")) {
        const ProjectionListResult r = client.list(ProjectionsClient::Mode::All);
        if (r.error)
            return failed(out, r.error, {});
        if (out.json()) {
            QJsonArray all;
            for (const ProjectionDetails &d : r.projections)
                all.append(toJson(d));
            out.object({{QStringLiteral("projections"), all}});
            return kExitOk;
        }
        for (const ProjectionDetails &d : r.projections) {
            QString text = QStringLiteral("%1  %2  %3  %4  %5%  %6 events  %7 partitions")
                               .arg(d.name, d.mode, d.status, d.position)
                               .arg(double(d.progress), 0, 'f', 1)
                               .arg(d.eventsProcessedAfterRestart)
                               .arg(d.partitionsCached);
            if (!d.stateReason.isEmpty())
                text += QStringLiteral("  (%1)").arg(d.stateReason);
            out.line(text);
        }
        return kExitOk;
    }

    const QString name = words.value(1);
    const QString partition = line.value(QStringLiteral("partition"));
    const bool result = line.isSet(QStringLiteral("result"));
    const ProjectionValueResult r = result ? client.result(name, partition) : client.state(name, partition);
    if (r.error)
        return failed(out, r.error, name);
    if (out.json()) {
        out.object({{QStringLiteral("name"), name},
                    {QStringLiteral("partition"), partition},
                    {result ? QStringLiteral("result") : QStringLiteral("state"), r.value}});
        return kExitOk;
    }
    const QJsonDocument doc = r.value.isObject() ? QJsonDocument(r.value.toObject())
                                                 : QJsonDocument(QJsonArray{r.value});
    out.line(QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed());
    return kExitOk;
}

} // namespace chronoscope::cli
