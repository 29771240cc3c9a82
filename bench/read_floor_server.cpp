// bench_read_floor_server: the floor under chronoscope-sandbox's reads. It serves Streams.Read with
// the sandbox's gRPC settings and write path (ReadReactor, EncodedReply), every reply a copy of
// one pre-encoded event: what a read costs a server when the store and the encoder cost nothing.
// bench_read_throughput compares the sandbox's CPU per event with this one's.
#include "EncodedReply.h"
#include "ReadReactor.h"
#include "SandboxServer.h"
#include "wire/GrpcRuntime.h"

#include "streams.grpc.pb.h"

#include <QCoreApplication>
#include <QStringList>

#include <cstdio>

using namespace chronoscope;
using namespace chronoscope::sandbox;

namespace {

/// Hands out `count` copies of one encoded reply, ReadCursor::kBatch at a time.
class RepeatCursor final : public ReadCursor
{
public:
    RepeatCursor(const std::string &reply, quint64 count) : m_reply(reply), m_remaining(count) {}
    bool next(wire::ReadEncoder::Batch &out) override
    {
        out.clear();
        const quint64 n = std::min<quint64>(m_remaining, kBatch);
        for (quint64 i = 0; i < n; ++i) {
            out.bytes += m_reply;
            out.ends.push_back(out.bytes.size());
        }
        m_remaining -= n;
        return m_remaining > 0;
    }

private:
    const std::string &m_reply;
    quint64 m_remaining;
};

class FloorService final : public WithEncodedRead<event_store::client::streams::Streams::Service>
{
public:
    FloorService(std::string reply, quint64 events) : m_reply(std::move(reply)), m_events(events) {}
    grpc::ServerWriteReactor<EncodedReply> *Read(grpc::CallbackServerContext *, const grpc::ByteBuffer *) override
    {
        return new ReadReactor(std::make_unique<RepeatCursor>(m_reply, m_events));
    }

private:
    std::string m_reply;
    quint64 m_events;
};

/// A demo-like event (JSON data and metadata, string id) whose ReadResp is about `bytes` long.
std::string encodedReply(size_t bytes)
{
    StoredRecord r;
    r.stream = "order-000042";
    r.revision = 3;
    r.position = 123456789;
    r.type = "OrderPlaced";
    r.createdTicks = 17828640000000000;
    r.metadata = R"({"$correlationId":"8f2c11d5-0b6e-4a8c-9d3e-6f1a2b3c4d5e"})";
    r.id = QUuid::fromString(QStringLiteral("8f2c11d5-0b6e-4a8c-9d3e-6f1a2b3c4d5e"));
    r.idString = r.id.toString(QUuid::WithoutBraces).toStdString();
    const wire::ReadEncoder encoder(false);
    wire::ReadEncoder::Batch batch;
    for (;;) { // grow the data until the reply is long enough (length prefixes grow with it)
        batch.clear();
        encoder.appendEvent(batch, &r, nullptr, r.position);
        if (batch.bytes.size() >= bytes)
            return batch.bytes;
        r.data = "{\"items\":\"" + std::string(bytes - batch.bytes.size() + r.data.size(), 'x') + "\"}";
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto value = [&](const char *name, quint64 fallback) {
        const int at = int(args.indexOf(QLatin1String(name)));
        return at > 0 && at + 1 < args.size() ? args.at(at + 1).toULongLong() : fallback;
    };
    if (args.contains(QStringLiteral("--help"))) {
        std::printf("usage: bench_read_floor_server [--events N] [--reply-bytes B]\n"
                    "  every Read gets N replies (default 1000000), each a B-byte ReadResp (default 600),\n"
                    "  from the sandbox's write path with no store behind it; listens on 127.0.0.1, any port\n");
        return 0;
    }
    tuneGrpcRuntime(); // as the sandbox does
    FloorService service(encodedReply(size_t(value("--reply-bytes", 600))), value("--events", 1000000));
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    applyServerSettings(builder);
    const std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    if (!server || port == 0) {
        std::fprintf(stderr, "bench_read_floor_server: cannot listen\n");
        return 1;
    }
    std::printf("listening on 127.0.0.1:%d\n", port);
    std::fflush(stdout);
    server->Wait(); // until the benchmark terminates it
    return 0;
}
