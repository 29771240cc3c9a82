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
    while (m_replies.done()) {
        if (!m_more) {
            Finish(grpc::Status::OK);
            return;
        }
        if (m_cancelled) {
            Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
            return;
        }
        m_more = m_cursor->next(m_batch);
        m_replies.take(m_batch);
    }
    const EncodedReply *reply = m_replies.next();
    // The first reply goes out at once (a buffered first write would hold back the headers, and
    // the whole reply with them, until the next keepalive ping); so does the last of each batch.
    grpc::WriteOptions options;
    if (!m_first && !m_replies.done())
        options.set_buffer_hint();
    m_first = false;
    StartWrite(reply, options);
}

} // namespace chronoscope::sandbox
