#include "HostileServer.h"

#include "persistent.pb.h"
#include "projections.pb.h"
#include "serverfeatures.pb.h"
#include "streams.pb.h"

#include <QFile>

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <mutex>
#include <vector>

namespace chronoscope::test {

namespace spb = event_store::client::streams;
using Behaviour = HostileServer::Behaviour;

namespace {

constexpr size_t kHugeMetadata = 1 << 20;
constexpr size_t kOversized = 32u << 20;
constexpr size_t kCrowd = 2u << 20; ///< empty entries in a CrowdedList reply: 2 bytes each on the wire

bool endless(Behaviour b)
{
    return b == Behaviour::Endless || b == Behaviour::EndlessStatistics || b == Behaviour::FatStatistics;
}

/// A List reply of `kCrowd` empty groups (a gossip reply of as many members), or a GetInfo reply of one group with
/// `kCrowd` empty connections.
std::string crowdedReply(const std::string &method)
{
    const bool list = method == "/event_store.client.persistent_subscriptions.PersistentSubscriptions/List"
        || method == "/event_store.client.gossip.Gossip/Read"; // ClusterInfo.members is field 1 too
    std::string entries;
    entries.reserve(2 * kCrowd);
    for (size_t i = 0; i < kCrowd; ++i)
        entries += list ? std::string("\x0a\x00", 2) : std::string("\x22\x00", 2); // field 1 or 4, length 0
    if (list)
        return entries;        // ListResp.subscriptions
    std::string info = "\x0a"; // GetInfoResp.subscription_info: SubscriptionInfo.connections
    for (size_t n = entries.size();; n >>= 7) {
        info += char(n < 0x80 ? n : 0x80 | (n & 0x7f));
        if (n < 0x80)
            break;
    }
    return info + entries;
}

std::string statisticsReply(Behaviour b, size_t n)
{
    event_store::client::projections::StatisticsResp resp;
    resp.mutable_details()->set_name("p-" + std::to_string(n));
    resp.mutable_details()->set_status("Running");
    if (b == Behaviour::FatStatistics)
        resp.mutable_details()->set_statereason(std::string(kHugeMetadata, 'r'));
    return resp.SerializeAsString();
}

std::string eventReply(const std::string &stream, quint64 revision, quint64 commit)
{
    spb::ReadResp resp;
    auto *read = resp.mutable_event();
    auto *e = read->mutable_event();
    e->mutable_id()->set_string("5f0c7c7e-0000-4000-8000-" + std::to_string(100000000000ull + revision));
    e->mutable_stream_identifier()->set_stream_name(stream);
    e->set_stream_revision(revision);
    e->set_prepare_position(commit);
    e->set_commit_position(commit);
    (*e->mutable_metadata())["type"] = "HostileEvent";
    (*e->mutable_metadata())["content-type"] = "application/json";
    (*e->mutable_metadata())["created"] = "17000000000000000";
    e->set_data(R"({"n":)" + std::to_string(revision) + "}");
    read->set_commit_position(commit);
    return resp.SerializeAsString();
}

std::string streamEvent(quint64 revision)
{
    return eventReply(HostileServer::streamName().toStdString(), revision, 1000 + 100 * revision);
}

/// What a call on `method` gets, in order (Endless makes its events as it goes).
std::vector<std::string> repliesFor(Behaviour b, const std::string &method)
{
    const bool read = method == "/event_store.client.streams.Streams/Read";
    switch (b) {
    case Behaviour::Malformed: // an 11-byte varint tag: no protobuf message starts like this
        return {std::string(11, '\xff')};
    case Behaviour::LyingLength: // field 1, length 1000, and 10 bytes
        return {std::string("\x0a\xe8\x07", 3) + std::string(10, 'x')};
    case Behaviour::Oversized:
        return {std::string("\x0a\x80\x80\x80\x10", 5) + std::string(kOversized, '\0')}; // field 1, 32 MiB
    case Behaviour::PositionBackwards:
        return {eventReply("a", 0, 100), eventReply("b", 0, 200), eventReply("c", 0, 150)};
    case Behaviour::RevisionBackwards: return {streamEvent(0), streamEvent(1), streamEvent(2), streamEvent(1)};
    case Behaviour::RevisionSkip: return {streamEvent(0), streamEvent(1), streamEvent(5)};
    case Behaviour::Duplicate: return {streamEvent(0), streamEvent(1), streamEvent(1)};
    case Behaviour::CrowdedList: return {crowdedReply(method)};
    case Behaviour::Endless:
    case Behaviour::EndlessStatistics:
    case Behaviour::FatStatistics:
    case Behaviour::Stall: return {};
    case Behaviour::HugeInitialMetadata:
    case Behaviour::HugeTrailer:
    case Behaviour::Good: break;
    }
    if (read)
        return {streamEvent(0), streamEvent(1), streamEvent(2)};
    if (method == "/event_store.client.streams.Streams/Append") {
        spb::AppendResp resp;
        resp.mutable_success()->set_current_revision(0);
        return {resp.SerializeAsString()};
    }
    event_store::client::server_features::SupportedMethods resp;
    resp.set_event_store_server_version("24.10.0");
    return {resp.SerializeAsString()};
}

/// One call: reads the request(s), then writes the crafted replies one at a time.
class Call : public grpc::ServerGenericBidiReactor
{
public:
    Call(std::shared_ptr<HostileServer::State> state, grpc::GenericCallbackServerContext *ctx)
        : m_state(std::move(state)), m_ctx(ctx), m_method(ctx->method())
    {
        m_replies = repliesFor(m_state->behaviour, m_method);
        if (m_state->behaviour == Behaviour::HugeInitialMetadata)
            m_ctx->AddInitialMetadata("x-hostile", std::string(kHugeMetadata, 'm'));
        StartRead(&m_in);
    }

    void OnReadDone(bool ok) override
    {
        // Append streams its requests: answer after the last; the others answer the first.
        if (ok && m_method == "/event_store.client.streams.Streams/Append") {
            StartRead(&m_in);
            return;
        }
        if (m_state->behaviour == Behaviour::Stall)
            return; // OnCancel ends it
        writeNext();
    }
    void OnWriteDone(bool ok) override
    {
        if (!ok) {
            finish(grpc::Status::CANCELLED);
            return;
        }
        ++m_state->written;
        writeNext();
    }
    void OnCancel() override
    {
        ++m_state->cancelled;
        finish(grpc::Status::CANCELLED);
    }
    void OnDone() override { delete this; }

private:
    void writeNext()
    {
        std::string bytes;
        if (m_state->behaviour == Behaviour::Endless) {
            bytes = streamEvent(m_next++);
        } else if (endless(m_state->behaviour)) {
            bytes = statisticsReply(m_state->behaviour, m_next++);
        } else if (m_next < m_replies.size()) {
            bytes = std::move(m_replies[m_next++]);
        } else {
            if (m_state->behaviour == Behaviour::HugeTrailer)
                m_ctx->AddTrailingMetadata("x-hostile", std::string(kHugeMetadata, 't'));
            finish(grpc::Status::OK);
            return;
        }
        grpc::Slice slice(bytes);
        m_out = grpc::ByteBuffer(&slice, 1);
        StartWrite(&m_out);
    }
    void finish(const grpc::Status &status)
    {
        std::lock_guard lock(m_mutex);
        if (m_finished)
            return;
        m_finished = true;
        Finish(status);
    }

    std::shared_ptr<HostileServer::State> m_state;
    grpc::GenericCallbackServerContext *m_ctx;
    std::string m_method;
    std::vector<std::string> m_replies;
    size_t m_next = 0;
    grpc::ByteBuffer m_in, m_out;
    std::mutex m_mutex;
    bool m_finished = false;
};

class Service : public grpc::CallbackGenericService
{
public:
    explicit Service(std::shared_ptr<HostileServer::State> state) : m_state(std::move(state)) {}
    grpc::ServerGenericBidiReactor *CreateReactor(grpc::GenericCallbackServerContext *ctx) override
    {
        return new Call(m_state, ctx);
    }

private:
    std::shared_ptr<HostileServer::State> m_state;
};

std::string readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}

} // namespace

HostileServer::HostileServer(Behaviour behaviour, const QString &tlsCertFile, const QString &tlsKeyFile)
    : m_state(std::make_shared<State>())
{
    m_state->behaviour = behaviour;
    m_service = std::make_unique<Service>(m_state);
    std::shared_ptr<grpc::ServerCredentials> creds = grpc::InsecureServerCredentials();
    if (!tlsCertFile.isEmpty()) {
        grpc::SslServerCredentialsOptions ssl;
        ssl.pem_key_cert_pairs.push_back({readAll(tlsKeyFile), readAll(tlsCertFile)});
        creds = grpc::SslServerCredentials(ssl);
        m_tls = true;
    }
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", creds, &m_port);
    builder.RegisterCallbackGenericService(m_service.get());
    builder.SetMaxSendMessageSize(-1);
    m_server = builder.BuildAndStart();
    if (!m_server)
        m_port = 0;
}

HostileServer::~HostileServer()
{
    if (m_server)
        m_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
}

QString HostileServer::connectionString(const QString &extra) const
{
    return QStringLiteral("esdb://127.0.0.1:%1?tls=%2%3")
        .arg(m_port)
        .arg(m_tls ? QStringLiteral("true") : QStringLiteral("false"), extra);
}

ConnectionSettings HostileServer::settings(int deadlineMs) const
{
    ConnectionString::Result r = ConnectionString::parse(connectionString());
    r.settings.defaultDeadlineMs = deadlineMs;
    return r.settings;
}

} // namespace chronoscope::test

namespace chronoscope::test {

long residentKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    return -1;
}

} // namespace chronoscope::test
