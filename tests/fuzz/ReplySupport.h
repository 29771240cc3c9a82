#pragma once
// Shared by the targets fed a server's protobuf replies: a kind byte picks the reply, the rest is its bytes.

#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>

namespace chronoscope::fuzz {

/// Protobuf logs every parse failure: off, a fuzzer feeds it little else.
inline void quietProtobuf()
{
    static const bool quiet = [] {
        google::protobuf::SetLogHandler(nullptr);
        return true;
    }();
    (void)quiet;
}

/// Parses what follows the kind byte as `Message` and hands it to `check`; a reply that does not parse is
/// refused by gRPC before the client sees it, so it checks nothing.
template<typename Message, typename Check>
void ifParses(const uint8_t *data, size_t size, Check check)
{
    Message m;
    if (size >= 1 && m.ParseFromArray(data + 1, int(size - 1)))
        check(m);
}

} // namespace chronoscope::fuzz
