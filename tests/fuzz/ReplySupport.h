#pragma once
// Shared by the targets that parse protobuf: a server's replies (a kind byte picks the reply, the rest is its
// bytes) and descriptor sets.

#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>

namespace chronoscope::fuzz {

/// Protobuf logs every parse failure (and each invalid UTF-8 string): off, a fuzzer feeds it little else.
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

/// The entry point of a replies target: the kind byte (modulo 3) picks the reply, parsed as `First`,
/// `Second` or `Third` and handed to the matching check.
template<typename First, typename Second, typename Third, typename CheckFirst, typename CheckSecond,
         typename CheckThird>
int byKind(const uint8_t *data, size_t size, CheckFirst first, CheckSecond second, CheckThird third)
{
    quietProtobuf();
    if (size < 1)
        return 0;
    switch (data[0] % 3) {
    case 0: ifParses<First>(data, size, first); break;
    case 1: ifParses<Second>(data, size, second); break;
    default: ifParses<Third>(data, size, third); break;
    }
    return 0;
}

} // namespace chronoscope::fuzz
