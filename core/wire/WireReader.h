#pragma once

// Protobuf wire-format primitives for the hand decoders of hot messages (ReadRespDecoder). They
// accept and reject exactly what protobuf 3.21's parser does for the same bytes: tags of at most
// 32 bits and never 0, varints of at most 10 bytes, lengths within the enclosing message, unknown
// fields of every wire type (groups included) skipped, end-group tags only where a group ends,
// and protobuf's nesting limit of 100.

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace chronoscope::proto::wire {

enum WireType : unsigned { Varint = 0, Fixed64 = 1, Len = 2, StartGroup = 3, EndGroup = 4, Fixed32 = 5 };

/// A length-delimited field's bytes inside the buffer being decoded (never owned).
struct View
{
    const char *data = nullptr;
    size_t size = 0;
};

/// Reads one message (or a nested message's bytes) front to back. Every read returns false on
/// malformed input and then leaves the reader at an unspecified place: the caller gives up.
class WireReader
{
public:
    static constexpr int kRecursionLimit = 100; ///< protobuf's default

    WireReader(const char *data, size_t size, int depth = kRecursionLimit)
        : m_p(reinterpret_cast<const unsigned char *>(data)), m_end(m_p + size), m_depth(depth)
    {
    }

    bool atEnd() const { return m_p == m_end; }
    /// Budget of nested messages left (a nested reader gets one less).
    int depth() const { return m_depth; }

    bool varint(uint64_t *out)
    {
        // Most varints of a read (tags, lengths, small numbers) are one byte: no loop for those.
        if (m_p != m_end && *m_p < 0x80) {
            *out = *m_p++;
            return true;
        }
        uint64_t v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (m_p == m_end)
                return false;
            const unsigned byte = *m_p++;
            if (shift < 64)
                v |= uint64_t(byte & 0x7f) << shift;
            if (!(byte & 0x80)) {
                *out = v;
                return true;
            }
        }
        return false; // an 11th byte would be needed
    }

    /// The next tag; false at a malformed or zero-numbered one. Like protobuf: at most 5 bytes,
    /// bits beyond 32 dropped.
    bool tag(uint32_t *field, unsigned *wireType)
    {
        uint64_t t;
        if (!shortVarint(&t))
            return false;
        const uint32_t tag32 = uint32_t(t);
        if ((tag32 >> 3) == 0)
            return false;
        *field = tag32 >> 3;
        *wireType = tag32 & 7;
        return true;
    }

    bool lengthDelimited(View *out)
    {
        uint64_t n;
        // protobuf reads a length in at most 5 bytes and refuses 2 GiB or more
        if (!shortVarint(&n) || n > 0x7fffffffu || n > uint64_t(m_end - m_p))
            return false;
        out->data = reinterpret_cast<const char *>(m_p);
        out->size = size_t(n);
        m_p += n;
        return true;
    }

    /// Skips a field whose tag was just read, as protobuf keeps an unknown field (or a known field
    /// with an unexpected wire type). An end-group tag is malformed here: groups end in skipGroup.
    bool skip(uint32_t field, unsigned wireType)
    {
        uint64_t ignored;
        View v;
        switch (wireType) {
        case Varint: return varint(&ignored);
        case Fixed64: return advance(8);
        case Len: return lengthDelimited(&v);
        case StartGroup: return skipGroup(field);
        case Fixed32: return advance(4);
        default: return false; // end-group without a group, or wire types 6 and 7
        }
    }

private:
    /// A varint of at most 5 bytes (tags and lengths).
    bool shortVarint(uint64_t *out)
    {
        if (m_p != m_end && *m_p < 0x80) { // one byte: most tags and lengths
            *out = *m_p++;
            return true;
        }
        uint64_t v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (m_p == m_end)
                return false;
            const unsigned byte = *m_p++;
            v |= uint64_t(byte & 0x7f) << shift;
            if (!(byte & 0x80)) {
                *out = v;
                return true;
            }
        }
        return false;
    }

    bool advance(size_t n)
    {
        if (size_t(m_end - m_p) < n)
            return false;
        m_p += n;
        return true;
    }

    bool skipGroup(uint32_t field)
    {
        if (--m_depth < 0)
            return false;
        for (;;) {
            uint32_t f;
            unsigned wt;
            if (!tag(&f, &wt))
                return false;
            if (wt == EndGroup) {
                ++m_depth;
                return f == field;
            }
            if (!skip(f, wt))
                return false;
        }
    }

    const unsigned char *m_p;
    const unsigned char *m_end;
    int m_depth;
};

/// Strict UTF-8 as protobuf checks proto3 `string` fields: no overlong forms, no surrogates,
/// nothing above U+10FFFF. isValidUtf8 checks ASCII inline and calls this for anything else.
bool isValidNonAsciiUtf8(const char *data, size_t size);

/// Whether the `size` bytes at `data` are all ASCII, a word at a time: the strings of a read
/// (map keys, types, ids, timestamps) are short ASCII, seven of them per event.
inline bool isAscii(const char *data, size_t size)
{
    uint64_t any = 0;
    if (size >= 8) {
        size_t i = 0;
        for (; i + 8 <= size; i += 8) {
            uint64_t w;
            std::memcpy(&w, data + i, 8);
            any |= w;
        }
        uint64_t last; // the last 8 bytes, overlapping the loop's: no byte loop for the tail
        std::memcpy(&last, data + size - 8, 8);
        any |= last;
    } else if (size >= 4) {
        uint32_t first, last; // overlapping halves
        std::memcpy(&first, data, 4);
        std::memcpy(&last, data + size - 4, 4);
        any = first | last;
    } else {
        for (size_t i = 0; i < size; ++i)
            any |= uint8_t(data[i]);
    }
    return (any & 0x8080808080808080ull) == 0;
}

inline bool isValidUtf8(const char *data, size_t size)
{
    return isAscii(data, size) || isValidNonAsciiUtf8(data, size);
}

} // namespace chronoscope::proto::wire
