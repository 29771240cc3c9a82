#include "StreamsService.h"

#include "FilterMatcher.h"
#include "ReadReactor.h"
#include "WireFormat.h"
#include "wire/ProtoConvert.h"

namespace chronoscope::sandbox {

namespace spb = event_store::client::streams;
using Options = spb::ReadReq::Options;

namespace {

EventStore::Expected expectedFrom(int kase, int revisionCase, int noStreamCase, int anyCase)
{
    if (kase == revisionCase) return EventStore::Expected::Revision;
    if (kase == noStreamCase) return EventStore::Expected::NoStream;
    if (kase == anyCase) return EventStore::Expected::Any;
    return EventStore::Expected::StreamExists;
}

grpc::Status deleteError(grpc::ServerContext *context, const std::string &stream, const WriteError &e)
{
    if (e.kind == WriteError::Kind::StreamDeleted)
        return wire::streamDeleted(context, stream);
    if (e.kind == WriteError::Kind::Storage)
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, e.message);
    return wire::error(context, grpc::StatusCode::FAILED_PRECONDITION,
                       "Append failed due to WrongExpectedVersion. Stream: " + stream + ", Expected version: "
                           + std::to_string(e.expected) + ", Actual version: "
                           + (e.actual ? std::to_string(*e.actual) : std::string("-1")),
                       "wrong-expected-version",
                       {{"stream-name", stream},
                        {"expected-version", std::to_string(e.expected)},
                        {"actual-version", e.actual ? std::to_string(*e.actual) : std::string()}});
}

} // namespace

void StreamsService::setFaultPlan(std::shared_ptr<FaultPlan> plan)
{
    std::lock_guard lock(m_faultMutex);
    m_faults = std::move(plan);
}

void StreamsService::stopStalls()
{
    {
        std::lock_guard lock(m_faultMutex);
        m_stopping = true;
    }
    m_stallWake.notify_all();
}

Fault StreamsService::nextFault(const std::string &stream)
{
    std::shared_ptr<FaultPlan> plan;
    {
        std::lock_guard lock(m_faultMutex);
        plan = m_faults;
    }
    return plan ? plan->next(stream) : Fault();
}

bool StreamsService::stall(std::chrono::milliseconds duration)
{
    std::unique_lock lock(m_faultMutex);
    return !m_stallWake.wait_for(lock, duration, [this] { return m_stopping; });
}

grpc::Status StreamsService::cut(const Fault &fault)
{
    if (fault.crash && m_crash)
        m_crash();
    // What a client sees when the connection is reset under its call.
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "Connection reset (fault injected: " + fault.toString() + ")");
}

namespace {

bool parseRequest(const grpc::ByteBuffer *raw, spb::ReadReq *request)
{
    std::vector<grpc::Slice> slices;
    if (!raw->Dump(&slices).ok())
        return false;
    std::string bytes;
    bytes.reserve(raw->Length());
    for (const grpc::Slice &s : slices)
        bytes.append(reinterpret_cast<const char *>(s.begin()), s.size());
    return request->ParseFromString(bytes);
}

} // namespace

grpc::ServerWriteReactor<EncodedReply> *StreamsService::Read(grpc::CallbackServerContext *context,
                                                                 const grpc::ByteBuffer *raw)
{
    spb::ReadReq request;
    if (!parseRequest(raw, &request))
        return new ReadReactor(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "Malformed read request."));
    if (grpc::Status denied = authorizeRead(context, request); !denied.ok())
        return new ReadReactor(denied);
    const Options &o = request.options();
    if (o.uuid_option().content_case() == Options::UUIDOption::CONTENT_NOT_SET)
        return new ReadReactor(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "The UUID option is required."));
    const bool stream = o.stream_option_case() == Options::kStream;
    const bool all = o.stream_option_case() == Options::kAll;
    const bool subscription = o.count_option_case() == Options::kSubscription;
    const bool count = o.count_option_case() == Options::kCount;
    const bool filtered = o.filter_option_case() == Options::kFilter;
    const bool unfiltered = o.filter_option_case() == Options::kNoFilter;
    const bool valid = (stream && count && unfiltered) || (all && count && (filtered || unfiltered))
        || (stream && subscription && unfiltered && o.read_direction() == Options::Forwards)
        || (all && subscription && (filtered || unfiltered) && o.read_direction() == Options::Forwards);
    if (!valid)
        return new ReadReactor(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            "The combination of stream option, count option, direction and filter option is invalid."));
    if (subscription)
        return subscribe(context, o);
    return stream ? readStream(context, o) : readAll(o);
}

grpc::ServerWriteReactor<EncodedReply> *StreamsService::readStream(grpc::CallbackServerContext *context,
                                                                       const Options &o)
{
    StreamReadSpec spec;
    spec.stream = o.stream().stream_identifier().stream_name();
    spec.forwards = o.read_direction() == Options::Forwards;
    spec.structuredIds = o.uuid_option().content_case() == Options::UUIDOption::kStructured;
    spec.resolveLinks = o.resolve_links();
    spec.count = o.count();
    spec.compatibility = o.control_option().compatibility() >= 1;
    spec.view = m_store.view(spec.stream);
    const StreamView &v = spec.view;
    if (v.state == StreamView::State::Tombstoned)
        return new ReadReactor(wire::streamDeleted(context, spec.stream));
    if (v.state == StreamView::State::Missing || v.state == StreamView::State::SoftDeleted) {
        return new ReadReactor(std::make_unique<NotFoundCursor>(spec.stream));
    }
    switch (o.stream().revision_option_case()) {
    case Options::StreamOptions::kRevision: spec.from = o.stream().revision(); break;
    case Options::StreamOptions::kEnd: spec.from = spec.forwards ? v.last + 1 : v.last; break;
    default: spec.from = 0; break;
    }
    return new ReadReactor(std::make_unique<StreamReadCursor>(m_store, std::move(spec)));
}

grpc::ServerWriteReactor<EncodedReply> *StreamsService::readAll(const Options &o)
{
    AllReadSpec spec;
    spec.forwards = o.read_direction() == Options::Forwards;
    spec.structuredIds = o.uuid_option().content_case() == Options::UUIDOption::kStructured;
    spec.resolveLinks = o.resolve_links();
    spec.count = o.count();
    switch (o.all().all_option_case()) {
    case Options::AllOptions::kPosition: {
        const auto &p = o.all().position();
        const std::optional<size_t> at = p.prepare_position() <= p.commit_position()
            ? m_store.indexOfPosition(p.commit_position()) : std::nullopt;
        if (!at)
            return new ReadReactor(
                grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "Trying to read from an invalid position."));
        spec.index = *at; // backwards reads are exclusive of the position they start from
        break;
    }
    case Options::AllOptions::kEnd: spec.index = m_store.logSize(); break;
    default: spec.index = 0; break;
    }
    if (o.filter_option_case() == Options::kFilter) {
        spec.filter.emplace(o.filter());
        if (!spec.filter->valid())
            return new ReadReactor(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, spec.filter->error()));
    }
    return new ReadReactor(std::make_unique<AllReadCursor>(m_store, std::move(spec)));
}

grpc::Status StreamsService::Append(grpc::ServerContext *context, grpc::ServerReader<spb::AppendReq> *reader,
                                    spb::AppendResp *response)
{
    spb::AppendReq req;
    if (!reader->Read(&req) || req.content_case() != spb::AppendReq::kOptions)
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "The first append message must carry the options.");
    const auto options = req.options();
    const std::string stream = options.stream_identifier().stream_name();
    if (m_stats)
        m_stats->appendCall(stream);
    if (grpc::Status denied = authorizeWrite(context, stream); !denied.ok())
        return denied;
    using O = spb::AppendReq::Options;
    const EventStore::Expected expected = expectedFrom(options.expected_stream_revision_case(), O::kRevision,
                                                       O::kNoStream, O::kAny);
    std::vector<ProposedEvent> events;
    quint64 size = 0;
    while (reader->Read(&req)) {
        if (req.content_case() != spb::AppendReq::kProposedMessage)
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "Only proposed messages may follow the options.");
        const auto &m = req.proposed_message();
        const auto type = m.metadata().find("type");
        const auto ct = m.metadata().find("content-type");
        if (type == m.metadata().end() || ct == m.metadata().end())
            return wire::error(context, grpc::StatusCode::INVALID_ARGUMENT,
                               "Required metadata properties are missing: type, content-type",
                               "missing-required-metadata-property",
                               {{"required-metadata-properties", "type,content-type"}});
        size += m.data().size() + m.custom_metadata().size();
        if (size > m_store.maxAppendSize())
            return wire::error(context, grpc::StatusCode::INVALID_ARGUMENT,
                               "Maximum Append Size of " + std::to_string(m_store.maxAppendSize()) + " Exceeded.",
                               "maximum-append-size-exceeded",
                               {{"maximum-append-size", std::to_string(m_store.maxAppendSize())}});
        ProposedEvent e;
        e.id = m.has_id() ? proto::uuidFrom(m.id()) : QUuid();
        if (e.id.isNull())
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "Every proposed message needs a valid id.");
        e.type = type->second;
        e.isJson = ct->second == "application/json";
        e.data = m.data();
        e.metadata = m.custom_metadata();
        events.push_back(std::move(e));
    }
    // The request stream ended without the client's half-close (the connection dropped, the call was
    // cancelled, this node is stopping): what arrived is part of an append, and an append is all or
    // nothing. The server writes nothing then; test_soak caught 11 of 20 events written at a leader kill.
    if (context->IsCancelled())
        return grpc::Status(grpc::StatusCode::CANCELLED,
                            "The append's request stream did not end: nothing was written.");
    const Fault fault = nextFault(stream);
    const Stalling stalling(fault.stalls() ? &m_stalling : nullptr);
    if (fault.stalls() && !stall(fault.stall))
        return cut(Fault::killBeforeCommit()); // the server stopped during the stall: nothing written
    if (!fault.writes())
        return cut(fault);
    const WriteResult r = m_store.append(stream, expected, options.revision(), events);
    if (fault.kind == Fault::Kind::CommitThenDrop || fault.crash)
        return cut(fault); // written, and the answer lost with the connection (or the server)
    // After a stall-then-commit the client has usually given up already: the answer goes nowhere.
    if (r.error.kind == WriteError::Kind::StreamDeleted)
        return wire::streamDeleted(context, stream);
    if (r.error.kind == WriteError::Kind::Storage) // the log file failed: this write is not acknowledged
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, r.error.message);
    if (r.error.kind == WriteError::Kind::MaximumAppendSize)
        return wire::error(context, grpc::StatusCode::INVALID_ARGUMENT, r.error.message, "maximum-append-size-exceeded",
                           {{"maximum-append-size", std::to_string(m_store.maxAppendSize())}});
    if (r.error.kind == WriteError::Kind::WrongExpectedVersion) {
        // The real server fills both the legacy (20.6.0) and the current oneofs.
        auto *w = response->mutable_wrong_expected_version();
        if (r.error.actual) {
            w->set_current_revision_20_6_0(*r.error.actual);
            w->set_current_revision(*r.error.actual);
        } else {
            w->mutable_no_stream_20_6_0();
            w->mutable_current_no_stream();
        }
        switch (expected) {
        case EventStore::Expected::Revision:
            w->set_expected_revision_20_6_0(options.revision());
            w->set_expected_revision(options.revision());
            break;
        case EventStore::Expected::NoStream:
            w->set_expected_revision_20_6_0(std::numeric_limits<uint64_t>::max());
            w->mutable_expected_no_stream();
            break;
        case EventStore::Expected::Any:
            w->mutable_any_20_6_0();
            w->mutable_expected_any();
            break;
        case EventStore::Expected::StreamExists:
            w->mutable_stream_exists_20_6_0();
            w->mutable_expected_stream_exists();
            break;
        }
        return grpc::Status::OK;
    }
    auto *s = response->mutable_success();
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
    return grpc::Status::OK;
}

grpc::Status StreamsService::Delete(grpc::ServerContext *context, const spb::DeleteReq *request,
                                    spb::DeleteResp *response)
{
    const auto &o = request->options();
    using O = spb::DeleteReq::Options;
    const std::string &stream = o.stream_identifier().stream_name();
    if (grpc::Status denied = authorizeDelete(context, stream); !denied.ok())
        return denied;
    const WriteResult r = m_store.softDelete(
        stream, expectedFrom(o.expected_stream_revision_case(), O::kRevision, O::kNoStream, O::kAny), o.revision());
    if (r.error)
        return deleteError(context, stream, r.error);
    response->mutable_position()->set_commit_position(*r.position);
    response->mutable_position()->set_prepare_position(*r.position);
    return grpc::Status::OK;
}

grpc::Status StreamsService::Tombstone(grpc::ServerContext *context, const spb::TombstoneReq *request,
                                       spb::TombstoneResp *response)
{
    const auto &o = request->options();
    using O = spb::TombstoneReq::Options;
    const std::string &stream = o.stream_identifier().stream_name();
    if (grpc::Status denied = authorizeDelete(context, stream); !denied.ok())
        return denied;
    const WriteResult r = m_store.tombstone(
        stream, expectedFrom(o.expected_stream_revision_case(), O::kRevision, O::kNoStream, O::kAny), o.revision());
    if (r.error)
        return deleteError(context, stream, r.error);
    response->mutable_position()->set_commit_position(*r.position);
    response->mutable_position()->set_prepare_position(*r.position);
    return grpc::Status::OK;
}

} // namespace chronoscope::sandbox
