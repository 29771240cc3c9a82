#pragma once

#include <QJsonValue>
#include <QStringList>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace simdjson::dom {
class element;
class object;
} // namespace simdjson::dom

namespace chronoscope::engine {

struct MergeMember;

/// Object keys (and event types) as the merge compares them: a hash from a few word loads rather than a
/// byte loop, and an equality that compares short keys (most are) in two loads without calling memcmp.
namespace mergekey {

inline quint64 load64(const char *p)
{
    quint64 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline quint32 load32(const char *p)
{
    quint32 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline quint64 hash(std::string_view key)
{
    const char *p = key.data();
    const size_t n = key.size();
    quint64 a = 0, b = 0;
    if (n >= 8) {
        a = load64(p);
        b = load64(p + n - 8);
        for (size_t i = 8; i + 8 < n; i += 8) // the middle of keys longer than 16 bytes
            a = (a ^ load64(p + i)) * 0x9E3779B97F4A7C15ULL + (a >> 29);
    } else if (n >= 4) {
        a = load32(p);
        b = load32(p + n - 4);
    } else if (n > 0) {
        a = quint64(quint8(p[0])) | quint64(quint8(p[n / 2])) << 8 | quint64(quint8(p[n - 1])) << 16;
    }
    quint64 h = (a * 0x9E3779B97F4A7C15ULL) ^ ((b * 0xC2B2AE3D27D4EB4FULL) >> 7) ^ (quint64(n) << 56);
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ULL;
    return h ^ (h >> 32);
}

inline bool equal(std::string_view x, std::string_view y)
{
    const size_t n = x.size();
    if (n != y.size())
        return false;
    const char *p = x.data(), *q = y.data();
    if (n >= 8 && n <= 16)
        return ((load64(p) ^ load64(q)) | (load64(p + n - 8) ^ load64(q + n - 8))) == 0;
    if (n >= 4 && n < 8)
        return ((load32(p) ^ load32(q)) | (load32(p + n - 4) ^ load32(q + n - 4))) == 0;
    return n == 0 || std::memcmp(p, q, n) == 0;
}

} // namespace mergekey

/// A mutable JSON value built for repeated RFC 7386 merge patches: objects are small vectors of
/// members in insertion order (a hash index is added past 32 members), strings and vectors keep their
/// capacity when overwritten, so folding a stream of similar patches allocates almost nothing.
struct MergeNode
{
    enum class Kind : quint8 { Null, Bool, Int, UInt, Double, String, Object, Array };
    Kind kind = Kind::Null;
    bool boolean = false;
    quint32 first = 0; ///< Kind::Object: the member the last patch of this object started with
    union {
        qint64 i;
        quint64 u;
        double d;
    } number{0};
    std::string text;                 ///< Kind::String, unescaped UTF-8
    std::vector<MergeMember> members; ///< Kind::Object
    std::vector<MergeNode> items;     ///< Kind::Array
    std::vector<quint32> index;       ///< member hash table (index + 1, 0 empty) when large; else empty

    /// The member named `key`, or -1. `hint` is where to look first (patches of one kind repeat their
    /// keys in the same order) and is moved to the member that followed the match last time.
    qint64 find(std::string_view key, size_t &hint) const;
    /// Appends a member (the key must not be present) and returns its position.
    size_t add(std::string_view key);
    void makeObject();
    void rebuildIndex();
};

struct MergeMember
{
    std::string key;    ///< first, with what a patch's first pass reads, in the member's first cache line
    quint64 stamp = 0;  ///< the patch object that last touched this member (duplicate detection)
    quint32 slot = 0;   ///< that patch member's position
    quint32 next = 0;   ///< the member whose key followed this one in the last patch (a guess for find())
    bool dropped = false;
    MergeNode value;
};

/// The merged state and the merge-patch algorithm over simdjson DOM values.
class MergeTree
{
public:
    MergeTree();
    ~MergeTree();

    /// Back to the empty object.
    void reset();
    /// RFC 7386 MergePatch(state, patch). Duplicate keys in a patch object: the last one wins, as if
    /// the patch had been parsed into a map first.
    void apply(const simdjson::dom::element &patch);

    QJsonValue toJson() const;
    /// toJson()'s value at the object keys path[from…]; Undefined where a step is missing or not an object.
    QJsonValue valueAt(const QStringList &path, qsizetype from = 0) const;
    void fromJson(const QJsonValue &value);
    /// The node at the object keys path[from…] (UTF-8), or null where a step is missing or not an object.
    const MergeNode *nodeAt(const QList<QByteArray> &path, qsizetype from = 0) const;

    static constexpr int kMaxDepth = 1024; ///< simdjson's default; deeper payloads are rejected

private:
    void patch(MergeNode &target, const simdjson::dom::element &patch, int depth);
    void patchObject(MergeNode &target, const simdjson::dom::object &patch, int depth);
    void assign(MergeNode &target, const simdjson::dom::element &value, int depth);

    MergeNode m_root;
    quint64 m_stamp = 0;
    struct Slot;
    std::vector<std::vector<Slot>> m_scratch; ///< per depth: a patch object's keys as its first pass found them
};

} // namespace chronoscope::engine
