#include "base/Cancellation.h"

#include <grpcpp/client_context.h>

namespace chronoscope {

void Cancellation::cancel()
{
    m_cancelled.store(true);
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_context)
        m_context->TryCancel();
}

void Cancellation::attach(grpc::ClientContext *context)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_context = context;
    if (m_cancelled.load())
        context->TryCancel();
}

void Cancellation::detach()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_context = nullptr;
}

} // namespace chronoscope
