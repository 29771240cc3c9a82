#include "EncodedReply.h"

namespace chronoscope::sandbox {

void ReplyBatch::take(wire::ReadEncoder::Batch &batch)
{
    // The slice owns the bytes from here on: no copy of the batch (it was one of every byte served).
    auto *owned = new std::string(std::move(batch.bytes));
    m_slice = grpc::Slice(owned->data(), owned->size(), [](void *p) { delete static_cast<std::string *>(p); },
                          owned);
    // The next batch is most likely as big: one allocation, no regrowth copies.
    batch.bytes.reserve(owned->size() + owned->size() / 4);
    m_ends.swap(batch.ends);
    batch.ends.clear();
    m_at = 0;
}

const EncodedReply *ReplyBatch::next()
{
    m_reply.batch = &m_slice;
    m_reply.begin = m_at == 0 ? 0 : m_ends[m_at - 1];
    m_reply.end = m_ends[m_at];
    ++m_at;
    return &m_reply;
}

} // namespace chronoscope::sandbox
