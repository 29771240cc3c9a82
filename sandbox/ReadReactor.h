#pragma once

#include "ReadCursor.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>

namespace chronoscope::sandbox {

/// Serves one Read call with gRPC's callback API: writes the cursor's pre-encoded replies one
/// message at a time as sub-slices of one buffer per batch (one copy per batch, none per message,
/// no message objects), with the buffer hint inside a batch so the transport coalesces frames.
/// Deletes itself when done.
class ReadReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer>
{
public:
    /// Streams the cursor's replies, then finishes with OK.
    explicit ReadReactor(std::unique_ptr<ReadCursor> cursor);
    /// Finishes at once with `status` (errors found before anything was sent).
    explicit ReadReactor(const grpc::Status &status);

    void OnWriteDone(bool ok) override;
    void OnCancel() override { m_cancelled = true; }
    void OnDone() override { delete this; }

private:
    void pump();

    std::unique_ptr<ReadCursor> m_cursor;
    wire::ReadEncoder::Batch m_batch;
    grpc::Slice m_slice;          ///< m_batch's bytes, shared by the messages of the batch
    grpc::ByteBuffer m_message;   ///< the message being written
    size_t m_at = 0;              ///< next message of the batch
    bool m_more = true;           ///< the cursor has more batches
    bool m_first = true;
    std::atomic<bool> m_cancelled{false};
};

} // namespace chronoscope::sandbox
