// bench_read_throughput: reading 1M demo events through `$all` and one 1M-event stream, with our
// client, both official Node clients and bare gRPC loops, against chronoscope-sandbox processes;
// then the same loops against bench_read_floor_server (the sandbox's gRPC path with no store).
// The targets compare events per CPU second of the process doing the work (getrusage, /proc,
// process.cpuUsage()): the machine is shared, so wall-clock rates mostly measure the scheduler.
#include "client/StreamsClient.h"
#include "demo/DemoHistory.h"
#include "wire/GrpcChannel.h"

#include "streams.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>

#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

using namespace chronoscope;
namespace spb = event_store::client::streams;

namespace {

struct Rate
{
    quint64 events = 0;
    quint64 bytes = 0; ///< message bytes received (raw loop only)
    double seconds = 0;
    double cpuSeconds = 0; ///< CPU time of the reading process (all threads) during the read
    double perSecond() const { return seconds > 0 ? double(events) / seconds : 0; }
    double perCpuSecond() const { return cpuSeconds > 0 ? double(events) / cpuSeconds : 0; }
};

/// CPU seconds this process has used so far, all threads: with other work on the machine,
/// events per client CPU second compare clients where events/s mostly measures the scheduler.
double processCpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

Rate ours(StreamsClient &client, const ReadRequest &request)
{
    Rate r;
    quint64 bytes = 0;
    QElapsedTimer t;
    const double cpu = processCpuSeconds();
    t.start();
    const ReadSummary s = client.read(request, [&](ResolvedEvent &&e) {
        bytes += quint64(e.event->data.size()); // touch the event so nothing is optimised away
        return true;
    });
    r.seconds = double(t.nsecsElapsed()) / 1e9;
    r.cpuSeconds = processCpuSeconds() - cpu;
    r.events = s.eventCount;
    if (s.error)
        std::fprintf(stderr, "our read failed: %s\n", qPrintable(s.error.toString()));
    return bytes > 0 ? r : Rate{};
}

spb::ReadReq bareRequest(bool all, const std::string &stream)
{
    spb::ReadReq req;
    auto *o = req.mutable_options();
    o->set_count(std::numeric_limits<uint64_t>::max());
    o->mutable_uuid_option()->mutable_string();
    o->mutable_no_filter();
    if (all)
        o->mutable_all()->mutable_start();
    else {
        o->mutable_stream()->mutable_stream_identifier()->set_stream_name(stream);
        o->mutable_stream()->mutable_start();
    }
    return req;
}

/// The practical limit with protobuf: the same call on a channel built like ours, messages parsed
/// by protobuf, nothing built from them.
Rate bareLoop(const std::shared_ptr<grpc::Channel> &channel, bool all, const std::string &stream)
{
    auto stub = spb::Streams::NewStub(channel);
    const spb::ReadReq req = bareRequest(all, stream);
    grpc::ClientContext ctx;
    QElapsedTimer t;
    const double cpu = processCpuSeconds();
    t.start();
    auto reader = stub->Read(&ctx, req);
    spb::ReadResp resp;
    Rate r;
    while (reader->Read(&resp))
        r.events += resp.has_event() ? 1 : 0;
    reader->Finish();
    r.seconds = double(t.nsecsElapsed()) / 1e9;
    r.cpuSeconds = processCpuSeconds() - cpu;
    return r;
}

/// The practical limit of gRPC itself: the same call, each message received as bytes and not
/// even parsed (counts messages: the events, as this read sends nothing else).
Rate rawLoop(const std::shared_ptr<grpc::Channel> &channel, bool all, const std::string &stream)
{
    const grpc::internal::RpcMethod method("/event_store.client.streams.Streams/Read",
                                           grpc::internal::RpcMethod::SERVER_STREAMING, channel);
    const spb::ReadReq req = bareRequest(all, stream);
    grpc::ClientContext ctx;
    QElapsedTimer t;
    const double cpu = processCpuSeconds();
    t.start();
    std::unique_ptr<grpc::ClientReader<grpc::ByteBuffer>> reader(
        grpc::internal::ClientReaderFactory<grpc::ByteBuffer>::Create(channel.get(), method, &ctx, req));
    grpc::ByteBuffer message;
    Rate r;
    while (reader->Read(&message)) {
        ++r.events;
        r.bytes += message.Length();
    }
    reader->Finish();
    r.seconds = double(t.nsecsElapsed()) / 1e9;
    r.cpuSeconds = processCpuSeconds() - cpu;
    return r;
}

Rate official(const QString &script, const char *client, int port, bool all, const char *stream)
{
    QProcess node;
    node.start(QStringLiteral("node"), {script, QLatin1String(client), QString::number(port),
                                        all ? QStringLiteral("all") : QStringLiteral("stream"), QLatin1String(stream)});
    if (!node.waitForFinished(30 * 60 * 1000) || node.exitCode() != 0) {
        std::fprintf(stderr, "%s failed: %s\n", client, node.readAllStandardError().constData());
        return {};
    }
    const QList<QByteArray> words = node.readAllStandardOutput().trimmed().split(' ');
    Rate r;
    if (words.size() == 6) {
        r.events = words[1].toULongLong();
        r.seconds = words[3].toDouble();
        r.cpuSeconds = words[5].toDouble();
    }
    return r;
}

void line(const char *what, const Rate &r)
{
    std::printf("%-36s %8llu events %6.2f s %8.0f events/s (wall) %8.0f per client CPU second\n", what,
                static_cast<unsigned long long>(r.events), r.seconds, r.perSecond(), r.perCpuSecond());
    std::fflush(stdout);
}

/// A server process (chronoscope-sandbox, bench_read_floor_server) that prints "listening on
/// HOST:PORT"; its CPU time tells how many events it can serve per core.
class ServerProcess
{
public:
    bool start(const QString &binary, const QStringList &arguments)
    {
        m_process.setProgram(binary);
        m_process.setArguments(arguments);
        m_process.start();
        if (!m_process.waitForReadyRead(10 * 60 * 1000))
            return false;
        const QByteArray line = m_process.readLine().trimmed();
        m_port = line.mid(line.lastIndexOf(':') + 1).toInt();
        return line.startsWith("listening on") && m_port > 0;
    }
    int port() const { return m_port; }
    /// User + system CPU seconds of the process so far (from /proc).
    double cpuSeconds() const { return userSeconds() + systemSeconds(); }
    double userSeconds() const { return statField(11); }
    double systemSeconds() const { return statField(12); }
    /// A CPU time field of /proc/PID/stat in seconds: 11 is utime, 12 stime, counted from the state field.
    double statField(int index) const
    {
        QFile f(QStringLiteral("/proc/%1/stat").arg(m_process.processId()));
        if (!f.open(QIODevice::ReadOnly))
            return 0;
        const QByteArray stat = f.readAll();
        const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        return double(fields.value(index).toLongLong()) / double(sysconf(_SC_CLK_TCK));
    }
    ~ServerProcess()
    {
        m_process.terminate();
        m_process.waitForFinished(5000);
    }

private:
    QProcess m_process;
    int m_port = 0;
};

/// Our connection settings for a server on this machine (the bare loops' channels are built from them too).
ConnectionSettings settingsFor(int port)
{
    return ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port)).settings;
}

/// Appends the demo's payloads to `stream` through our client, in batches of 1000.
bool appendStream(StreamsClient &client, const char *stream, quint64 n)
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
    if (!ok)
        std::fprintf(stderr, "cannot append the benchmark stream\n");
    return ok;
}

/// The bare loops against one server, and the server's CPU time while it served them.
struct Served
{
    Rate raw, bare;
    double serverUser = 0, serverSystem = 0;
    quint64 events() const { return raw.events + bare.events; }
    double perServerCpuSecond() const
    {
        const double cpu = serverUser + serverSystem;
        return cpu > 0 ? double(events()) / cpu : 0;
    }
};

/// Reads everything with the raw loop (a warm-up), then with the raw and the bare loop, measured,
/// on a channel built exactly as our client builds its own (same arguments).
Served serve(const ServerProcess &server, bool all, const std::string &stream)
{
    ClientError error;
    const ConnectionSettings settings = settingsFor(server.port());
    const auto channel = GrpcChannel::create(settings, settings.hosts.first(), &error);
    rawLoop(channel->channel(), all, stream);
    Served s;
    const double user = server.userSeconds(), system = server.systemSeconds();
    s.raw = rawLoop(channel->channel(), all, stream);
    s.bare = bareLoop(channel->channel(), all, stream);
    s.serverUser = server.userSeconds() - user;
    s.serverSystem = server.systemSeconds() - system;
    return s;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    quint64 n = 1000000;
    const int at = int(args.indexOf(QStringLiteral("--events")));
    if (at > 0 && at + 1 < args.size())
        n = args.at(at + 1).toULongLong();
    const bool skipOfficial = args.contains(QStringLiteral("--no-official"));
    const int sandboxAt = int(args.indexOf(QStringLiteral("--sandbox")));
    const QString sandbox = sandboxAt > 0 && sandboxAt + 1 < args.size() ? args.at(sandboxAt + 1)
                                                                         : QStringLiteral(CHRONOSCOPE_SANDBOX_BIN);
    if (args.contains(QStringLiteral("--help"))) {
        std::printf("usage: bench_read_throughput [--events N] [--no-official] [--sandbox PATH]\n"
                    "  --events N      events in each sandbox (default 1000000)\n"
                    "  --no-official   skip the official Node clients\n"
                    "  --sandbox PATH  the chronoscope-sandbox binary to measure (default: this build's)\n");
        return 0;
    }
    const QString script = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/bench/official_read.js");
    const char *stream = "bench-stream";

    // One sandbox with the demo history (read through $all), one with a single long stream.
    std::printf("starting sandboxes: %llu demo events; one %llu-event stream…\n", static_cast<unsigned long long>(n),
                static_cast<unsigned long long>(n));
    std::printf("per CPU second = events / (user + system CPU seconds of the process doing the work, all its "
                "threads):\nload-independent, unlike the wall-clock events/s beside them\n");
    std::fflush(stdout);
    const QStringList listen{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--insecure")};
    ServerProcess allServer, streamServer;
    if (!allServer.start(sandbox, listen + QStringList{QStringLiteral("--demo-events"), QString::number(n)})
        || !streamServer.start(sandbox, listen)) {
        std::fprintf(stderr, "cannot start chronoscope-sandbox\n");
        return 1;
    }
    StreamsClient allClient(settingsFor(allServer.port()));
    StreamsClient streamClient(settingsFor(streamServer.port()));
    if (!appendStream(streamClient, stream, n))
        return 1;

    double worstOursVsOfficial = 1e9, worstOursVsBare = 1e9, worstServed = 1e18;
    double servedBy[2] = {0, 0};
    quint64 replyBytes = 0, replies = 0;
    for (const bool all : {true, false}) {
        const char *label = all ? "$all" : "stream";
        StreamsClient &client = all ? allClient : streamClient;
        const ServerProcess &server = all ? allServer : streamServer;
        const ReadRequest request = all ? ReadRequest::forAll() : ReadRequest::forStream(stream);
        ours(client, request); // warm-up
        const Served s = serve(server, all, stream);
        const Rate mine = ours(client, request);
        line(qPrintable(QStringLiteral("%1 raw gRPC loop (bytes)").arg(QLatin1String(label))), s.raw);
        line(qPrintable(QStringLiteral("%1 bare gRPC loop (protobuf)").arg(QLatin1String(label))), s.bare);
        line(qPrintable(QStringLiteral("%1 chronoscope client").arg(QLatin1String(label))), mine);
        std::printf("%s sandbox: %.2f CPU s (user %.2f, system %.2f) serving both loops' %llu events = %.0f events "
                    "per sandbox CPU second\n",
                    label, s.serverUser + s.serverSystem, s.serverUser, s.serverSystem,
                    static_cast<unsigned long long>(s.events()), s.perServerCpuSecond());
        replyBytes += s.raw.bytes;
        replies += s.raw.events;
        // The stricter peer: the leaner of the two loops.
        const double loop = std::max(s.raw.perCpuSecond(), s.bare.perCpuSecond());
        std::printf("%s per client CPU second, ours/raw: %.2f  ours/bare: %.2f  (wall clock: %.2f, %.2f)\n", label,
                    mine.perCpuSecond() / s.raw.perCpuSecond(), mine.perCpuSecond() / s.bare.perCpuSecond(),
                    mine.perSecond() / s.raw.perSecond(), mine.perSecond() / s.bare.perSecond());
        worstOursVsBare = std::min(worstOursVsBare, loop > 0 ? mine.perCpuSecond() / loop : 0.0);
        servedBy[all ? 0 : 1] = s.perServerCpuSecond();
        worstServed = std::min(worstServed, s.perServerCpuSecond());
        if (!skipOfficial) {
            const int port = server.port();
            const Rate kurrent = official(script, "kurrent", port, all, stream);
            const Rate esdb = official(script, "eventstore", port, all, stream);
            line(qPrintable(QStringLiteral("%1 @kurrent/kurrentdb-client").arg(QLatin1String(label))), kurrent);
            line(qPrintable(QStringLiteral("%1 @eventstore/db-client").arg(QLatin1String(label))), esdb);
            if (kurrent.events != mine.events || esdb.events != mine.events)
                std::fprintf(stderr, "warning: clients read different counts\n");
            // The official client that needs the least CPU per event is the one to beat.
            const double leanest = std::max(kurrent.perCpuSecond(), esdb.perCpuSecond());
            const double fastest = std::max(kurrent.perSecond(), esdb.perSecond());
            const double ratio = leanest > 0 ? mine.perCpuSecond() / leanest : 0.0;
            std::printf("%s ours/leanest official per client CPU second: %.2f  (wall clock, ours/fastest: %.2f)\n",
                        label, ratio, fastest > 0 ? mine.perSecond() / fastest : 0.0);
            worstOursVsOfficial = std::min(worstOursVsOfficial, ratio);
        }
    }

    // The floor under the sandbox: its gRPC settings and write path serving one pre-encoded reply of
    // the average size over and over, no store and no encoder behind it.
    ServerProcess floor;
    const quint64 averageReply = replies ? replyBytes / replies : 0;
    if (!floor.start(QStringLiteral(CHRONOSCOPE_FLOOR_SERVER_BIN),
                     {QStringLiteral("--events"), QString::number(n), QStringLiteral("--reply-bytes"),
                      QString::number(averageReply)})) {
        std::fprintf(stderr, "cannot start bench_read_floor_server\n");
        return 1;
    }
    const Served f = serve(floor, true, stream);
    line("floor server, raw gRPC loop (bytes)", f.raw);
    line("floor server, bare gRPC loop", f.bare);
    std::printf("floor server (the sandbox's gRPC settings and ReadReactor, one %llu-byte reply repeated, no store, "
                "no encoding): %.0f events per server CPU second; the sandbox serves $all at %.2f and the stream at "
                "%.2f of it\n",
                static_cast<unsigned long long>(averageReply), f.perServerCpuSecond(),
                servedBy[0] / f.perServerCpuSecond(), servedBy[1] / f.perServerCpuSecond());

    if (!skipOfficial)
        std::printf("target ours_vs_fastest_official: %.2f (goal >= 5)\n", worstOursVsOfficial);
    std::printf("target ours_vs_bare_loop: %.2f (goal >= 0.5)\n", worstOursVsBare);
    std::printf("target sandbox_events_per_cpu_second: %.0f (goal >= 1000000)\n", worstServed);
    return 0;
}
