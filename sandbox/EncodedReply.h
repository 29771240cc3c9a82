#pragma once

#include "ReadEncoder.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/server_callback_handlers.h>
#include <grpcpp/impl/service_type.h>

#include <vector>

namespace chronoscope::sandbox {

/// One pre-encoded ReadResp: bytes [begin, end) of a batch's slice. Reactors write these rather
/// than grpc::ByteBuffers: gRPC serializes a ByteBuffer reply by copying it into a second buffer,
/// so a ByteBuffer per message cost three buffers made and destroyed per event where this costs one
/// (about 1 400 of the ~10 000 instructions a served event cost; callgrind, see ReplyBatch).
struct EncodedReply
{
    const grpc::Slice *batch = nullptr;
    size_t begin = 0;
    size_t end = 0;
};

/// The replies of one encoded batch, handed to gRPC without copying: the slice takes the batch's
/// bytes over (gRPC may still hold them after a write completes, until the transport has sent them).
class ReplyBatch
{
public:
    /// Takes `batch`'s replies over; leaves `batch` empty, with room for a batch of the same size.
    void take(wire::ReadEncoder::Batch &batch);
    bool done() const { return m_at == m_ends.size(); }
    /// The next reply (not done()); stays valid until the next call to next() or take().
    const EncodedReply *next();

private:
    grpc::Slice m_slice;
    std::vector<size_t> m_ends;
    size_t m_at = 0;
    EncodedReply m_reply;
};

/// Streams.Read registered as protoc's WithRawCallbackMethod_Read registers it (raw request
/// bytes, method 0 of the service), but replying with EncodedReply messages.
template<class Base>
class WithEncodedRead : public Base
{
public:
    WithEncodedRead()
    {
        grpc::Service::MarkMethodRawCallback(
            0, new grpc::internal::CallbackServerStreamingHandler<grpc::ByteBuffer, EncodedReply>(
                   [this](grpc::CallbackServerContext *context, const grpc::ByteBuffer *request) {
                       return this->Read(context, request);
                   }));
    }
    using Base::Read; // the synchronous one, never called: the callback handler replaced it
    virtual grpc::ServerWriteReactor<EncodedReply> *Read(grpc::CallbackServerContext *context,
                                                        const grpc::ByteBuffer *request) = 0;
};

} // namespace chronoscope::sandbox

namespace grpc {

/// An EncodedReply goes out as the one-slice message it views (a reference, no copy).
template<>
class SerializationTraits<chronoscope::sandbox::EncodedReply, void>
{
public:
    static Status Serialize(const chronoscope::sandbox::EncodedReply &reply, ByteBuffer *buffer, bool *ownBuffer)
    {
        Slice part = reply.batch->sub(reply.begin, reply.end);
        ByteBuffer message(&part, 1);
        buffer->Swap(&message);
        *ownBuffer = true;
        return Status::OK;
    }
    static Status Deserialize(ByteBuffer *, chronoscope::sandbox::EncodedReply *)
    {
        return Status(StatusCode::INTERNAL, "EncodedReply is write-only");
    }
};

} // namespace grpc
