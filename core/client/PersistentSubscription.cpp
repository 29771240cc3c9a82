#include "client/PersistentSubscription.h"

#include "client/PersistentReplies.h"

#include "wire/GrpcChannel.h"
#include "wire/ProtoConvert.h"

#include "persistent.grpc.pb.h"

#include <grpcpp/grpcpp.h>

namespace chronoscope {

namespace pps = event_store::client::persistent_subscriptions;

namespace {

void addIds(google::protobuf::RepeatedPtrField<event_store::client::UUID> *out, const QList<QUuid> &ids)
{
    for (const QUuid &id : ids)
        proto::setUuid(out->Add(), id, false);
}

} // namespace

PersistentSubscription::PersistentSubscription(std::shared_ptr<GrpcChannel> channel, const PersistentGroup &group,
                                               int bufferSize, const std::optional<UserCredentials> &credentials,
                                               ConfirmHandler onConfirm, EventHandler onEvent, EndHandler onEnd)
    : m_channel(std::move(channel))
    , m_context(std::make_unique<grpc::ClientContext>())
    , m_onConfirm(std::move(onConfirm))
    , m_onEvent(std::move(onEvent))
    , m_onEnd(std::move(onEnd))
{
    m_channel->prepare(*m_context, GrpcChannel::CallKind::Streaming, true, credentials);
    m_stream = pps::PersistentSubscriptions::NewStub(m_channel->channel())->Read(m_context.get());
    m_thread = std::thread([this, group, bufferSize] { run(group, bufferSize); });
}

PersistentSubscription::~PersistentSubscription()
{
    cancel();
    wait();
}

void PersistentSubscription::run(const PersistentGroup &group, int bufferSize)
{
    pps::ReadReq req;
    auto *o = req.mutable_options();
    if (group.isAll())
        o->mutable_all();
    else
        o->mutable_stream_identifier()->set_stream_name(group.stream.toStdString());
    o->set_group_name(group.group.toStdString());
    o->set_buffer_size(bufferSize);
    o->mutable_uuid_option()->mutable_string();
    send(req);
    pps::ReadResp resp;
    while (m_stream->Read(&resp)) {
        if (resp.has_subscription_confirmation()) {
            if (m_onConfirm)
                m_onConfirm(QString::fromStdString(resp.subscription_confirmation().subscription_id()));
            continue;
        }
        if (!resp.has_event())
            continue;
        std::optional<PersistentEvent> event = persistentEventFrom(resp.event());
        if (event && m_onEvent)
            m_onEvent(std::move(*event));
    }
    const grpc::Status status = m_stream->Finish();
    ClientError error;
    bool cancelled = false;
    {
        std::lock_guard lock(m_writeMutex);
        cancelled = m_cancelled;
    }
    if (cancelled) {
        error.kind = ClientError::Kind::Cancelled;
        error.grpcCode = 1;
        error.message = QStringLiteral("cancelled");
    } else if (!status.ok()) {
        error = GrpcChannel::toError(status, *m_context);
    }
    if (m_onEnd)
        m_onEnd(error);
}

bool PersistentSubscription::send(const pps::ReadReq &request)
{
    std::lock_guard lock(m_writeMutex);
    return !m_cancelled && m_stream->Write(request);
}

bool PersistentSubscription::ack(const QList<QUuid> &ids)
{
    pps::ReadReq req;
    addIds(req.mutable_ack()->mutable_ids(), ids);
    return send(req);
}

bool PersistentSubscription::nack(const QList<QUuid> &ids, NackAction action, const QString &reason)
{
    pps::ReadReq req;
    addIds(req.mutable_nack()->mutable_ids(), ids);
    req.mutable_nack()->set_action(pps::ReadReq::Nack::Action(int(action)));
    req.mutable_nack()->set_reason(reason.toStdString());
    return send(req);
}

void PersistentSubscription::cancel()
{
    {
        std::lock_guard lock(m_writeMutex);
        m_cancelled = true;
    }
    m_context->TryCancel(); // outside the lock: it also ends a Write blocked under it
}

void PersistentSubscription::wait()
{
    if (m_thread.joinable() && m_thread.get_id() != std::this_thread::get_id())
        m_thread.join();
}

} // namespace chronoscope
