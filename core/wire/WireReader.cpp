#include "wire/WireReader.h"

#include <cstring>

namespace chronoscope::proto::wire {

bool isValidNonAsciiUtf8(const char *data, size_t size)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data);
    const unsigned char *const end = p + size;
    while (p != end) {
        // Type names, ids and content types are ASCII: check them 8 bytes at a time.
        while (end - p >= 8) {
            uint64_t word;
            std::memcpy(&word, p, 8);
            if (word & 0x8080808080808080ull)
                break;
            p += 8;
        }
        if (p == end)
            break;
        const unsigned c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xbf; // allowed range of the second byte
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            if (c == 0xe0)
                lo = 0xa0; // overlong
            else if (c == 0xed)
                hi = 0x9f; // surrogates
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            if (c == 0xf0)
                lo = 0x90; // overlong
            else if (c == 0xf4)
                hi = 0x8f; // above U+10FFFF
        } else {
            return false; // a continuation byte, an overlong 2-byte lead, or 0xf5..0xff
        }
        if (size_t(end - p) <= n)
            return false;
        if (p[1] < lo || p[1] > hi)
            return false;
        for (size_t i = 2; i <= n; ++i)
            if (p[i] < 0x80 || p[i] > 0xbf)
                return false;
        p += n + 1;
    }
    return true;
}

} // namespace chronoscope::proto::wire
