#include "cluster/Discovery.h"

#include "wire/GrpcChannel.h"
#include "wire/ProtoConvert.h"
#include "wire/RawMessage.h"
#include "wire/WireCount.h"

#include "gossip.grpc.pb.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/client_unary_call.h>

#include <algorithm>
#include <thread>

namespace chronoscope {

namespace gpb = event_store::client::gossip;

Discovery::Discovery(const ConnectionSettings &settings) : m_settings(settings), m_random(std::random_device{}()) {}

GossipResult Discovery::readMembers(const EndPoint &node) const
{
    GossipResult result;
    const std::shared_ptr<GrpcChannel> channel = GrpcChannel::create(m_settings, node, &result.error);
    if (!channel)
        return result;
    grpc::ClientContext ctx;
    channel->prepare(ctx, GrpcChannel::CallKind::Unary, false);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(m_settings.gossipTimeoutMs));
    // Raw bytes: the members are counted before protobuf builds them.
    const grpc::internal::RpcMethod method("/event_store.client.gossip.Gossip/Read",
                                           grpc::internal::RpcMethod::NORMAL_RPC, channel->channel());
    grpc::ByteBuffer reply;
    const grpc::Status status = grpc::internal::BlockingUnaryCall<event_store::client::Empty, grpc::ByteBuffer>(
        channel->channel().get(), method, &ctx, event_store::client::Empty(), &reply);
    if (!status.ok()) {
        result.error = GrpcChannel::toError(status, ctx);
        return result;
    }
    std::string bytes;
    gpb::ClusterInfo info;
    const bool read = proto::bytesOf(reply, &bytes);
    const qint64 members = read ? proto::wire::countEntries(bytes.data(), bytes.size(), {1}, kMaxMembers) : -1;
    if (members > kMaxMembers) {
        result.error = ClientError::protocol(QStringLiteral("the gossip of %1 lists more than %2 members (%3 bytes; a "
                                                            "cluster has a handful of nodes): refused")
                                                 .arg(node.toString())
                                                 .arg(kMaxMembers)
                                                 .arg(bytes.size()));
        return result;
    }
    if (members < 0 || !info.ParseFromString(bytes)) {
        result.error = ClientError::protocol(
            QStringLiteral("the gossip of %1 is not a ClusterInfo (%2 bytes that do not parse)")
                .arg(node.toString())
                .arg(reply.Length()));
        return result;
    }
    for (const gpb::MemberInfo &m : info.members()) {
        ClusterMember member;
        member.instanceId = proto::uuidFrom(m.instance_id());
        member.timeStamp = m.time_stamp();
        member.state = int(m.state());
        member.alive = m.is_alive();
        if (m.has_http_end_point() && m.http_end_point().port() > 0 && m.http_end_point().port() <= 65535)
            member.endPoint = EndPoint{QString::fromStdString(m.http_end_point().address()),
                                       quint16(m.http_end_point().port())};
        result.members << member;
    }
    return result;
}

QList<EndPoint> Discovery::seedsInOrder(const std::optional<EndPoint> &failed)
{
    std::lock_guard lock(m_mutex);
    QList<EndPoint> seeds;
    if (m_settings.discover && !m_settings.hosts.isEmpty())
        seeds << m_settings.hosts.first();
    else
        seeds = m_settings.hosts;
    for (const EndPoint &e : std::as_const(m_seen))
        if (!seeds.contains(e))
            seeds << e;
    std::shuffle(seeds.begin(), seeds.end(), m_random);
    if (failed)
        std::stable_partition(seeds.begin(), seeds.end(), [&](const EndPoint &e) { return !(e == *failed); });
    return seeds;
}

std::optional<EndPoint> Discovery::discover(const std::optional<EndPoint> &failed, ClientError *error,
                                            const CancellationPtr &cancel)
{
    ClientError last;
    const int attempts = std::max(1, m_settings.maxDiscoverAttempts);
    for (int attempt = 1; attempt <= attempts; ++attempt) {
        for (const EndPoint &seed : seedsInOrder(failed)) {
            if (cancel && cancel->isCancelled())
                break;
            const GossipResult gossip = readMembers(seed);
            if (gossip.error) {
                last = gossip.error;
                continue;
            }
            std::lock_guard lock(m_mutex);
            m_seen.clear();
            for (const ClusterMember &m : gossip.members)
                if (m.endPoint && m.alive)
                    m_seen << *m.endPoint;
            if (const auto chosen = NodeSelector::select(m_settings.nodePreference, gossip.members, m_random))
                return chosen;
            last = ClientError::protocol(QStringLiteral("no cluster member in a state to serve clients"));
        }
        if (cancel && cancel->isCancelled()) {
            last.kind = ClientError::Kind::Cancelled;
            last.grpcCode = 1;
            last.message = QStringLiteral("cancelled");
            break;
        }
        if (attempt < attempts)
            std::this_thread::sleep_for(std::chrono::milliseconds(m_settings.discoveryIntervalMs));
    }
    if (error) {
        *error = last;
        if (last.kind != ClientError::Kind::Cancelled) {
            error->kind = ClientError::Kind::Unavailable;
            error->grpcCode = 14;
            error->message = QStringLiteral("Failed to discover after %1 attempts (last: %2)").arg(attempts).arg(last.toString());
        }
    }
    return std::nullopt;
}

} // namespace chronoscope
