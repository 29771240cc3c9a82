#include "wire/ReadRespDecoder.h"

#include "wire/WireReader.h"

#include <QtEndian>

#include <array>
#include <cstring>

namespace chronoscope::proto {

using wire::View;
using wire::WireReader;

namespace {

// Field numbers of streams.proto / shared.proto.
namespace f {
constexpr uint32_t Event = 1, Confirmation = 2, Checkpoint = 3, StreamNotFound = 4, FirstStreamPosition = 5,
                   LastStreamPosition = 6, LastAllStreamPosition = 7, CaughtUp = 8, FellBehind = 9;
} // namespace f

/// A RecordedEvent as the wire gave it, pointing into the message. Fields seen again overwrite,
/// nested messages seen again merge: the same outcome as protobuf's parse of repeated fields.
struct RawRecorded
{
    bool present = false;
    enum class Id { None, String, Structured } idCase = Id::None;
    bool hasId = false;
    View idString;
    uint64_t msb = 0, lsb = 0;
    bool hasStream = false;
    View stream;
    uint64_t revision = 0, prepare = 0, commit = 0;
    bool hasType = false, hasContentType = false, hasCreated = false;
    View type, contentType, created;
    View customMetadata, data;
};

struct RawReadEvent
{
    RawRecorded event, link;
    enum class Pos { None, Commit, NoPosition } positionCase = Pos::None;
    uint64_t commit = 0;
};

/// What a message we only validate may contain beyond scalars: a nested message or a string.
struct Schema
{
    struct Field
    {
        uint32_t number;
        const Schema *message; ///< null: a proto3 string (checked for UTF-8)
    };
    const Field *fields = nullptr;
    size_t count = 0;
};

constexpr Schema kScalarsOnly{}; // Empty, Timestamp, Position, AllStreamPosition
constexpr Schema::Field kCheckpointFields[] = {{3, &kScalarsOnly}};
constexpr Schema kCheckpoint{kCheckpointFields, 1};
constexpr Schema::Field kCaughtUpFields[] = {{1, &kScalarsOnly}, {3, &kScalarsOnly}}; // and FellBehind
constexpr Schema kCaughtUp{kCaughtUpFields, 2};
constexpr Schema::Field kConfirmationFields[] = {{1, nullptr}};
constexpr Schema kConfirmation{kConfirmationFields, 1};

/// Parses the nested message `v` with a reader one level deeper than `parent`.
template<typename Body>
bool nested(const WireReader &parent, const View &v, Body body)
{
    if (parent.depth() <= 0)
        return false;
    WireReader r(v.data, v.size, parent.depth() - 1);
    return body(r);
}

bool validate(WireReader &r, const Schema &schema)
{
    while (!r.atEnd()) {
        uint32_t field;
        unsigned wt;
        if (!r.tag(&field, &wt))
            return false;
        const Schema::Field *known = nullptr;
        for (size_t i = 0; i < schema.count; ++i)
            if (schema.fields[i].number == field)
                known = &schema.fields[i];
        if (known && wt == wire::Len) {
            View v;
            if (!r.lengthDelimited(&v))
                return false;
            const bool ok = known->message
                ? nested(r, v, [&](WireReader &n) { return validate(n, *known->message); })
                : wire::isValidUtf8(v.data, v.size);
            if (!ok)
                return false;
        } else if (!r.skip(field, wt)) {
            return false;
        }
    }
    return true;
}

bool stringField(WireReader &r, View *out)
{
    return r.lengthDelimited(out) && wire::isValidUtf8(out->data, out->size);
}

/// StreamIdentifier{bytes stream_name = 3}.
bool parseStreamIdentifier(WireReader &r, View *name)
{
    while (!r.atEnd()) {
        uint32_t field;
        unsigned wt;
        if (!r.tag(&field, &wt))
            return false;
        if (field == 3 && wt == wire::Len) {
            if (!r.lengthDelimited(name))
                return false;
        } else if (!r.skip(field, wt)) {
            return false;
        }
    }
    return true;
}

/// UUID{oneof value {Structured structured = 1; string string = 2;}}.
bool parseUuid(WireReader &r, RawRecorded &e)
{
    while (!r.atEnd()) {
        uint32_t field;
        unsigned wt;
        if (!r.tag(&field, &wt))
            return false;
        if (field == 1 && wt == wire::Len) {
            View v;
            if (!r.lengthDelimited(&v))
                return false;
            if (e.idCase != RawRecorded::Id::Structured) { // entering the oneof case starts afresh
                e.idCase = RawRecorded::Id::Structured;
                e.msb = e.lsb = 0;
            }
            const bool ok = nested(r, v, [&](WireReader &s) {
                while (!s.atEnd()) {
                    uint32_t sf;
                    unsigned swt;
                    if (!s.tag(&sf, &swt))
                        return false;
                    if ((sf == 1 || sf == 2) && swt == wire::Varint) {
                        if (!s.varint(sf == 1 ? &e.msb : &e.lsb))
                            return false;
                    } else if (!s.skip(sf, swt)) {
                        return false;
                    }
                }
                return true;
            });
            if (!ok)
                return false;
        } else if (field == 2 && wt == wire::Len) {
            if (!stringField(r, &e.idString))
                return false;
            e.idCase = RawRecorded::Id::String;
        } else if (!r.skip(field, wt)) {
            return false;
        }
    }
    return true;
}

/// One map<string,string> entry: key = 1, value = 2, both empty when absent.
bool parseMetadataEntry(WireReader &r, RawRecorded &e)
{
    View key, value;
    while (!r.atEnd()) {
        uint32_t field;
        unsigned wt;
        if (!r.tag(&field, &wt))
            return false;
        if ((field == 1 || field == 2) && wt == wire::Len) {
            if (!stringField(r, field == 1 ? &key : &value))
                return false;
        } else if (!r.skip(field, wt)) {
            return false;
        }
    }
    const auto is = [&](const char *name, size_t n) {
        return key.size == n && std::memcmp(key.data, name, n) == 0;
    };
    if (is("type", 4)) {
        e.hasType = true;
        e.type = value;
    } else if (is("content-type", 12)) {
        e.hasContentType = true;
        e.contentType = value;
    } else if (is("created", 7)) {
        e.hasCreated = true;
        e.created = value;
    }
    return true;
}

bool parseRecorded(WireReader &r, RawRecorded &e)
{
    e.present = true;
    while (!r.atEnd()) {
        uint32_t field;
        unsigned wt;
        if (!r.tag(&field, &wt))
            return false;
        bool ok = true;
        if (wt == wire::Len && field >= 1 && field <= 8 && field != 3 && field != 4 && field != 5) {
            View v;
            if (!r.lengthDelimited(&v))
                return false;
            switch (field) {
            case 1:
                e.hasId = true;
                ok = nested(r, v, [&](WireReader &n) { return parseUuid(n, e); });
                break;
            case 2:
                e.hasStream = true;
                ok = nested(r, v, [&](WireReader &n) { return parseStreamIdentifier(n, &e.stream); });
                break;
            case 6: ok = nested(r, v, [&](WireReader &n) { return parseMetadataEntry(n, e); }); break;
            case 7: e.customMetadata = v; break;
            case 8: e.data = v; break;
            }
        } else if (wt == wire::Varint && field >= 3 && field <= 5) {
            ok = r.varint(field == 3 ? &e.revision : field == 4 ? &e.prepare : &e.commit);
        } else {
            ok = r.skip(field, wt);
        }
        if (!ok)
            return false;
    }
    return true;
}

bool parseReadEvent(WireReader &r, RawReadEvent &e)
{
    while (!r.atEnd()) {
        uint32_t field;
        unsigned wt;
        if (!r.tag(&field, &wt))
            return false;
        bool ok = true;
        if ((field == 1 || field == 2 || field == 4) && wt == wire::Len) {
            View v;
            if (!r.lengthDelimited(&v))
                return false;
            if (field == 4) {
                e.positionCase = RawReadEvent::Pos::NoPosition;
                ok = nested(r, v, [](WireReader &n) { return validate(n, kScalarsOnly); });
            } else {
                RawRecorded &target = field == 1 ? e.event : e.link;
                ok = nested(r, v, [&](WireReader &n) { return parseRecorded(n, target); });
            }
        } else if (field == 3 && wt == wire::Varint) {
            ok = r.varint(&e.commit);
            e.positionCase = RawReadEvent::Pos::Commit;
        } else {
            ok = r.skip(field, wt);
        }
        if (!ok)
            return false;
    }
    return true;
}

/// Hex digit values, -1 for any other byte.
constexpr std::array<int8_t, 256> kHexValue = [] {
    std::array<int8_t, 256> t{};
    for (int8_t &v : t)
        v = -1;
    for (int i = 0; i < 10; ++i)
        t[size_t('0' + i)] = int8_t(i);
    for (int i = 0; i < 6; ++i) {
        t[size_t('a' + i)] = int8_t(10 + i);
        t[size_t('A' + i)] = int8_t(10 + i);
    }
    return t;
}();

/// The canonical 36-character form every server sends, parsed without QUuid::fromString's
/// generality (it showed in read profiles): a table lookup per digit, no branch per digit.
/// Anything else goes to QUuid::fromString.
QUuid uuidFromString(const View &v)
{
    // Where the 16 byte pairs of xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx start.
    static constexpr unsigned char kPairAt[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
    if (v.size == 36 && v.data[8] == '-' && v.data[13] == '-' && v.data[18] == '-' && v.data[23] == '-') {
        char rfc[16];
        int bad = 0; // a negative digit value anywhere sets the sign bit
        for (size_t i = 0; i < 16; ++i) {
            const int hi = kHexValue[uint8_t(v.data[kPairAt[i]])];
            const int lo = kHexValue[uint8_t(v.data[kPairAt[i] + 1])];
            bad |= hi | lo;
            rfc[i] = char((unsigned(hi) << 4) | unsigned(lo)); // unsigned: shifting a bad digit's -1 is UB
        }
        if (bad >= 0)
            return QUuid::fromRfc4122(QByteArrayView(rfc, 16));
    }
    return QUuid::fromString(QLatin1String(v.data, qsizetype(v.size)));
}

QUuid uuidOf(const RawRecorded &e)
{
    if (!e.hasId)
        return QUuid();
    switch (e.idCase) {
    case RawRecorded::Id::String: return uuidFromString(e.idString);
    case RawRecorded::Id::Structured: {
        char rfc[16];
        qToBigEndian<quint64>(e.msb, rfc);
        qToBigEndian<quint64>(e.lsb, rfc + 8);
        return QUuid::fromRfc4122(QByteArrayView(rfc, 16));
    }
    case RawRecorded::Id::None: break;
    }
    return QUuid();
}

/// protobuf gives an empty, non-null string for an absent bytes field; so do we.
QByteArray bytesOf(const View &v)
{
    return v.size ? QByteArray(v.data, qsizetype(v.size)) : QByteArray("", 0);
}

} // namespace

qint64 createdTicksFrom(const char *text, size_t size)
{
    if (size == 0)
        return 0;
    quint64 v = 0; // wraps (as the ticks never do) rather than overflowing a signed value
    size_t i = 0;
    // Eight digits at a time (ticks have 18): check them and combine them within one word.
    // Wrapping arithmetic makes v * 10^8 + eight equal to eight steps of v * 10 + digit.
    for (; i + 8 <= size; i += 8) {
        uint64_t w = qFromLittleEndian<quint64>(text + i); // the first digit in the lowest byte
        const bool digits = (w & 0xf0f0f0f0f0f0f0f0ull) == 0x3030303030303030ull
            && ((w + 0x0606060606060606ull) & 0xf0f0f0f0f0f0f0f0ull) == 0x3030303030303030ull;
        if (!digits)
            return 0;
        // Byte-wise digits, the first in the lowest byte: pairs, then quads, then all eight.
        w = ((w & 0x0f0f0f0f0f0f0f0full) * 2561) >> 8;
        w = ((w & 0x00ff00ff00ff00ffull) * 6553601) >> 16;
        v = v * 100000000u + quint64(uint32_t(((w & 0x0000ffff0000ffffull) * 42949672960001ull) >> 32));
    }
    for (; i < size; ++i) {
        const char ch = text[i];
        if (ch < '0' || ch > '9')
            return 0;
        v = v * 10 + quint64(ch - '0');
    }
    return qint64(v);
}

QByteArray ReadRespDecoder::shared(const char *data, size_t size)
{
    // std::hash of a string_view, not qHash: Qt's hash reads 16 bytes at a time past the end of
    // short keys (page-safe, but not over bytes that are not ours).
    const std::string_view key(size ? data : "", size);
    const auto it = m_shared.find(key);
    if (it != m_shared.end())
        return it->second;
    if (m_shared.size() >= kMaxShared)
        m_shared.clear();
    const QByteArray owned(key.data(), qsizetype(key.size()));
    // The key views the value's own bytes, which live as long as the entry.
    m_shared.emplace(std::string_view(owned.constData(), size_t(owned.size())), owned);
    return owned;
}

QByteArray ReadRespDecoder::sharedVia(QByteArray &last, const char *data, size_t size)
{
    // A read's content types are one or two values and its types a few: most events repeat the
    // previous one, found by a compare rather than a hash.
    if (!last.isNull() && last.size() == qsizetype(size) && std::memcmp(last.constData(), size ? data : "", size) == 0)
        return last;
    last = shared(data, size);
    return last;
}

QByteArray ReadRespDecoder::sharedRun(const char *data, size_t size)
{
    if (size == 0)
        data = "";
    if (m_lastRun.isNull() || m_lastRun.size() != qsizetype(size) || std::memcmp(m_lastRun.constData(), data, size) != 0)
        m_lastRun = QByteArray(data, qsizetype(size));
    return m_lastRun;
}

bool ReadRespDecoder::decode(const char *data, size_t size, ReadRespContent *out, QString *error)
{
    using Kind = ReadRespContent::Kind;
    Kind kind = Kind::None;
    RawReadEvent event;
    View notFound;
    uint64_t position = 0;
    WireReader r(data, size);
    const auto fail = [&](const char *why) {
        if (error)
            *error = QStringLiteral("malformed ReadResp message (%1 bytes): %2").arg(size).arg(QLatin1String(why));
        return false;
    };
    // The content oneof: a field of another case replaces the case (and clears what it held);
    // a message field of the same case merges into it.
    const auto enter = [&](Kind k) {
        if (kind != k) {
            kind = k;
            event = RawReadEvent();
            notFound = View();
            position = 0;
        }
    };
    while (!r.atEnd()) {
        uint32_t field;
        unsigned wt;
        if (!r.tag(&field, &wt))
            return fail("bad tag");
        bool ok = true;
        if (wt == wire::Len && field >= f::Event && field <= f::FellBehind && field != f::FirstStreamPosition
            && field != f::LastStreamPosition) {
            View v;
            if (!r.lengthDelimited(&v))
                return fail("bad length");
            switch (field) {
            case f::Event:
                enter(Kind::Event);
                ok = nested(r, v, [&](WireReader &n) { return parseReadEvent(n, event); });
                break;
            case f::StreamNotFound:
                enter(Kind::StreamNotFound);
                ok = nested(r, v, [&](WireReader &n) {
                    while (!n.atEnd()) {
                        uint32_t nf;
                        unsigned nwt;
                        if (!n.tag(&nf, &nwt))
                            return false;
                        if (nf == 1 && nwt == wire::Len) {
                            View id;
                            if (!n.lengthDelimited(&id)
                                || !nested(n, id, [&](WireReader &s) { return parseStreamIdentifier(s, &notFound); }))
                                return false;
                        } else if (!n.skip(nf, nwt)) {
                            return false;
                        }
                    }
                    return true;
                });
                break;
            case f::Confirmation:
                enter(Kind::Confirmation);
                ok = nested(r, v, [](WireReader &n) { return validate(n, kConfirmation); });
                break;
            case f::Checkpoint:
                enter(Kind::Checkpoint);
                ok = nested(r, v, [](WireReader &n) { return validate(n, kCheckpoint); });
                break;
            case f::LastAllStreamPosition:
                enter(Kind::LastAllStreamPosition);
                ok = nested(r, v, [](WireReader &n) { return validate(n, kScalarsOnly); });
                break;
            default: // CaughtUp, FellBehind
                enter(field == f::CaughtUp ? Kind::CaughtUp : Kind::FellBehind);
                ok = nested(r, v, [](WireReader &n) { return validate(n, kCaughtUp); });
                break;
            }
        } else if (wt == wire::Varint && (field == f::FirstStreamPosition || field == f::LastStreamPosition)) {
            enter(field == f::FirstStreamPosition ? Kind::FirstStreamPosition : Kind::LastStreamPosition);
            ok = r.varint(&position);
        } else {
            ok = r.skip(field, wt);
        }
        if (!ok)
            return fail("bad field");
    }

    out->kind = kind;
    out->event = ResolvedEvent();
    out->streamPosition = position;
    out->notFoundStream = kind == Kind::StreamNotFound ? bytesOf(notFound) : QByteArray();
    if (kind != Kind::Event)
        return true;
    const auto convert = [&](const RawRecorded &raw, RecordedEvent &e) {
        e.id = uuidOf(raw);
        e.streamId = raw.hasStream ? sharedRun(raw.stream.data, raw.stream.size) : QByteArray();
        e.revision = raw.revision;
        e.position = Position{raw.commit, raw.prepare};
        // Fallbacks as the Node client has them.
        e.type = raw.hasType ? sharedVia(m_lastType, raw.type.data, raw.type.size)
                             : QByteArrayLiteral("<no-event-type-provided>");
        e.contentType = raw.hasContentType ? sharedVia(m_lastContentType, raw.contentType.data, raw.contentType.size)
                                           : QByteArrayLiteral("application/octet-stream");
        e.createdTicks = raw.hasCreated ? createdTicksFrom(raw.created.data, raw.created.size) : 0;
        e.data = bytesOf(raw.data);
        e.metadata = bytesOf(raw.customMetadata);
    };
    if (event.event.present)
        convert(event.event, out->event.event.emplace());
    if (event.link.present)
        convert(event.link, out->event.link.emplace());
    if (event.positionCase == RawReadEvent::Pos::Commit)
        out->event.commitPosition = event.commit;
    return true;
}

} // namespace chronoscope::proto
