// bench_cli (issue 15): `chronoscope-cli fold` of a 1M-event stream to a time with the demo's JavaScript
// projection (resources/reducers/demo-orders.reducer.json: upcaster, projection, invariants) against a Node.js
// script doing the same with the fastest official client and the same projection source (bench/cli_fold_node.js),
// against the same chronoscope-sandbox process, in the same run; and the CLI's start-up (`--version`).
// Both sides are timed as whole processes (start to exit), as a CI job runs them; the target compares their
// rates (events folded per second), the best of two runs each, the fastest client's for Node.
#include "client/StreamsClient.h"
#include "demo/DemoHistory.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <sys/resource.h>
#include <algorithm>
#include <cstdio>
#include <vector>

using namespace chronoscope;

namespace {

/// CPU seconds (user + system) of the children waited for so far.
double childrenCpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_CHILDREN, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Run
{
    double seconds = 0;
    double cpuSeconds = 0; ///< the process's user + system time, all its threads
    int exitCode = -1;
    QByteArray out, err;
};

Run runProcess(const QString &program, const QStringList &arguments, int timeoutMs = 30 * 60 * 1000)
{
    QProcess p;
    Run r;
    QElapsedTimer t;
    const double cpu = childrenCpuSeconds();
    t.start();
    p.start(program, arguments);
    if (!p.waitForStarted(10000) || !p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = "did not finish";
        return r;
    }
    r.seconds = double(t.nsecsElapsed()) / 1e9;
    r.cpuSeconds = childrenCpuSeconds() - cpu;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

/// chronoscope-sandbox on a free port (it prints "listening on HOST:PORT").
class Sandbox
{
public:
    bool start()
    {
        m_process.start(QStringLiteral(CHRONOSCOPE_SANDBOX_BIN),
                        {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--insecure")});
        if (!m_process.waitForReadyRead(60000))
            return false;
        const QByteArray line = m_process.readLine().trimmed();
        m_port = line.mid(line.lastIndexOf(':') + 1).toInt();
        return line.startsWith("listening on") && m_port > 0;
    }
    int port() const { return m_port; }
    ~Sandbox()
    {
        m_process.terminate();
        m_process.waitForFinished(5000);
    }

private:
    QProcess m_process;
    int m_port = 0;
};

/// The demo history's events, all in one stream (`order-ledger`: the reducer file applies to order-*).
bool seed(StreamsClient &client, const QByteArray &stream, quint64 n)
{
    QList<EventData> batch;
    DemoHistory::Options options;
    options.eventCount = n;
    bool ok = true;
    DemoHistory(options).generate([&](const DemoEvent &e) {
        batch << EventData::json(e.type, e.data, e.metadata);
        if (batch.size() == 1000) {
            ok = !client.append(stream, ExpectedState::any(), batch).error;
            batch.clear();
        }
        return ok;
    });
    if (ok && !batch.isEmpty())
        ok = !client.append(stream, ExpectedState::any(), batch).error;
    return ok;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    quint64 n = 1000000;
    if (const int at = int(args.indexOf(QStringLiteral("--events"))); at > 0 && at + 1 < args.size())
        n = args.at(at + 1).toULongLong();
    QString modules = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/tests/conformance/node_modules");
    if (const int at = int(args.indexOf(QStringLiteral("--node-modules"))); at > 0 && at + 1 < args.size())
        modules = args.at(at + 1);
    if (args.contains(QStringLiteral("--help"))) {
        std::printf("usage: bench_cli [--events N] [--node-modules DIR]\n"
                    "  --events N            events in the folded stream (default 1000000)\n"
                    "  --node-modules DIR    the official Node clients (default: tests/conformance/node_modules)\n");
        return 0;
    }
    const QString cli = QStringLiteral(CHRONOSCOPE_CLI_BIN);
    const QString reducer = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/resources/reducers/demo-orders.reducer.json");
    const QString nodeScript = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/bench/cli_fold_node.js");
    const QByteArray stream = "order-ledger";

    // Start-up: `--version`, median of 21 runs (the first warms the page cache).
    std::vector<double> startup;
    for (int i = 0; i < 21; ++i) {
        const Run r = runProcess(cli, {QStringLiteral("--version")});
        if (r.exitCode != 0) {
            std::fprintf(stderr, "chronoscope-cli --version failed: %s\n", r.err.constData());
            return 1;
        }
        if (i > 0)
            startup.push_back(r.seconds * 1000);
    }
    std::printf("chronoscope-cli --version: median %.1f ms, min %.1f ms (20 runs)\n", median(startup),
                *std::min_element(startup.begin(), startup.end()));
    std::fflush(stdout);

    Sandbox sandbox;
    if (!sandbox.start()) {
        std::fprintf(stderr, "cannot start chronoscope-sandbox\n");
        return 1;
    }
    const QString connection = QStringLiteral("esdb://127.0.0.1:%1?tls=false").arg(sandbox.port());
    StreamsClient client(ConnectionString::parse(connection).settings);
    QElapsedTimer seeding;
    seeding.start();
    if (!seed(client, stream, n)) {
        std::fprintf(stderr, "cannot append the benchmark stream\n");
        return 1;
    }
    std::printf("seeded %s with %llu demo events in %.1f s\n", stream.constData(), static_cast<unsigned long long>(n),
                double(seeding.elapsed()) / 1000);
    // The time folded to: the creation time of the event at 90 % of the stream (server-assigned).
    const quint64 atRevision = n * 9 / 10;
    const ReadResult at = client.readAll(ReadRequest::forStream(stream).fromRevision(atRevision).count(1));
    if (at.events.isEmpty() || !at.events.first().event) {
        std::fprintf(stderr, "cannot read revision %llu\n", static_cast<unsigned long long>(atRevision));
        return 1;
    }
    const qint64 atMs = at.events.first().event->createdMsecsSinceEpoch();
    const QString atText = QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC).toString(Qt::ISODateWithMs);
    std::printf("folding to %s (the event at revision %llu)\n", qPrintable(atText),
                static_cast<unsigned long long>(atRevision));
    std::fflush(stdout);

    // Ours, twice (the better run counts, as for Node).
    // Rates (events folded per wall second of the whole process), not times: the kurrent client's `created`
    // is in whole seconds, so it folds to the end of T's second, a few thousand events more than ours.
    double ours = 0;
    quint64 ourCount = 0;
    QJsonObject ourTotals;
    for (int i = 0; i < 2; ++i) {
        const Run r = runProcess(cli,
                                 {QStringLiteral("fold"), QStringLiteral("--connect"), connection,
                                  QStringLiteral("--stream"), QString::fromUtf8(stream), QStringLiteral("--at"), atText,
                                  QStringLiteral("--reducer"), reducer, QStringLiteral("--json")});
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        if (r.exitCode != 0 || o.isEmpty()) {
            std::fprintf(stderr, "chronoscope-cli fold failed (exit %d): %s\n", r.exitCode, r.err.constData());
            return 1;
        }
        ourCount = o.value(QLatin1String("count")).toString().toULongLong();
        ourTotals = o.value(QLatin1String("state")).toObject().value(QLatin1String("totals")).toObject();
        ours = std::max(ours, double(ourCount) / r.seconds);
        std::printf("chronoscope-cli fold: %llu events in %.2f s (%.0f events/s; CPU %.2f s), %s fold errors\n",
                    static_cast<unsigned long long>(ourCount), r.seconds, double(ourCount) / r.seconds, r.cpuSeconds,
                    qPrintable(o.value(QLatin1String("errorCount")).toString()));
        std::fflush(stdout);
    }

    // Node.js with each official client, twice each; the fastest run of the fastest client counts.
    double node = 0;
    bool nodeRan = false;
    if (!QDir(modules).exists()) {
        std::printf("no official Node clients in %s (scripts/setup.sh runs npm ci there)\n", qPrintable(modules));
    } else {
        for (const char *which : {"kurrent", "eventstore"}) {
            for (int i = 0; i < 2; ++i) {
                const Run r = runProcess(QStringLiteral("node"),
                                         {nodeScript, QLatin1String(which), QString::number(sandbox.port()),
                                          QString::fromUtf8(stream), QString::number(atMs), reducer,
                                          QStringLiteral("--modules"), modules});
                const QJsonObject o = QJsonDocument::fromJson(r.out.trimmed()).object();
                if (r.exitCode != 0 || o.isEmpty()) {
                    std::fprintf(stderr, "node (%s) failed: %s\n", which, r.err.constData());
                    break;
                }
                const quint64 count = quint64(o.value(QLatin1String("events")).toDouble());
                std::printf("node %s: %llu events in %.2f s (%.0f events/s; CPU %.2f s)%s\n", which,
                            static_cast<unsigned long long>(count), r.seconds, double(count) / r.seconds, r.cpuSeconds,
                            o.value(QLatin1String("totals")).toObject() == ourTotals ? ", same totals"
                                                                                     : ", DIFFERENT totals");
                if (count + 1 < ourCount || count > ourCount + 1)
                    std::printf("warning: node folded %llu events, ours %llu\n", static_cast<unsigned long long>(count),
                                static_cast<unsigned long long>(ourCount));
                node = std::max(node, double(count) / r.seconds);
                nodeRan = true;
                std::fflush(stdout);
            }
        }
    }
    std::printf("chronoscope-cli %.0f events/s, fastest Node run %.0f events/s\n", ours, node);
    std::printf("target cli_fold_vs_node: %.2f (goal >= 2)\n", nodeRan && node > 0 ? ours / node : 0.0);
    std::printf("target cli_startup_ms: %.1f (goal <= 100)\n", median(startup));
    return 0;
}
