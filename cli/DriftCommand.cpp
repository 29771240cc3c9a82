#include "DriftCommand.h"

#include "CliConnection.h"
#include "CliOutput.h"
#include "CommandLine.h"
#include "DriftEndpoint.h"
#include "InterruptGuard.h"
#include "client/StreamsClient.h"
#include "fold/MergeReducer.h"
#include "readmodel/DriftReportText.h"
#include "readmodel/DriftScan.h"
#include "readmodel/OpenSource.h"
#include "script/ReducerFile.h"

#include <QElapsedTimer>
#include <QFile>

namespace chronoscope::cli {

using namespace readmodel;

namespace {

/// The mapping the options pick from the reducer file: --read-model by name, or the only one of --category.
std::optional<ReadModelMapping> pickMapping(const CommandLine &line, const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--reducer: cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    ReadModelMapping::ParseError parseError;
    const std::optional<QList<ReadModelMapping>> all = ReadModelMapping::fromReducerFile(file.readAll(), &parseError);
    if (!all) {
        *error = QStringLiteral("%1: the read-model mapping: %2").arg(path, parseError.toString());
        return std::nullopt;
    }
    const QString name = line.value(QStringLiteral("read-model"));
    const QString category = line.value(QStringLiteral("category"));
    QList<ReadModelMapping> fits;
    QStringList names;
    for (const ReadModelMapping &m : *all) {
        names.append(QStringLiteral("%1 (category %2)").arg(m.name(), m.category()));
        if ((name.isEmpty() || m.name() == name) && (category.isEmpty() || m.category() == category))
            fits.append(m);
    }
    if (fits.size() == 1)
        return fits.constFirst();
    const QString known = names.isEmpty() ? QStringLiteral("it has no \"readModels\"")
                                          : QStringLiteral("it has ") + names.join(QStringLiteral(", "));
    if (name.isEmpty() && category.isEmpty())
        *error = QStringLiteral("give --read-model <name> (or --category <c>): %1; %2").arg(path, known);
    else if (fits.isEmpty())
        *error = QStringLiteral("%1 has no read model %2: %3")
                     .arg(path,
                          name.isEmpty()
                              ? QStringLiteral("of category \"%1\"").arg(category)
                              : QStringLiteral("\"%1\"%2")
                                    .arg(name,
                                         category.isEmpty() ? QString()
                                                            : QStringLiteral(" of category \"%1\"").arg(category)),
                          known);
    else
        *error = QStringLiteral("%1 has several read models of category \"%2\": give --read-model; %3")
                     .arg(path, category, known);
    return std::nullopt;
}

QString progressText(const DriftProgress &p)
{
    if (p.phase == DriftProgress::Phase::Reading)
        return QStringLiteral("drift: %1 events, %2 rows read…").arg(p.events).arg(p.rows);
    return QStringLiteral("drift: %1 of %2 aggregates compared…").arg(p.folded).arg(p.aggregates);
}

} // namespace

QString DriftCommand::summary() const
{
    return QStringLiteral("compare a category's folds with its read model (PostgreSQL, Redis); exit 2 on drift");
}

QString DriftCommand::help() const
{
    return QStringLiteral(
        "Usage: chronoscope-cli drift --connect <string|profile> --reducer <file> --read-model <name>\n"
        "                             [--category <c>] [--postgres <url> | --redis <host:port>] [--json]\n"
        "\n"
        "The drift scan of the window, headless (docs/READ-MODELS.md): every aggregate of the mapping's category\n"
        "is folded with the reducer file's reducer and compared, through the mapping (the file's \"readModels\"),\n"
        "with its row in the read model. One pass over the events, the rows read in bulk.\n"
        "\n"
        "The read model: the endpoint the mapping names in the saved profile's read-model endpoints, or\n"
        "--postgres postgresql://user@host[:port]/database[?sslmode=disable&connect_timeout=5] or\n"
        "--redis host[:port][/database]. Its password comes from CHRONOSCOPE_READMODEL_PASSWORD or, for a\n"
        "profile's endpoint, the keychain (<profile>/readmodel/<endpoint>); never from the command line.\n"
        "The event store's password, as for every command, from CHRONOSCOPE_PASSWORD or the keychain.\n"
        "\n"
        "Output: a table of the drifted aggregates (aggregate, kind, path, fold's value, row's value) and a\n"
        "summary line. Kinds: different, missing-row, row-without-events, unreadable.\n"
        "--json: NDJSON, one object per drifted aggregate {aggregateId, stream, kind, pathCount,\n"
        "paths: [{path, fold?, row?}], problem?}, then the summary {outcome: no-drift | drift, readModel,\n"
        "category, aggregates, equal, different, missingRow, rowWithoutEvents, unreadable, events, rows,\n"
        "seconds, exitCode}. Progress on stderr, only on a terminal. Ctrl-C cancels (exit 1, nothing reported).\n"
        "\n"
        "Options:\n"
        "  --connect <string|name>    the event store: a connection string or a saved profile\n"
        "                             (also --connection [--username], --profile)\n"
        "  --reducer <file>           the reducer file: its reducer and its \"readModels\" mappings\n"
        "  --read-model <name>        the mapping to check\n"
        "  --category <c>             the mapping of this category (when the file has only one)\n"
        "  --postgres <url>           a PostgreSQL read model instead of the profile's endpoint\n"
        "  --redis <host:port>        a Redis read model instead of the profile's endpoint\n"
        "  --workers <n>              fold threads (default 2)\n"
        "  --batch-size <n>           read-model rows per fetch (default 2000); Ctrl-C is answered between\n"
        "                             fetches\n"
        "  --json                     NDJSON on stdout\n"
        "\n"
        "Exit codes: 0 no drift, 2 drift found,\n"
        "            1 error: bad arguments, a bad reducer file or mapping, the event store or the read model\n"
        "              unreachable, a wrong password, a query the read model refused, cancelled\n");
}

int DriftCommand::run(const QStringList &arguments, Output &out)
{
    CommandLine line(*this);
    line.addConnectionOptions();
    line.addOption(QStringLiteral("reducer"), QStringLiteral("the reducer file"), QStringLiteral("file"));
    line.addOption(QStringLiteral("read-model"), QStringLiteral("the mapping"), QStringLiteral("name"));
    line.addOption(QStringLiteral("category"), QStringLiteral("the category"), QStringLiteral("c"));
    line.addOption(QStringLiteral("postgres"), QStringLiteral("a PostgreSQL URL"), QStringLiteral("url"));
    line.addOption(QStringLiteral("redis"), QStringLiteral("a Redis host:port"), QStringLiteral("host:port"));
    line.addOption(QStringLiteral("workers"), QStringLiteral("fold threads"), QStringLiteral("n"));
    line.addOption(QStringLiteral("batch-size"), QStringLiteral("rows per fetch"), QStringLiteral("n"));
    if (const std::optional<int> done = line.parse(arguments, out))
        return *done;

    QString error;
    const QString reducerPath = line.value(QStringLiteral("reducer"));
    if (reducerPath.isEmpty())
        return out.error(QStringLiteral("give --reducer <file>: its reducer folds, its \"readModels\" map the rows"));
    DriftScanOptions options;
    if (line.isSet(QStringLiteral("workers"))) {
        bool ok = false;
        options.workers = line.value(QStringLiteral("workers")).toInt(&ok);
        if (!ok || options.workers < 1 || options.workers > 64)
            return out.error(QStringLiteral("--workers: a number from 1 to 64"));
    }
    if (line.isSet(QStringLiteral("batch-size"))) {
        bool ok = false;
        options.rowBatchSize = line.value(QStringLiteral("batch-size")).toInt(&ok);
        if (!ok || options.rowBatchSize < 1 || options.rowBatchSize > 1000000)
            return out.error(QStringLiteral("--batch-size: a number of rows from 1 to 1000000"));
    }
    engine::ReducerFile::LoadError loadError;
    const std::optional<engine::ReducerFile> file = engine::ReducerFile::load(reducerPath, &loadError);
    const auto makeMerge = [] { return std::make_unique<engine::MergeReducer>(); };
    if (!file || !file->createReducer(&loadError, makeMerge))
        return out.error(QStringLiteral("--reducer: ") + loadError.toString());
    const std::optional<ReadModelMapping> mapping = pickMapping(line, reducerPath, &error);
    if (!mapping)
        return out.error(error);
    const std::optional<DriftEndpoint> endpoint = DriftEndpoint::resolve(line, *mapping, &error);
    if (!endpoint)
        return out.error(error);
    const std::optional<CliConnection> connection = CliConnection::resolve(line, &error);
    if (!connection)
        return out.error(error);

    // From here on Ctrl-C cancels: before the scan it is noticed once the connection is made.
    const CancellationPtr cancel = std::make_shared<Cancellation>();
    const InterruptGuard guard(cancel);
    const QString cancelled = QStringLiteral("cancelled: no drift is reported for a scan that did not finish");
    const std::unique_ptr<ReadModelSource> rows = openSource(endpoint->endpoint, endpoint->password, *mapping);
    const ReadModelError connectError = rows->connect();
    if (guard.interrupted())
        return out.error(cancelled);
    if (connectError)
        return out.error(
            QStringLiteral("cannot use the read model (%1): %2").arg(rows->describe(), connectError.toString()));

    const StreamsClient client(connection->settings);
    DriftScan scan(
        client, *rows, *mapping,
        [&file, &makeMerge] {
            engine::ReducerFile::LoadError ignored; // it loaded once already; a failure here is "no reducer"
            return file->createReducer(&ignored, makeMerge);
        },
        options);
    QElapsedTimer timer;
    timer.start();
    const DriftReport report = scan.run(cancel, [&out](const DriftProgress &p) { out.progress(progressText(p)); });
    out.finishProgress();
    if (report.cancelled || guard.interrupted())
        return out.error(cancelled);
    if (report.eventsError)
        return out.error(QStringLiteral("cannot read the events of category %1 from %2: %3")
                             .arg(mapping->category(), connection->description, report.eventsError.toString()));
    if (!report.limitError.isEmpty())
        return out.error(QStringLiteral("the drift scan %1").arg(report.limitError));
    if (report.rowsError)
        return out.error(
            QStringLiteral("cannot read the read model (%1): %2").arg(rows->describe(), report.rowsError.toString()));

    const DriftReportText text{report, *mapping, double(timer.nsecsElapsed()) / 1e9};
    const int exitCode = report.counts.drifted() == 0 ? kExitOk : kExitDifferences;
    if (out.json()) {
        for (const QJsonObject &o : text.driftObjects())
            out.object(o);
        out.object(text.summaryObject(exitCode));
    } else {
        for (const QString &l : text.tableLines())
            out.line(l);
        out.line(text.summaryLine());
    }
    return exitCode;
}

} // namespace chronoscope::cli
