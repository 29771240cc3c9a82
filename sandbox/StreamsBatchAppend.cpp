// BatchAppend (protocol sheet §4.4, §10.3): a long-lived bidi call multiplexing appends by
// correlation id. Chunks of one append share its id; the options come in the first, the last has
// is_final. Every outcome, failures included, is one BatchAppendResp echoing the correlation id,
// the stream and the expected state; failures carry a google.rpc.Status with a typed detail.
#include "StreamsService.h"

#include "wire/ProtoConvert.h"

#include <QDateTime>

#include <unordered_map>

namespace chronoscope::sandbox {

namespace spb = event_store::client::streams;
using Req = spb::BatchAppendReq;
using Resp = spb::BatchAppendResp;

namespace {

struct Pending
{
    Req::Options options;
    event_store::client::UUID correlation;
    std::vector<ProposedEvent> events;
    quint64 size = 0;
    bool failed = false; ///< an error was answered already; later chunks are dropped
    qint64 startedMs = QDateTime::currentMSecsSinceEpoch(); ///< a Duration deadline counts from here
};

template<typename Detail>
void setError(Resp *resp, google::rpc::Code code, const std::string &message, const Detail &detail)
{
    auto *status = resp->mutable_error();
    status->set_code(code);
    status->set_message(message);
    status->mutable_details()->PackFrom(detail);
}

void badRequest(Resp *resp, const std::string &message)
{
    event_store::client::BadRequest detail;
    detail.set_message(message);
    setError(resp, google::rpc::INVALID_ARGUMENT, message, detail);
}

/// Echoes what the real server echoes: the correlation id, the stream and the expected state.
Resp responseFor(const Pending &p)
{
    Resp resp;
    *resp.mutable_correlation_id() = p.correlation;
    *resp.mutable_stream_identifier() = p.options.stream_identifier();
    switch (p.options.expected_stream_position_case()) {
    case Req::Options::kStreamPosition: resp.set_stream_position(p.options.stream_position()); break;
    case Req::Options::kNoStream: resp.mutable_no_stream(); break;
    case Req::Options::kStreamExists: resp.mutable_stream_exists(); break;
    default: resp.mutable_any(); break;
    }
    return resp;
}

bool deadlinePassed(const Pending &p)
{
    const Req::Options &o = p.options;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (o.deadline_option_case() == Req::Options::kDeadline21100) {
        const auto &t = o.deadline_21_10_0();
        return t.seconds() * 1000 + t.nanos() / 1000000 < nowMs;
    }
    if (o.deadline_option_case() == Req::Options::kDeadline) {
        const qint64 ms = o.deadline().seconds() * 1000 + o.deadline().nanos() / 1000000;
        return ms <= 0 || p.startedMs + ms < nowMs;
    }
    return false;
}

/// Adds one chunk's events; false (with the response filled) when a message is refused.
bool addEvents(const Req &chunk, Pending *p, quint64 maxAppendSize, Resp *error)
{
    for (const auto &m : chunk.proposed_messages()) {
        const auto type = m.metadata().find("type");
        const auto ct = m.metadata().find("content-type");
        if (type == m.metadata().end() || ct == m.metadata().end()) {
            badRequest(error, "Required metadata properties are missing: type, content-type");
            return false;
        }
        p->size += m.data().size() + m.custom_metadata().size();
        if (p->size > maxAppendSize) {
            event_store::client::MaximumAppendSizeExceeded detail;
            detail.set_maxappendsize(quint32(std::min<quint64>(maxAppendSize, UINT32_MAX)));
            setError(error, google::rpc::INVALID_ARGUMENT,
                     "Maximum Append Size of " + std::to_string(maxAppendSize) + " Exceeded.", detail);
            return false;
        }
        ProposedEvent e;
        e.id = m.has_id() ? proto::uuidFrom(m.id()) : QUuid();
        if (e.id.isNull()) {
            badRequest(error, "Every proposed message needs a valid id.");
            return false;
        }
        e.type = type->second;
        e.isJson = ct->second == "application/json";
        e.data = m.data();
        e.metadata = m.custom_metadata();
        p->events.push_back(std::move(e));
    }
    return true;
}

void fillOutcome(const WriteResult &r, const Pending &p, EventStore::Expected expected, Resp *resp)
{
    const std::string &stream = p.options.stream_identifier().stream_name();
    switch (r.error.kind) {
    case WriteError::Kind::None: {
        auto *s = resp->mutable_success();
        if (r.currentRevision)
            s->set_current_revision(*r.currentRevision);
        else
            s->mutable_no_stream();
        if (r.position) {
            s->mutable_position()->set_commit_position(*r.position);
            s->mutable_position()->set_prepare_position(*r.position);
        } else {
            s->mutable_no_position();
        }
        return;
    }
    case WriteError::Kind::WrongExpectedVersion: {
        event_store::client::WrongExpectedVersion detail;
        if (r.error.actual)
            detail.set_current_stream_revision(*r.error.actual);
        else
            detail.mutable_current_no_stream();
        switch (expected) {
        case EventStore::Expected::Revision: detail.set_expected_stream_position(p.options.stream_position()); break;
        case EventStore::Expected::NoStream: detail.mutable_expected_no_stream(); break;
        case EventStore::Expected::Any: detail.mutable_expected_any(); break;
        case EventStore::Expected::StreamExists: detail.mutable_expected_stream_exists(); break;
        }
        setError(resp, google::rpc::ALREADY_EXISTS, "WrongExpectedVersion", detail);
        return;
    }
    case WriteError::Kind::StreamDeleted: {
        event_store::client::StreamDeleted detail;
        *detail.mutable_stream_identifier() = p.options.stream_identifier();
        setError(resp, google::rpc::NOT_FOUND, "StreamDeleted", detail);
        return;
    }
    case WriteError::Kind::MaximumAppendSize: {
        event_store::client::MaximumAppendSizeExceeded detail;
        setError(resp, google::rpc::INVALID_ARGUMENT, r.error.message, detail);
        return;
    }
    default: // the log file failed: not acknowledged
        setError(resp, google::rpc::INTERNAL, r.error.message.empty() ? "Append to " + stream + " failed." : r.error.message,
                 google::protobuf::Empty());
        return;
    }
}

} // namespace

grpc::Status StreamsService::BatchAppend(grpc::ServerContext *context, grpc::ServerReaderWriter<Resp, Req> *stream)
{
    std::unordered_map<std::string, Pending> pending;
    if (m_stats)
        m_stats->batchAppendCall();
    // Every correlation gets exactly one answer: counted as one append (CallStats) when written.
    const auto answer = [&](const Pending &p, const Resp &resp) {
        if (m_stats)
            m_stats->batchAppendAnswered(p.options.stream_identifier().stream_name());
        return stream->Write(resp);
    };
    Req chunk;
    while (stream->Read(&chunk)) {
        const std::string key = chunk.correlation_id().SerializeAsString();
        auto it = pending.find(key);
        if (it == pending.end()) {
            Pending p;
            p.correlation = chunk.correlation_id();
            if (chunk.has_options())
                p.options = chunk.options();
            it = pending.emplace(key, std::move(p)).first;
            Resp resp = responseFor(it->second);
            if (!chunk.has_options()) {
                badRequest(&resp, "The first request of a batch must carry the options.");
            } else if (const grpc::Status denied = authorizeWrite(context, it->second.options.stream_identifier().stream_name());
                       !denied.ok()) {
                // Bad credentials end the call, as on every other RPC; so does `not-leader` (a
                // follower asked for the leader: NOT_FOUND with the leader's endpoint in the
                // trailers), which the real server throws rather than puts in the body.
                if (denied.error_code() == grpc::StatusCode::UNAUTHENTICATED
                    || denied.error_code() == grpc::StatusCode::NOT_FOUND)
                    return denied;
                setError(&resp, google::rpc::PERMISSION_DENIED, "Access Denied", event_store::client::AccessDenied());
            }
            if (resp.has_error()) {
                it->second.failed = true;
                if (!answer(it->second, resp))
                    break;
            }
        }
        Pending &p = it->second;
        if (m_stats)
            m_stats->batchAppendRequest(p.options.stream_identifier().stream_name());
        Resp resp = responseFor(p);
        if (!p.failed && !addEvents(chunk, &p, m_store.maxAppendSize(), &resp)) {
            p.failed = true;
            if (!answer(p, resp))
                break;
        }
        if (!chunk.is_final())
            continue;
        if (!p.failed) {
            using O = Req::Options;
            const int kase = p.options.expected_stream_position_case();
            const EventStore::Expected expected = kase == O::kStreamPosition ? EventStore::Expected::Revision
                : kase == O::kNoStream                                       ? EventStore::Expected::NoStream
                : kase == O::kStreamExists                                   ? EventStore::Expected::StreamExists
                                                                             : EventStore::Expected::Any;
            const std::string &name = p.options.stream_identifier().stream_name();
            const Fault fault = nextFault(name);
            const Stalling stalling(fault.stalls() ? &m_stalling : nullptr);
            if (fault.stalls() && !stall(fault.stall))
                return cut(Fault::killBeforeCommit()); // the server stopped during the stall: nothing written
            if (fault.kind == Fault::Kind::KillBeforeCommit
                || (fault.kind == Fault::Kind::StallThenDrop && fault.crash))
                return cut(fault); // the connection dies: every append under way on this call with it
            if (fault.kind == Fault::Kind::StallThenDrop) {
                // The write was lost in the server: its request times out, as the real server's does.
                setError(&resp, google::rpc::DEADLINE_EXCEEDED, "The append timed out.",
                         event_store::client::Timeout());
            } else if (!fault.stalls() && deadlinePassed(p)) {
                setError(&resp, google::rpc::DEADLINE_EXCEEDED, "The append's deadline passed.",
                         event_store::client::Timeout());
            } else {
                const WriteResult r = m_store.append(name, expected, p.options.stream_position(), p.events);
                if (fault.kind == Fault::Kind::CommitThenDrop || fault.crash)
                    return cut(fault);
                // Written after a stall: when the append's deadline passed meanwhile, the client
                // is told it timed out, as the real server's request manager tells it.
                if (fault.stalls() && deadlinePassed(p))
                    setError(&resp, google::rpc::DEADLINE_EXCEEDED, "The append timed out.",
                             event_store::client::Timeout());
                else
                    fillOutcome(r, p, expected, &resp);
            }
        }
        const bool answered = p.failed;
        const bool written = answered || answer(p, resp);
        pending.erase(it);
        if (!written)
            break;
    }
    return grpc::Status::OK;
}

} // namespace chronoscope::sandbox
