#pragma once

#include "EncodedReply.h"
#include "ReadCursor.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>

namespace chronoscope::sandbox {

/// Serves one Read call with gRPC's callback API: writes the cursor's pre-encoded replies one
/// message at a time as views of one buffer per batch (no copy, no message objects), with the
/// buffer hint inside a batch so the transport coalesces frames. Deletes itself when done.
class ReadReactor final : public grpc::ServerWriteReactor<EncodedReply>
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
    wire::ReadEncoder::Batch m_batch; ///< where the cursor encodes
    ReplyBatch m_replies;             ///< the batch being written
    bool m_more = true;               ///< the cursor has more batches
    bool m_first = true;
    std::atomic<bool> m_cancelled{false};
};

} // namespace chronoscope::sandbox
