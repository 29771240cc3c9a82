#pragma once

#include <QJsonValue>
#include <QStringList>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace simdjson::dom {
class element;
class object;
} // namespace simdjson::dom

namespace chronoscope::engine {

struct MergeMember;

/// A mutable JSON value built for repeated RFC 7386 merge patches: objects are small vectors of
/// members in insertion order (a hash index is added past 32 members), strings and vectors keep their
/// capacity when overwritten, so folding a stream of similar patches allocates almost nothing.
struct MergeNode
{
    enum class Kind : quint8 { Null, Bool, Int, UInt, Double, String, Object, Array };
    Kind kind = Kind::Null;
    bool boolean = false;
    union {
        qint64 i;
        quint64 u;
        double d;
    } number{0};
    std::string text;                 ///< Kind::String, unescaped UTF-8
    std::vector<MergeMember> members; ///< Kind::Object
    std::vector<MergeNode> items;     ///< Kind::Array
    std::vector<quint32> index;       ///< member hash table (index + 1, 0 empty) when large; else empty

    /// The member named `key`, or -1. `hint` is where to look first (the next key of a patch usually
    /// follows the previous one) and is moved past the match.
    qint64 find(std::string_view key, size_t &hint) const;
    /// Appends a member (the key must not be present) and returns its position.
    size_t add(std::string_view key);
    void makeObject();
    void rebuildIndex();
};

struct MergeMember
{
    std::string key;
    MergeNode value;
    quint64 stamp = 0;  ///< the patch object that last touched this member (duplicate detection)
    quint32 slot = 0;   ///< that patch member's position
    bool dropped = false;
};

/// The merged state and the merge-patch algorithm over simdjson DOM values.
class MergeTree
{
public:
    MergeTree();

    /// Back to the empty object.
    void reset();
    /// RFC 7386 MergePatch(state, patch). Duplicate keys in a patch object: the last one wins, as if
    /// the patch had been parsed into a map first.
    void apply(const simdjson::dom::element &patch);

    QJsonValue toJson() const;
    /// toJson()'s value at the object keys path[from…]; Undefined where a step is missing or not an object.
    QJsonValue valueAt(const QStringList &path, qsizetype from = 0) const;
    void fromJson(const QJsonValue &value);

    static constexpr int kMaxDepth = 1024; ///< simdjson's default; deeper payloads are rejected

private:
    void patch(MergeNode &target, const simdjson::dom::element &patch, int depth);
    void patchObject(MergeNode &target, const simdjson::dom::object &patch, int depth);
    void assign(MergeNode &target, const simdjson::dom::element &value, int depth);

    MergeNode m_root;
    quint64 m_stamp = 0;
    std::vector<std::vector<std::pair<quint32, bool>>> m_scratch; ///< per depth: (member, skip) per patch key
};

} // namespace chronoscope::engine
