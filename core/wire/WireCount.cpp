#include "wire/WireCount.h"

#include "wire/WireReader.h"

namespace chronoscope::proto::wire {

namespace {

bool count(WireReader &reader, const uint32_t *path, size_t depth, int64_t limit, int64_t *n)
{
    while (!reader.atEnd() && *n <= limit) {
        uint32_t field;
        unsigned type;
        if (!reader.tag(&field, &type))
            return false;
        if (field != path[0] || type != Len) {
            if (!reader.skip(field, type))
                return false;
            continue;
        }
        View entry;
        if (!reader.lengthDelimited(&entry))
            return false;
        ++*n;
        if (depth > 1) {
            if (reader.depth() <= 1)
                return false; // deeper than protobuf parses
            WireReader inner(entry.data, entry.size, reader.depth() - 1);
            if (!count(inner, path + 1, depth - 1, limit, n))
                return false;
        }
    }
    return true;
}

} // namespace

int64_t countEntries(const char *data, size_t size, std::initializer_list<uint32_t> path, int64_t limit)
{
    if (path.size() == 0)
        return 0;
    WireReader reader(data, size);
    int64_t n = 0;
    if (!count(reader, path.begin(), path.size(), limit, &n))
        return -1;
    return n > limit ? limit + 1 : n;
}

} // namespace chronoscope::proto::wire
