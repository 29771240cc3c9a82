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

bool bytesOf(const grpc::ByteBuffer &bytes, std::string *out)
{
    std::vector<grpc::Slice> slices;
    if (!bytes.Dump(&slices).ok())
        return false;
    out->clear();
    out->reserve(bytes.Length());
    for (const grpc::Slice &s : slices)
        out->append(reinterpret_cast<const char *>(s.begin()), s.size());
    return true;
}

bool parseReply(const grpc::ByteBuffer &bytes, google::protobuf::MessageLite *message)
{
    std::string all;
    return bytesOf(bytes, &all) && message->ParseFromString(all);
}

} // namespace chronoscope::proto
