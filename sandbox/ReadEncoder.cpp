#include "ReadEncoder.h"

#include <QtEndian>

#include <cstring>

namespace chronoscope::sandbox::wire {

namespace {

// Protobuf wire types.
constexpr unsigned kVarint = 0;
constexpr unsigned kLen = 2;

constexpr const char kJson[] = "application/json";
constexpr const char kOctets[] = "application/octet-stream";

size_t varintSize(quint64 v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}

/// Writes into a buffer sized beforehand: no per-field bounds checks or reallocations.
struct Writer
{
    char *p;
    void varint(quint64 v)
    {
        while (v >= 0x80) {
            *p++ = char((v & 0x7f) | 0x80);
            v >>= 7;
        }
        *p++ = char(v);
    }
    void tag(unsigned field, unsigned wireType) { varint((quint64(field) << 3) | wireType); }
    void lenHeader(unsigned field, size_t len)
    {
        tag(field, kLen);
        varint(len);
    }
    void bytes(unsigned field, const char *data, size_t len)
    {
        lenHeader(field, len);
        std::memcpy(p, data, len);
        p += len;
    }
    /// proto3: a scalar outside a oneof is written only when it is not zero.
    void optionalVarint(unsigned field, quint64 v)
    {
        if (v) {
            tag(field, kVarint);
            varint(v);
        }
    }
};

size_t tagSize(unsigned field) { return varintSize(quint64(field) << 3); }

/// A length-delimited field of `len` bytes: tag + length prefix + body.
size_t lenFieldSize(unsigned field, size_t len) { return tagSize(field) + varintSize(len) + len; }

size_t optionalVarintSize(unsigned field, quint64 v) { return v ? tagSize(field) + varintSize(v) : 0; }

/// A map<string,string> entry: protobuf writes both key (1) and value (2), even when empty.
size_t mapEntryBodySize(size_t key, size_t value) { return lenFieldSize(1, key) + lenFieldSize(2, value); }
void putMapEntry(Writer &w, unsigned field, const char *key, size_t keyLen, const char *value, size_t valueLen)
{
    w.lenHeader(field, mapEntryBodySize(keyLen, valueLen));
    w.bytes(1, key, keyLen);
    w.bytes(2, value, valueLen);
}

struct Ids
{
    quint64 msb = 0, lsb = 0;
};

Ids structuredIds(const QUuid &id)
{
    const QByteArray rfc = id.toRfc4122();
    return {qFromBigEndian<quint64>(rfc.constData()), qFromBigEndian<quint64>(rfc.constData() + 8)};
}

/// Body of event_store.client.UUID in the form the client asked for.
size_t uuidBodySize(const StoredRecord &r, bool structured, const Ids &ids)
{
    if (!structured)
        return lenFieldSize(2, r.idString.size());
    const size_t inner = optionalVarintSize(1, ids.msb) + optionalVarintSize(2, ids.lsb);
    return lenFieldSize(1, inner);
}

/// What a record's encoding needs beyond the record: its id in the requested form, `created` as
/// text, and the sizes of the nested messages.
struct Prepared
{
    Ids ids;
    char created[24];
    size_t createdFrom = 0; ///< the text is created[createdFrom, createdFrom + createdLen)
    size_t createdLen = 0;
    size_t uuidBody = 0;
    size_t size = 0; ///< RecordedEvent body
};

Prepared prepare(const StoredRecord &r, bool structured)
{
    Prepared p;
    if (structured)
        p.ids = structuredIds(r.id);
    // `created` as decimal text, two digits per step from the end of the buffer (every event
    // sends it, and a division per digit showed in profiles).
    static constexpr char kPairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                     "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                     "8081828384858687888990919293949596979899";
    const qint64 t = r.createdTicks;
    const bool negative = t < 0;
    quint64 u = negative ? quint64(0) - quint64(t) : quint64(t);
    char *const end = p.created + sizeof(p.created);
    char *at = end;
    while (u >= 100) {
        const unsigned pair = unsigned(u % 100) * 2;
        u /= 100;
        *--at = kPairs[pair + 1];
        *--at = kPairs[pair];
    }
    if (u >= 10) {
        *--at = kPairs[u * 2 + 1];
        *--at = kPairs[u * 2];
    } else {
        *--at = char('0' + u);
    }
    if (negative)
        *--at = '-';
    p.createdLen = size_t(end - at);
    p.createdFrom = size_t(at - p.created);
    p.uuidBody = uuidBodySize(r, structured, p.ids);
    const size_t ct = r.isJson ? sizeof(kJson) - 1 : sizeof(kOctets) - 1;
    size_t size = lenFieldSize(1, p.uuidBody);
    size += lenFieldSize(2, r.stream.empty() ? 0 : lenFieldSize(3, r.stream.size()));
    size += optionalVarintSize(3, r.revision) + optionalVarintSize(4, r.position) + optionalVarintSize(5, r.position);
    size += lenFieldSize(6, mapEntryBodySize(4, r.type.size()));
    size += lenFieldSize(6, mapEntryBodySize(7, p.createdLen));
    size += lenFieldSize(6, mapEntryBodySize(12, ct));
    if (!r.metadata.empty())
        size += lenFieldSize(7, r.metadata.size());
    if (!r.data.empty())
        size += lenFieldSize(8, r.data.size());
    p.size = size;
    return p;
}

void putRecorded(Writer &w, const StoredRecord &r, const Prepared &p, bool structured)
{
    w.lenHeader(1, p.uuidBody);
    if (structured) {
        w.lenHeader(1, optionalVarintSize(1, p.ids.msb) + optionalVarintSize(2, p.ids.lsb));
        w.optionalVarint(1, p.ids.msb);
        w.optionalVarint(2, p.ids.lsb);
    } else {
        w.bytes(2, r.idString.data(), r.idString.size());
    }
    w.lenHeader(2, r.stream.empty() ? 0 : lenFieldSize(3, r.stream.size()));
    if (!r.stream.empty())
        w.bytes(3, r.stream.data(), r.stream.size());
    w.optionalVarint(3, r.revision);
    w.optionalVarint(4, r.position);
    w.optionalVarint(5, r.position);
    putMapEntry(w, 6, "type", 4, r.type.data(), r.type.size());
    putMapEntry(w, 6, "created", 7, p.created + p.createdFrom, p.createdLen);
    if (r.isJson)
        putMapEntry(w, 6, "content-type", 12, kJson, sizeof(kJson) - 1);
    else
        putMapEntry(w, 6, "content-type", 12, kOctets, sizeof(kOctets) - 1);
    if (!r.metadata.empty())
        w.bytes(7, r.metadata.data(), r.metadata.size());
    if (!r.data.empty())
        w.bytes(8, r.data.data(), r.data.size());
}

/// Grows `out` by `n` bytes and returns a writer at the old end.
Writer extend(std::string &out, size_t n)
{
    const size_t at = out.size();
    out.resize(at + n);
    return Writer{out.data() + at};
}

} // namespace

void ReadEncoder::appendEvent(Batch &out, const StoredRecord *event, const StoredRecord *link,
                              quint64 commitPosition) const
{
    const Prepared e = event ? prepare(*event, m_structured) : Prepared{};
    const Prepared l = link ? prepare(*link, m_structured) : Prepared{};
    // ReadEvent: event (1), link (2), commit_position (3, in a oneof: written even when zero).
    const size_t readEvent = (event ? lenFieldSize(1, e.size) : 0) + (link ? lenFieldSize(2, l.size) : 0)
        + tagSize(3) + varintSize(commitPosition);
    Writer w = extend(out.bytes, lenFieldSize(1, readEvent));
    w.lenHeader(1, readEvent);
    if (event) {
        w.lenHeader(1, e.size);
        putRecorded(w, *event, e, m_structured);
    }
    if (link) {
        w.lenHeader(2, l.size);
        putRecorded(w, *link, l, m_structured);
    }
    w.tag(3, kVarint);
    w.varint(commitPosition);
    out.ends.push_back(out.bytes.size());
}

void ReadEncoder::appendStreamPosition(Batch &out, int field, quint64 revision)
{
    // A oneof member: written even when zero.
    Writer w = extend(out.bytes, tagSize(unsigned(field)) + varintSize(revision));
    w.tag(unsigned(field), kVarint);
    w.varint(revision);
    out.ends.push_back(out.bytes.size());
}

void ReadEncoder::appendStreamNotFound(Batch &out, const std::string &stream)
{
    const size_t id = stream.empty() ? 0 : lenFieldSize(3, stream.size());
    Writer w = extend(out.bytes, lenFieldSize(4, lenFieldSize(1, id)));
    w.lenHeader(4, lenFieldSize(1, id));
    w.lenHeader(1, id);
    if (!stream.empty())
        w.bytes(3, stream.data(), stream.size());
    out.ends.push_back(out.bytes.size());
}

} // namespace chronoscope::sandbox::wire
