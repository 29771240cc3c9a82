#pragma once

// Counting a reply's nested entries on the wire, before protobuf builds them. A repeated message
// field costs its sender two bytes per empty entry and the receiver a message object each: a
// 17 MiB reply (the client's receive limit) of empty entries would become millions of objects.

#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace chronoscope::proto::wire {

/// The length-delimited entries along `path` in the message at `data`: the occurrences of field
/// path[0], plus the occurrences of field path[1] inside each of them, and so on. Counting stops
/// once it passes `limit` (the result is then limit + 1). -1 when the bytes are not a message
/// (protobuf refuses them too).
int64_t countEntries(const char *data, size_t size, std::initializer_list<uint32_t> path, int64_t limit);

} // namespace chronoscope::proto::wire
