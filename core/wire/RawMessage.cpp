#include "wire/RawMessage.h"

#include <google/protobuf/message_lite.h>

#include <string>
#include <vector>

namespace chronoscope::proto {

grpc::ByteBuffer serialized(const google::protobuf::MessageLite &message)
{
    grpc::Slice slice(message.SerializeAsString());
    return grpc::ByteBuffer(&slice, 1);
}

bool parseReply(const grpc::ByteBuffer &bytes, google::protobuf::MessageLite *message)
{
    std::vector<grpc::Slice> slices;
    if (!bytes.Dump(&slices).ok())
        return false;
    std::string all;
    for (const grpc::Slice &s : slices)
        all.append(reinterpret_cast<const char *>(s.begin()), s.size());
    return message->ParseFromString(all);
}

} // namespace chronoscope::proto
