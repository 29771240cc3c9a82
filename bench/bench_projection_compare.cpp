// bench_projection_compare (issue 13): a projection with 10 000 partitions on the sandbox; our whole
// comparison (local fold of its source up to its position + every partition's state fetched and diffed)
// against fetching the same partition states one by one with each official Node client (the fastest is
// the peer), same run, same sandbox. Ends with `target compare_vs_official: X (goal >= 5)`.
#include "EventStore.h"
#include "SandboxServer.h"
#include "UserProjections.h"
#include "client/ProjectionsClient.h"
#include "client/StreamsClient.h"
#include "projections/ProjectionCompare.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>

using namespace chronoscope;

namespace {

const char *kSource = "fromCategory('order').foreachStream().when({\n"
                      "  $init: function () { return { total: 0, items: 0 }; },\n"
                      "  ItemAdded: function (s, e) { s.total += e.body.price; s.items += 1; }\n"
                      "});\n";

/// Seconds the Node client took for `partitions` states, one by one; negative when it failed.
double official(const char *client, int port, const QString &partitionsFile)
{
    QProcess node;
    node.start(QStringLiteral("node"),
               {QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/bench/official_projection_states.js"), QLatin1String(client),
                QString::number(port), QStringLiteral("totals"), partitionsFile});
    if (!node.waitForFinished(30 * 60 * 1000) || node.exitCode() != 0) {
        std::fprintf(stderr, "%s failed: %s\n", client, node.readAllStandardError().constData());
        return -1;
    }
    const QList<QByteArray> words = node.readAllStandardOutput().trimmed().split(' ');
    if (words.size() < 4)
        return -1;
    std::printf("official %-10s %6s states one by one: %7.3f s\n", client, words[1].constData(), words[3].toDouble());
    std::fflush(stdout);
    return words[3].toDouble();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    int partitions = 10000;
    if (const qsizetype at = args.indexOf(QStringLiteral("--partitions")); at > 0 && at + 1 < args.size())
        partitions = args.at(at + 1).toInt();
    const bool skipOfficial = args.contains(QStringLiteral("--no-official"));

    sandbox::SandboxServer server;
    server.store().configureProjections(true, false);
    QString why;
    const int port = server.start(QStringLiteral("127.0.0.1:0"), &why);
    if (port <= 0) {
        std::fprintf(stderr, "sandbox: %s\n", qPrintable(why));
        return 1;
    }
    QElapsedTimer seed;
    seed.start();
    for (int i = 0; i < partitions; ++i) {
        const std::string stream = "order-" + std::to_string(i);
        std::vector<sandbox::ProposedEvent> events;
        for (int k = 0; k < 2; ++k)
            events.push_back(sandbox::ProposedEvent{
                QUuid::createUuid(), "ItemAdded", true, "{\"price\":" + std::to_string(i % 97 + k) + "}", {}, 0});
        server.store().append(stream, sandbox::EventStore::Expected::Any, 0, events);
    }
    const ConnectionSettings settings =
        ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port)).settings;
    const StreamsClient streams(settings);
    const ProjectionsClient projections(settings);
    if (projections.createContinuous(QStringLiteral("totals"), QString::fromUtf8(kSource)).error
        || !server.store().userProjections()->waitIdle(600000)) {
        std::fprintf(stderr, "the projection did not start or catch up\n");
        return 1;
    }
    std::printf("sandbox: %d partitions, %d events, projection caught up in %.1f s\n", partitions, 2 * partitions,
                double(seed.nsecsElapsed()) / 1e9);
    (void)projections.status(QStringLiteral("totals")); // connected before the clock starts, as Node is

    projections::ProjectionCompareOptions options;
    options.name = QStringLiteral("totals");
    QElapsedTimer ours;
    ours.start();
    const projections::ProjectionCompareReport report =
        projections::ProjectionCompare(streams, projections, options).run();
    const double oursSeconds = double(ours.nsecsElapsed()) / 1e9;
    if (!report.complete() || report.counts.equal != quint64(partitions)) {
        std::fprintf(stderr, "comparison failed: %s %s (%llu equal)\n", qPrintable(report.error.toString()),
                     qPrintable(report.problem), static_cast<unsigned long long>(report.counts.equal));
        return 1;
    }
    std::printf("ours: whole comparison of %llu partitions %7.3f s (fold of %llu events %.3f s, %d states in flight "
                "%.3f s)\n",
                static_cast<unsigned long long>(report.counts.partitions), oursSeconds,
                static_cast<unsigned long long>(report.eventsFolded), report.foldSeconds, options.concurrency,
                report.fetchSeconds);
    std::fflush(stdout);
    if (skipOfficial)
        return 0;

    QTemporaryDir dir;
    const QString list = dir.filePath(QStringLiteral("partitions.txt"));
    QFile file(list);
    if (!file.open(QIODevice::WriteOnly))
        return 1;
    for (int i = 0; i < partitions; ++i)
        file.write("order-" + QByteArray::number(i) + '\n');
    file.close();
    double fastest = -1;
    for (const char *client : {"kurrent", "eventstore"}) {
        const double s = official(client, port, list);
        if (s > 0 && (fastest < 0 || s < fastest))
            fastest = s;
    }
    if (fastest < 0) {
        std::fprintf(stderr, "no official client ran (tests/conformance: npm ci)\n");
        return 1;
    }
    std::printf("ours vs the fastest official client's states alone: %.2f x (fetching alone: %.2f x)\n",
                fastest / oursSeconds, fastest / report.fetchSeconds);
    std::printf("target compare_vs_official: %.2f (goal >= 5)\n", fastest / oursSeconds);
    return 0;
}
