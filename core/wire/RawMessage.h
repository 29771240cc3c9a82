#pragma once

#include <grpcpp/support/byte_buffer.h>

#include <string>

namespace google::protobuf {
class MessageLite;
}

namespace chronoscope::proto {

/// A protobuf message as the raw bytes a generic gRPC call sends.
grpc::ByteBuffer serialized(const google::protobuf::MessageLite &message);

/// Parses a reply received as raw bytes. Calls take replies this way when gRPC's typed calls would
/// mishandle bytes that do not parse (client-streaming Finish() aborts the process; a unary call
/// reports UNIMPLEMENTED, which passes for an older server): the caller says what was wrong.
bool parseReply(const grpc::ByteBuffer &bytes, google::protobuf::MessageLite *message);

/// A reply's raw bytes in one string; false when gRPC cannot hand them out.
bool bytesOf(const grpc::ByteBuffer &bytes, std::string *out);

} // namespace chronoscope::proto
