#include "WireFormat.h"

#include "wire/ProtoConvert.h"

namespace chronoscope::sandbox::wire {

void fillRecorded(event_store::client::streams::ReadResp::ReadEvent::RecordedEvent *out, const StoredRecord &r,
                  bool structuredIds)
{
    fillRecordedAs(out, r, structuredIds);
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
