#pragma once

#include "EventStore.h"

#include "streams.pb.h"

#include <grpcpp/grpcpp.h>

namespace chronoscope::sandbox::wire {

/// Fills a RecordedEvent exactly as the real server does: three metadata keys (type, created in
/// ticks since the Unix epoch, content-type), the id in the form the client asked for.
void fillRecorded(event_store::client::streams::ReadResp::ReadEvent::RecordedEvent *out, const StoredRecord &r,
                  bool structuredIds);

/// An error with the `exception` trailer and its companion keys (protocol sheet §10.1).
grpc::Status error(grpc::ServerContextBase *context, grpc::StatusCode code, const std::string &message,
                   const char *exception, std::initializer_list<std::pair<const char *, std::string>> companions = {});

grpc::Status streamDeleted(grpc::ServerContextBase *context, const std::string &stream);

} // namespace chronoscope::sandbox::wire
