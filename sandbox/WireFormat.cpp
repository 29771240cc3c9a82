#include "WireFormat.h"

#include "wire/ProtoConvert.h"

namespace chronoscope::sandbox::wire {

void fillRecorded(event_store::client::streams::ReadResp::ReadEvent::RecordedEvent *out, const StoredRecord &r,
                  bool structuredIds)
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

grpc::Status error(grpc::ServerContextBase *context, grpc::StatusCode code, const std::string &message,
                   const char *exception, std::initializer_list<std::pair<const char *, std::string>> companions)
{
    if (exception) {
        context->AddTrailingMetadata("exception", exception);
        for (const auto &kv : companions)
            context->AddTrailingMetadata(kv.first, kv.second);
    }
    return grpc::Status(code, message);
}

grpc::Status streamDeleted(grpc::ServerContextBase *context, const std::string &stream)
{
    return error(context, grpc::StatusCode::FAILED_PRECONDITION, "Event stream '" + stream + "' is deleted.",
                 "stream-deleted", {{"stream-name", stream}});
}

} // namespace chronoscope::sandbox::wire
