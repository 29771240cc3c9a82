// chronoscope-sandbox: an in-memory EventStoreDB/KurrentDB-protocol server for tests and the demo.
// Its command line is a stable interface that scripts rely on.
#include "SandboxCluster.h"
#include "SandboxServer.h"
#include "UserProjections.h"
#include "demo/DemoSeeder.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <csignal>
#include <cstdio>
#include <pthread.h>
#include <unistd.h>

using namespace chronoscope;

int main(int argc, char **argv)
{
    // SIGTERM/SIGINT are taken synchronously by the main thread (sigwait); block them before any
    // gRPC thread starts so those threads inherit the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGUSR1); // --cluster: the leader resigns
    sigaddset(&signals, SIGUSR2); // --cluster: the leader is killed
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("chronoscope-sandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CHRONOSCOPE_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A server speaking the EventStoreDB/KurrentDB gRPC protocol, in memory or with --db on disk.\n"
        "Secure mode (TLS, users admin/changeit and ops/changeit, stream ACLs) needs --certificate-file and\n"
        "--certificate-private-key-file; --insecure serves plain HTTP/2 without authentication.\n"
        "Prints 'listening on HOST:PORT' once it accepts calls; exits cleanly on SIGTERM.\n"
        "--cluster N runs N nodes sharing one store: node i listens on PORT+i (each on any free port when\n"
        "PORT is 0) and prints its own 'listening on' line, node 0 first; node 0 starts as the leader;\n"
        "--read-only-replicas M adds M nodes after them that serve reads and never lead.\n"
        "SIGUSR1 makes the leader resign, SIGUSR2 kills it (its server stops); the next node takes over.\n"
        "Operations.ResignNode and Operations.Shutdown do the same for the node they are sent to."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption listen(QStringLiteral("listen"), QStringLiteral("Address to listen on (port 0 = any free port)."),
                                    QStringLiteral("host:port"), QStringLiteral("127.0.0.1:2113"));
    const QCommandLineOption insecure(QStringLiteral("insecure"),
                                      QStringLiteral("Plain HTTP/2 without TLS and without authentication (as the real "
                                                     "server's --insecure)."));
    const QCommandLineOption demo(QStringLiteral("demo-events"), QStringLiteral("Seed the demo history with N events."),
                                  QStringLiteral("N"));
    const QCommandLineOption seed(QStringLiteral("demo-seed"), QStringLiteral("Seed of the demo history (default 4711)."),
                                  QStringLiteral("seed"), QStringLiteral("4711"));
    const QCommandLineOption frozen(QStringLiteral("frozen-clock"),
                                    QStringLiteral("Deterministic clock: the n-th record is created at MS + n ms."),
                                    QStringLiteral("MS"));
    const QCommandLineOption maxAppend(QStringLiteral("max-append-size"),
                                       QStringLiteral("Largest append in bytes (default 1048576)."), QStringLiteral("bytes"));
    const QCommandLineOption certificate(QStringLiteral("certificate-file"),
                                         QStringLiteral("TLS: the server certificate (PEM), as the real server's option."),
                                         QStringLiteral("file"));
    const QCommandLineOption privateKey(QStringLiteral("certificate-private-key-file"),
                                        QStringLiteral("TLS: the certificate's private key (PEM)."), QStringLiteral("file"));
    const QCommandLineOption trustedRoots(QStringLiteral("trusted-root-certificates-path"),
                                          QStringLiteral("TLS: CA certificates (a PEM file or a folder of *.crt/*.pem) that "
                                                         "client certificates must be signed by; optional."),
                                          QStringLiteral("path"));
    const QCommandLineOption userCertificates(
        QStringLiteral("user-certificates"),
        QStringLiteral("TLS: a client certificate signed by a trusted root authenticates the user named by its CN "
                       "(as the real server's user-certificates plugin; off by default)."));
    const QCommandLineOption db(QStringLiteral("db"),
                                QStringLiteral("Keep the log in this file: reloaded on start, every acknowledged write "
                                               "synced to it first. Without it the store lives in memory only."),
                                QStringLiteral("path"));
    const QCommandLineOption runProjections(QStringLiteral("run-projections"),
                                            QStringLiteral("Projection subsystem, as the real server's option: None "
                                                           "(default; no Projections service), System or All."),
                                            QStringLiteral("mode"), QStringLiteral("None"));
    const QCommandLineOption startStandard(QStringLiteral("start-standard-projections"),
                                           QStringLiteral("Start the system projections ($streams, $by_category, "
                                                          "$by_event_type, $by_correlation_id, $stream_by_category) "
                                                          "enabled; otherwise they exist stopped until Enable."));
    const QCommandLineOption systemProjections(QStringLiteral("system-projections"),
                                               QStringLiteral("Shorthand for --run-projections=System "
                                                              "--start-standard-projections."));
    const QCommandLineOption cluster(QStringLiteral("cluster"),
                                     QStringLiteral("Run N nodes in this process, one leader and N-1 followers (default 1)."),
                                     QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption replicas(QStringLiteral("read-only-replicas"),
                                      QStringLiteral("With --cluster: M more nodes that are read-only replicas "
                                                     "(they serve reads and never lead; default 0)."),
                                      QStringLiteral("M"), QStringLiteral("0"));
    const QCommandLineOption statsFile(QStringLiteral("stats-file"),
                                       QStringLiteral("For tests: on exit, write how appends arrived (Append and "
                                                      "BatchAppend calls, requests and appends, per stream) to this "
                                                      "file as JSON."),
                                       QStringLiteral("path"));
    const QCommandLineOption faultFile(
        QStringLiteral("fault-file"),
        QStringLiteral("For tests: faults to inject into appends, a JSON plan (sandbox/FaultPlan.h, "
                       "docs/SANDBOX-IDEMPOTENCY.md); a fault with \"crash\" ends the "
                       "process at once with exit status 70."),
        QStringLiteral("path"));
    parser.addOptions({faultFile, statsFile, cluster, replicas, listen, insecure, certificate, privateKey, trustedRoots,
                       userCertificates, demo, seed, frozen, maxAppend, db, runProjections, startStandard,
                       systemProjections});
    parser.process(app);

    auto fail = [](const QString &message) {
        std::fprintf(stderr, "chronoscope-sandbox: %s\n", qPrintable(message));
        return 2;
    };
    sandbox::SandboxServer server;
    if (!parser.isSet(insecure)) {
        // Secure by default, like the real server: TLS plus authentication and stream ACLs.
        const QString tlsError = server.enableSecurity(
            {parser.value(certificate), parser.value(privateKey), parser.value(trustedRoots), parser.isSet(userCertificates)});
        if (!tlsError.isEmpty())
            return fail(tlsError);
    }
    bool ok = true;
    if (parser.isSet(frozen)) {
        const qint64 ms = parser.value(frozen).toLongLong(&ok);
        if (!ok || ms < 0)
            return fail(QStringLiteral("--frozen-clock needs milliseconds since the Unix epoch, got '%1'").arg(parser.value(frozen)));
        server.store().setFrozenClock(ms);
    }
    if (parser.isSet(maxAppend)) {
        const qint64 bytes = parser.value(maxAppend).toLongLong(&ok);
        if (!ok || bytes <= 0)
            return fail(QStringLiteral("--max-append-size needs a positive number of bytes, got '%1'").arg(parser.value(maxAppend)));
        server.store().setMaxAppendSize(quint64(bytes));
    }
    const QString projectionMode = parser.value(runProjections).toLower();
    if (projectionMode != QLatin1String("none") && projectionMode != QLatin1String("system")
        && projectionMode != QLatin1String("all"))
        return fail(QStringLiteral("--run-projections takes None, System or All, got '%1'").arg(parser.value(runProjections)));
    const bool shorthand = parser.isSet(systemProjections);
    server.store().configureProjections(shorthand || projectionMode != QLatin1String("none"),
                                        shorthand || parser.isSet(startStandard));
    if (sandbox::UserProjections *user = server.store().userProjections())
        user->setRunUserProjections(!shorthand && projectionMode == QLatin1String("all")); // System: `$` ones only
    if (parser.isSet(db)) {
        std::string error;
        std::string notice;
        if (!server.store().openLog(parser.value(db).toStdString(), &error, &notice))
            return fail(QString::fromStdString(error));
        if (!notice.empty())
            std::fprintf(stderr, "chronoscope-sandbox: %s\n", notice.c_str());
    }
    if (parser.isSet(demo) && server.store().logSize() > 0) {
        std::fprintf(stderr, "chronoscope-sandbox: --demo-events ignored: %s already holds %zu records\n",
                     qPrintable(parser.value(db)), server.store().logSize());
    } else if (parser.isSet(demo)) {
        DemoHistory::Options options;
        options.eventCount = parser.value(demo).toULongLong(&ok);
        if (!ok)
            return fail(QStringLiteral("--demo-events needs a number, got '%1'").arg(parser.value(demo)));
        options.seed = parser.value(seed).toULongLong(&ok);
        if (!ok)
            return fail(QStringLiteral("--demo-seed needs a number, got '%1'").arg(parser.value(seed)));
        server.store().setSyncEachWrite(false); // one sync for the whole history
        sandbox::seedDemoHistory(server.store(), options, true); // with the "order-emails" group
        server.store().setSyncEachWrite(true);
        std::string error;
        if (!server.store().syncLog(&error))
            return fail(QString::fromStdString(error));
    }
    const int clusterSize = parser.value(cluster).toInt(&ok);
    if (!ok || clusterSize < 1 || clusterSize > 16)
        return fail(QStringLiteral("--cluster needs a number of nodes from 1 to 16, got '%1'").arg(parser.value(cluster)));
    if (parser.isSet(faultFile)) {
        if (clusterSize > 1 || parser.value(replicas).toInt() > 0)
            return fail(
                QStringLiteral("--fault-file works on a single node, not with --cluster or --read-only-replicas"));
        QFile file(parser.value(faultFile));
        if (!file.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("--fault-file: cannot read '%1': %2").arg(file.fileName(), file.errorString()));
        QString why;
        const auto plan = sandbox::FaultPlan::fromJson(file.readAll(), &why);
        if (!plan)
            return fail(QStringLiteral("--fault-file: %1").arg(why));
        server.setFaultPlan(plan);
        // A crash is the process dying: nothing flushed, nothing answered (acknowledged writes are on disk).
        server.setCrashHandler([] {
            std::fputs("chronoscope-sandbox: fault plan: crash\n", stderr);
            _exit(70);
        });
    }
    const int replicaCount = parser.value(replicas).toInt(&ok);
    if (!ok || replicaCount < 0 || clusterSize + replicaCount > 16)
        return fail(QStringLiteral("--read-only-replicas needs 0 or more, at most 16 nodes in all, got '%1'")
                        .arg(parser.value(replicas)));
    sandbox::SandboxCluster nodes(server, clusterSize, replicaCount);
    // Operations.Shutdown of the last node ends the process, as it ends a real server.
    nodes.setAllStoppedHandler([] { kill(getpid(), SIGTERM); });
    QString error;
    const QString address = parser.value(listen);
    if (!nodes.start(address, &error))
        return fail(error);
    const QString host = address.left(address.lastIndexOf(QLatin1Char(':')));
    for (const int port : nodes.ports()) // every node serves before the first line: scripts wait for it
        std::printf("listening on %s:%d\n", qPrintable(host), port);
    std::fflush(stdout);

    for (;;) {
        int sig = 0;
        sigwait(&signals, &sig);
        if (sig == SIGUSR1)
            nodes.resignLeader();
        else if (sig == SIGUSR2)
            nodes.killLeader();
        else
            break;
    }
    nodes.shutdown();
    // Written after every node stopped, so no call is still counting.
    if (parser.isSet(statsFile) && !server.callStats().writeJson(parser.value(statsFile), &error))
        return fail(QStringLiteral("--stats-file: ") + error);
    return 0;
}
