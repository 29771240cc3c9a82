// bench_read_throughput: events/s reading 1M demo events through `$all` and one 1M-event stream,
// with our client, both official Node clients and a bare gRPC loop, against chronoscope-sandbox processes.
#include "DemoHistory.h"
#include "GrpcChannel.h"
#include "StreamsClient.h"

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
    while (reader->Read(&message))
        ++r.events;
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
    std::printf("%-34s %10llu events %8.2f s %9.0f events/s %9.0f events/client CPU s\n", what,
                static_cast<unsigned long long>(r.events), r.seconds, r.perSecond(), r.perCpuSecond());
    std::fflush(stdout);
}

/// A chronoscope-sandbox process; its CPU time tells how many events it can serve per core.
class SandboxProcess
{
public:
    bool start(const QString &binary, const QStringList &extra)
    {
        m_process.setProgram(binary);
        m_process.setArguments(QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                           QStringLiteral("--insecure")} + extra);
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
    ~SandboxProcess()
    {
        m_process.terminate();
        m_process.waitForFinished(5000);
    }

private:
    QProcess m_process;
    int m_port = 0;
};

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
    std::fflush(stdout);
    SandboxProcess allServer, streamServer;
    if (!allServer.start(sandbox, {QStringLiteral("--demo-events"), QString::number(n)})
        || !streamServer.start(sandbox, {})) {
        std::fprintf(stderr, "cannot start chronoscope-sandbox\n");
        return 1;
    }
    const auto connect = [](int port) {
        return ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port)).settings;
    };
    StreamsClient allClient(connect(allServer.port()));
    StreamsClient streamClient(connect(streamServer.port()));
    {
        // The same payloads as the demo, appended through our client in batches of 1000.
        QList<EventData> batch;
        DemoHistory::Options options;
        options.eventCount = n;
        DemoHistory(options).generate([&](const DemoEvent &e) {
            batch << EventData::json(e.type, e.data, e.metadata);
            if (batch.size() == 1000) {
                if (streamClient.append(stream, ExpectedState::any(), batch).error)
                    return false;
                batch.clear();
            }
            return true;
        });
        if (!batch.isEmpty())
            streamClient.append(stream, ExpectedState::any(), batch);
    }

    double worstOursVsOfficial = 1e9, worstOursVsBare = 1e9, worstServed = 1e18;
    for (const bool all : {true, false}) {
        const char *label = all ? "$all" : "stream";
        StreamsClient &client = all ? allClient : streamClient;
        const SandboxProcess &server = all ? allServer : streamServer;
        const int port = server.port();
        const ReadRequest request = all ? ReadRequest::forAll() : ReadRequest::forStream(stream);
        // The bare loops use a channel built exactly as our client builds its own (same arguments).
        ClientError channelError;
        const ConnectionSettings settings = connect(port);
        const auto bareChannel = GrpcChannel::create(settings, settings.hosts.first(), &channelError);
        ours(client, request); // warm-up
        rawLoop(bareChannel->channel(), all, stream);
        const double userBefore = server.userSeconds(), systemBefore = server.systemSeconds();
        const Rate raw = rawLoop(bareChannel->channel(), all, stream);
        const Rate bare = bareLoop(bareChannel->channel(), all, stream);
        const double serverUser = server.userSeconds() - userBefore;
        const double serverSystem = server.systemSeconds() - systemBefore;
        const double serverCpu = serverUser + serverSystem;
        const Rate mine = ours(client, request);
        line(qPrintable(QStringLiteral("%1 raw gRPC loop (bytes)").arg(QLatin1String(label))), raw);
        line(qPrintable(QStringLiteral("%1 bare gRPC loop (protobuf)").arg(QLatin1String(label))), bare);
        line(qPrintable(QStringLiteral("%1 chronoscope client").arg(QLatin1String(label))), mine);
        const double served = serverCpu > 0 ? double(raw.events + bare.events) / serverCpu : 0;
        std::printf("%s sandbox: %.2f CPU s (user %.2f, system %.2f) for %llu events = %.0f events per CPU second\n",
                    label, serverCpu, serverUser, serverSystem,
                    static_cast<unsigned long long>(raw.events + bare.events), served);
        // The stricter peer: the faster of the two loops.
        const double limit = std::max(raw.perSecond(), bare.perSecond());
        std::printf("%s ratio ours/raw: %.2f  ours/bare: %.2f\n", label, mine.perSecond() / raw.perSecond(),
                    mine.perSecond() / bare.perSecond());
        worstOursVsBare = std::min(worstOursVsBare, mine.perSecond() / limit);
        worstServed = std::min(worstServed, served);
        if (!skipOfficial) {
            const Rate kurrent = official(script, "kurrent", port, all, stream);
            const Rate esdb = official(script, "eventstore", port, all, stream);
            line(qPrintable(QStringLiteral("%1 @kurrent/kurrentdb-client").arg(QLatin1String(label))), kurrent);
            line(qPrintable(QStringLiteral("%1 @eventstore/db-client").arg(QLatin1String(label))), esdb);
            const double fastest = std::max(kurrent.perSecond(), esdb.perSecond());
            if (kurrent.events != mine.events || esdb.events != mine.events)
                std::fprintf(stderr, "warning: clients read different counts\n");
            std::printf("%s ratio ours/fastest official: %.2f\n", label, fastest > 0 ? mine.perSecond() / fastest : 0.0);
            const double leanest = std::max(kurrent.perCpuSecond(), esdb.perCpuSecond());
            std::printf("%s per client CPU second, ours/leanest official: %.2f  ours/raw: %.2f\n", label,
                        leanest > 0 ? mine.perCpuSecond() / leanest : 0.0, mine.perCpuSecond() / raw.perCpuSecond());
            worstOursVsOfficial = std::min(worstOursVsOfficial, fastest > 0 ? mine.perSecond() / fastest : 0.0);
        }
    }
    if (!skipOfficial)
        std::printf("target ours_vs_fastest_official: %.2f (goal >= 5)\n", worstOursVsOfficial);
    std::printf("target ours_vs_bare_loop: %.2f (goal >= 0.5)\n", worstOursVsBare);
    std::printf("target sandbox_events_per_cpu_second: %.0f (goal >= 1000000)\n", worstServed);
    return 0;
}
