#pragma once

#include <atomic>
#include <memory>
#include <mutex>

namespace grpc {
class ClientContext;
}

namespace chronoscope {

/// Cancels a running call from any thread: sets a flag the worker checks between messages and
/// cancels the gRPC call that is blocked waiting for the next one.
class Cancellation
{
public:
    void cancel();
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

    /// Used by the clients while a call runs; a call started after cancel() ends at once.
    void attach(grpc::ClientContext *context);
    void detach();

private:
    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    grpc::ClientContext *m_context = nullptr;
};

using CancellationPtr = std::shared_ptr<Cancellation>;

} // namespace chronoscope
