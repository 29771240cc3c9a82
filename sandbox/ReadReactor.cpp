#include "ReadReactor.h"

namespace chronoscope::sandbox {

ReadReactor::ReadReactor(std::unique_ptr<ReadCursor> cursor) : m_cursor(std::move(cursor))
{
    pump();
}

ReadReactor::ReadReactor(const grpc::Status &status)
{
    Finish(status);
}

void ReadReactor::OnWriteDone(bool ok)
{
    if (!ok) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "The client went away."));
        return;
    }
    pump();
}

void ReadReactor::pump()
{
    while (m_at == m_batch.count()) {
        if (!m_more) {
            Finish(grpc::Status::OK);
            return;
        }
        if (m_cancelled) {
            Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
            return;
        }
        m_more = m_cursor->next(m_batch);
        m_at = 0;
        m_slice = grpc::Slice(m_batch.bytes);
    }
    const size_t begin = m_at == 0 ? 0 : m_batch.ends[m_at - 1];
    const size_t end = m_batch.ends[m_at];
    grpc::Slice part = m_slice.sub(begin, end);
    m_message = grpc::ByteBuffer(&part, 1);
    ++m_at;
    // The first reply goes out at once (a buffered first write would hold back the headers, and
    // the whole reply with them, until the next keepalive ping); so does the last of each batch.
    grpc::WriteOptions options;
    if (!m_first && m_at < m_batch.count())
        options.set_buffer_hint();
    m_first = false;
    StartWrite(&m_message, options);
}

} // namespace chronoscope::sandbox
