#include "StreamsService.h"

#include "FilterMatcher.h"
#include "ProtoConvert.h"
#include "WireFormat.h"

namespace chronoscope::sandbox {

namespace spb = event_store::client::streams;
using Options = spb::ReadReq::Options;

namespace {

constexpr size_t kBatch = 512;          // records built under one lock, then sent
constexpr size_t kScanLimit = 1 << 16;  // records scanned per lock for filtered reads

/// Sends a batch of replies; all but the last with the buffer hint so gRPC can coalesce frames.
bool flush(std::vector<spb::ReadResp> &batch, size_t n, grpc::ServerWriter<spb::ReadResp> *writer)
{
    for (size_t i = 0; i < n; ++i) {
        grpc::WriteOptions wo;
        if (i + 1 < n)
            wo.set_buffer_hint();
        if (!writer->Write(batch[i], wo))
            return false;
    }
    return true;
}

/// The reply for one record: the record itself, or (with resolve_links) a link's target.
void fillReadEvent(spb::ReadResp *resp, const EventStore &store, const StoredRecord &r, bool resolveLinks,
                   bool structuredIds)
{
    auto *ev = resp->mutable_event();
    ev->Clear();
    if (resolveLinks && r.type == SystemEventTypes::LinkTo) {
        wire::fillRecorded(ev->mutable_link(), r, structuredIds);
        if (const StoredRecord *target = store.resolveLinkLocked(r))
            wire::fillRecorded(ev->mutable_event(), *target, structuredIds);
    } else {
        wire::fillRecorded(ev->mutable_event(), r, structuredIds);
    }
    ev->set_commit_position(r.position);
}

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

grpc::Status StreamsService::Read(grpc::ServerContext *context, const spb::ReadReq *request,
                                  grpc::ServerWriter<spb::ReadResp> *writer)
{
    const Options &o = request->options();
    if (o.uuid_option().content_case() == Options::UUIDOption::CONTENT_NOT_SET)
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "The UUID option is required.");
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
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "The combination of stream option, count option, direction and filter option is invalid.");
    if (subscription)
        return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "Subscriptions are not supported by this sandbox yet.");
    return stream ? readStream(context, o, writer) : readAll(context, o, writer);
}

grpc::Status StreamsService::readStream(grpc::ServerContext *context, const Options &o,
                                        grpc::ServerWriter<spb::ReadResp> *writer)
{
    const std::string &name = o.stream().stream_identifier().stream_name();
    const bool forwards = o.read_direction() == Options::Forwards;
    const bool structured = o.uuid_option().content_case() == Options::UUIDOption::kStructured;
    const StreamView v = m_store.view(name);
    if (v.state == StreamView::State::Tombstoned)
        return wire::streamDeleted(context, name);
    if (v.state == StreamView::State::Missing || v.state == StreamView::State::SoftDeleted) {
        spb::ReadResp resp;
        resp.mutable_stream_not_found()->mutable_stream_identifier()->set_stream_name(name);
        writer->Write(resp);
        return grpc::Status::OK;
    }
    quint64 from = 0;
    switch (o.stream().revision_option_case()) {
    case Options::StreamOptions::kRevision: from = o.stream().revision(); break;
    case Options::StreamOptions::kEnd: from = forwards ? v.last + 1 : v.last; break;
    default: from = 0; break;
    }
    quint64 remaining = o.count();
    std::vector<spb::ReadResp> batch(kBatch);
    // Headers go out on their own: a buffered first write would hold them back (and the whole
    // reply with them) until the next keepalive ping.
    writer->SendInitialMetadata();
    quint64 next = from;
    quint64 sent = 0;
    bool reachedEnd = false;
    while (remaining > 0) {
        if (context->IsCancelled())
            return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
        size_t n = 0;
        quint64 lastRev = next;
        const size_t want = size_t(std::min<quint64>(remaining, kBatch));
        m_store.readStream(name, next, forwards, want, [&](const StoredRecord &r) {
            fillReadEvent(&batch[n++], m_store, r, o.resolve_links(), structured);
            lastRev = r.revision;
        });
        if (!flush(batch, n, writer))
            return grpc::Status::OK; // the client went away
        sent += n;
        remaining -= n;
        if (n < want) {
            reachedEnd = true;
            break;
        }
        if (forwards) {
            next = lastRev + 1;
        } else {
            if (lastRev == 0)
                break;
            next = lastRev - 1;
        }
        if (forwards && lastRev >= v.last) {
            reachedEnd = true;
            break;
        }
    }
    if (o.control_option().compatibility() >= 1) {
        spb::ReadResp resp;
        if (forwards && reachedEnd) {
            resp.set_last_stream_position(v.last);
            writer->Write(resp);
        } else if (!forwards && sent == 0 && from != v.firstVisible && v.hasEvents) {
            resp.set_first_stream_position(v.firstVisible);
            writer->Write(resp);
        }
    }
    return grpc::Status::OK;
}

grpc::Status StreamsService::readAll(grpc::ServerContext *context, const Options &o,
                                     grpc::ServerWriter<spb::ReadResp> *writer)
{
    const bool forwards = o.read_direction() == Options::Forwards;
    const bool structured = o.uuid_option().content_case() == Options::UUIDOption::kStructured;
    size_t index = 0;
    switch (o.all().all_option_case()) {
    case Options::AllOptions::kPosition: {
        const auto &p = o.all().position();
        const std::optional<size_t> at = p.prepare_position() <= p.commit_position()
            ? m_store.indexOfPosition(p.commit_position()) : std::nullopt;
        if (!at)
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "Trying to read from an invalid position.");
        index = *at; // backwards reads are exclusive of the position they start from
        break;
    }
    case Options::AllOptions::kEnd: index = m_store.logSize(); break;
    default: index = 0; break;
    }
    std::optional<FilterMatcher> matcher;
    if (o.filter_option_case() == Options::kFilter) {
        matcher.emplace(o.filter());
        if (!matcher->valid())
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, matcher->error());
    }
    std::function<bool(const StoredRecord &)> keep;
    if (matcher)
        keep = [&](const StoredRecord &r) { return matcher->matches(r); };
    quint64 remaining = o.count();
    std::vector<spb::ReadResp> batch(kBatch);
    writer->SendInitialMetadata(); // see readStream
    while (remaining > 0) {
        if (context->IsCancelled())
            return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
        size_t n = 0;
        const size_t want = size_t(std::min<quint64>(remaining, kBatch));
        const size_t before = index;
        index = m_store.readLog(index, forwards, want, keep, kScanLimit, [&](const StoredRecord &r) {
            fillReadEvent(&batch[n++], m_store, r, o.resolve_links(), structured);
        });
        if (!flush(batch, n, writer))
            return grpc::Status::OK;
        remaining -= n;
        if (index == before || (forwards ? index >= m_store.logSize() : index == 0))
            break;
    }
    return grpc::Status::OK;
}

grpc::Status StreamsService::Append(grpc::ServerContext *context, grpc::ServerReader<spb::AppendReq> *reader,
                                    spb::AppendResp *response)
{
    spb::AppendReq req;
    if (!reader->Read(&req) || req.content_case() != spb::AppendReq::kOptions)
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "The first append message must carry the options.");
    const auto options = req.options();
    const std::string stream = options.stream_identifier().stream_name();
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
    const WriteResult r = m_store.append(stream, expected, options.revision(), events);
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
    const WriteResult r = m_store.tombstone(
        stream, expectedFrom(o.expected_stream_revision_case(), O::kRevision, O::kNoStream, O::kAny), o.revision());
    if (r.error)
        return deleteError(context, stream, r.error);
    response->mutable_position()->set_commit_position(*r.position);
    response->mutable_position()->set_prepare_position(*r.position);
    return grpc::Status::OK;
}

} // namespace chronoscope::sandbox
