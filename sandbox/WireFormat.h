#pragma once

#include "EventStore.h"
#include "wire/ProtoConvert.h"

#include "streams.pb.h"

#include <grpcpp/grpcpp.h>

namespace chronoscope::sandbox::wire {

/// Fills any of the protocol's RecordedEvent messages (Streams, PersistentSubscriptions) exactly
/// as the real server does: three metadata keys (type, created in ticks since the Unix epoch,
/// content-type), the id in the form the client asked for.
template<typename Recorded>
void fillRecordedAs(Recorded *out, const StoredRecord &r, bool structuredIds)
{
    if (structuredIds)
        proto::setUuid(out->mutable_id(), r.id, true);
    else
        out->mutable_id()->set_string(r.idString);
    out->mutable_stream_identifier()->set_stream_name(r.stream);
    out->set_stream_revision(r.revision);
    out->set_prepare_position(r.position);
    out->set_commit_position(r.position);
    auto &md = *out->mutable_metadata();
    md["type"] = r.type;
    md["created"] = std::to_string(r.createdTicks);
    md["content-type"] = r.isJson ? "application/json" : "application/octet-stream";
    out->set_custom_metadata(r.metadata);
    out->set_data(r.data);
}

/// Fills a RecordedEvent exactly as the real server does: three metadata keys (type, created in
/// ticks since the Unix epoch, content-type), the id in the form the client asked for.
void fillRecorded(event_store::client::streams::ReadResp::ReadEvent::RecordedEvent *out, const StoredRecord &r,
                  bool structuredIds);

/// An error with the `exception` trailer and its companion keys (protocol sheet §10.1).
grpc::Status error(grpc::ServerContextBase *context, grpc::StatusCode code, const std::string &message,
                   const char *exception, std::initializer_list<std::pair<const char *, std::string>> companions = {});

grpc::Status streamDeleted(grpc::ServerContextBase *context, const std::string &stream);

} // namespace chronoscope::sandbox::wire
