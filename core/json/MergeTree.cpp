#include "json/MergeTree.h"

#include <QJsonArray>
#include <QJsonObject>

#include <simdjson.h>

#include <cmath>
#include <cstring>

namespace chronoscope::engine {
namespace {

constexpr size_t kIndexFrom = 32; ///< objects with more members than this get a hash index

} // namespace

qint64 MergeNode::find(std::string_view key, size_t &hint) const
{
    const size_t n = members.size();
    // The guess first: a patch of a kind seen before names its keys in the order it did then.
    if (hint < n && mergekey::equal(members[hint].key, key)) {
        const size_t at = hint;
        hint = members[at].next;
        return qint64(at);
    }
    if (!index.empty()) {
        const size_t mask = index.size() - 1;
        for (size_t s = mergekey::hash(key) & mask;; s = (s + 1) & mask) {
            const quint32 e = index[s];
            if (e == 0)
                return -1;
            if (mergekey::equal(members[e - 1].key, key)) {
                hint = members[e - 1].next;
                return qint64(e - 1);
            }
        }
    }
    for (size_t j = 0; j < n; ++j) {
        if (mergekey::equal(members[j].key, key)) {
            hint = members[j].next;
            return qint64(j);
        }
    }
    return -1;
}

size_t MergeNode::add(std::string_view key)
{
    const size_t at = members.size();
    members.emplace_back();
    members.back().key.assign(key.data(), key.size());
    members.back().next = quint32(at + 1);
    if (!index.empty() && members.size() * 2 <= index.size()) {
        const size_t mask = index.size() - 1;
        size_t s = mergekey::hash(key) & mask;
        while (index[s] != 0)
            s = (s + 1) & mask;
        index[s] = quint32(at + 1);
    } else if (members.size() > kIndexFrom) {
        rebuildIndex();
    }
    return at;
}

void MergeNode::rebuildIndex()
{
    if (members.size() <= kIndexFrom) {
        index.clear();
        return;
    }
    size_t size = 64;
    while (size < members.size() * 4)
        size *= 2;
    index.assign(size, 0);
    const size_t mask = size - 1;
    for (size_t m = 0; m < members.size(); ++m) {
        size_t s = mergekey::hash(members[m].key) & mask;
        while (index[s] != 0)
            s = (s + 1) & mask;
        index[s] = quint32(m + 1);
    }
}

void MergeNode::makeObject()
{
    if (kind != Kind::Object) {
        kind = Kind::Object;
        members.clear();
        index.clear();
    }
}

/// One key of a patch object: its value as the first pass met it (the second applies it without walking the
/// object again), the member the key names, and whether a later duplicate of the key (or a delete of a
/// missing member) makes it a no-op.
struct MergeTree::Slot
{
    simdjson::dom::element value;
    quint32 member = 0;
    bool skip = false;
};

MergeTree::MergeTree() : m_scratch(kMaxDepth + 2)
{
    reset();
}

MergeTree::~MergeTree() = default;

void MergeTree::reset()
{
    // The root keeps its members' storage (not a large one): a drift scan folds a hundred thousand aggregates
    // of one shape in turn, and growing the vector again for each cost a reallocation, and a move of every
    // member, per doubling.
    constexpr size_t kKeptMembers = 256;
    std::vector<MergeMember> kept;
    if (m_root.members.capacity() <= kKeptMembers) {
        kept = std::move(m_root.members);
        kept.clear();
    }
    m_root = MergeNode();
    m_root.members = std::move(kept);
    m_root.makeObject();
}

void MergeTree::apply(const simdjson::dom::element &value)
{
    patch(m_root, value, 0);
}

void MergeTree::patch(MergeNode &target, const simdjson::dom::element &value, int depth)
{
    if (value.type() != simdjson::dom::element_type::OBJECT) {
        assign(target, value, depth);
        return;
    }
    target.makeObject();
    const simdjson::dom::object object = value.get_object().value_unsafe();
    patchObject(target, object, depth);
}

void MergeTree::patchObject(MergeNode &target, const simdjson::dom::object &object, int depth)
{
    // Pass 1 finds or adds the member for every key and marks all but the last of duplicate keys;
    // pass 2 applies the values. Members to delete are dropped in one compaction at the end.
    const quint64 stamp = ++m_stamp;
    std::vector<Slot> &slots = m_scratch[size_t(depth)];
    slots.clear();
    size_t hint = target.first;
    size_t previous = size_t(-1); // the member the previous key found: its `next` learns this key's
    const auto end = object.end();
    for (auto field = object.begin(); field != end; ++field) {
        // Filled in place: a slot built aside and copied in costs a store-forwarding stall per key.
        Slot &slot = slots.emplace_back();
        slot.value = field.value();
        const std::string_view key = field.key();
        qint64 at = target.find(key, hint);
        if (at < 0) {
            if (slot.value.is_null()) { // deleting what is not there: nothing to do
                slot.skip = true;
                continue;
            }
            at = qint64(target.add(key));
            hint = size_t(at) + 1;
        }
        if (previous == size_t(-1))
            target.first = quint32(at);
        else
            target.members[previous].next = quint32(at);
        previous = size_t(at);
        MergeMember &member = target.members[size_t(at)];
        if (member.stamp == stamp)
            slots[member.slot].skip = true; // an earlier duplicate: the last one wins
        member.stamp = stamp;
        member.slot = quint32(slots.size() - 1);
        slot.member = quint32(at);
    }
    bool dropped = false;
    for (const Slot &slot : slots) { // `slots` stays put: deeper objects use the next depth's
        if (slot.skip)
            continue;
        MergeMember &member = target.members[slot.member];
        if (slot.value.is_null()) {
            member.dropped = true;
            dropped = true;
        } else {
            member.dropped = false;
            patch(member.value, slot.value, depth + 1);
        }
    }
    if (dropped) {
        auto &m = target.members;
        size_t out = 0;
        for (size_t in = 0; in < m.size(); ++in) {
            if (m[in].dropped)
                continue;
            if (out != in)
                m[out] = std::move(m[in]);
            ++out;
        }
        m.resize(out);
        target.rebuildIndex();
    }
}

void MergeTree::assign(MergeNode &target, const simdjson::dom::element &value, int depth)
{
    using simdjson::dom::element_type;
    switch (value.type()) {
    case element_type::NULL_VALUE:
        target.kind = MergeNode::Kind::Null;
        break;
    case element_type::BOOL:
        target.kind = MergeNode::Kind::Bool;
        target.boolean = value.get_bool().value_unsafe();
        break;
    case element_type::INT64:
        target.kind = MergeNode::Kind::Int;
        target.number.i = value.get_int64().value_unsafe();
        break;
    case element_type::UINT64:
        target.kind = MergeNode::Kind::UInt;
        target.number.u = value.get_uint64().value_unsafe();
        break;
    case element_type::DOUBLE:
        target.kind = MergeNode::Kind::Double;
        target.number.d = value.get_double().value_unsafe();
        break;
    case element_type::STRING: {
        target.kind = MergeNode::Kind::String;
        const std::string_view s = value.get_string().value_unsafe();
        if (s.size() == target.text.size()) { // common: ids, times, codes overwritten by ones as long
            if (!s.empty())
                std::memcpy(target.text.data(), s.data(), s.size());
        } else {
            target.text.assign(s.data(), s.size());
        }
        break;
    }
    case element_type::ARRAY: {
        // Arrays (and everything in them) are replaced whole: nulls inside are values.
        const simdjson::dom::array array = value.get_array().value_unsafe();
        target.kind = MergeNode::Kind::Array;
        target.items.resize(array.size());
        size_t i = 0;
        for (const simdjson::dom::element item : array)
            assign(target.items[i++], item, depth + 1);
        break;
    }
    case element_type::OBJECT: {
        target.kind = MergeNode::Kind::Object;
        target.members.clear();
        target.index.clear();
        size_t hint = 0;
        const simdjson::dom::object object = value.get_object().value_unsafe();
        for (const auto field : object) {
            qint64 at = target.find(field.key, hint);
            if (at < 0)
                at = qint64(target.add(field.key));
            assign(target.members[size_t(at)].value, field.value, depth + 1);
        }
        break;
    }
    }
}

namespace {

QJsonValue toJsonValue(const MergeNode &node)
{
    switch (node.kind) {
    case MergeNode::Kind::Null:
        return QJsonValue(QJsonValue::Null);
    case MergeNode::Kind::Bool:
        return QJsonValue(node.boolean);
    case MergeNode::Kind::Int:
        return QJsonValue(node.number.i);
    case MergeNode::Kind::UInt: // beyond qint64: JSON in Qt holds it as a double
        return QJsonValue(double(node.number.u));
    case MergeNode::Kind::Double:
        return QJsonValue(node.number.d);
    case MergeNode::Kind::String:
        return QJsonValue(QString::fromUtf8(node.text.data(), qsizetype(node.text.size())));
    case MergeNode::Kind::Array: {
        QJsonArray array;
        for (const MergeNode &item : node.items)
            array.append(toJsonValue(item));
        return array;
    }
    case MergeNode::Kind::Object: {
        QJsonObject object;
        for (const MergeMember &m : node.members)
            object.insert(QString::fromUtf8(m.key.data(), qsizetype(m.key.size())), toJsonValue(m.value));
        return object;
    }
    }
    return {};
}

void fromJsonValue(MergeNode &node, const QJsonValue &value, int depth)
{
    node.members.clear();
    node.items.clear();
    node.index.clear();
    // A state deeper than any accepted payload cannot come from this reducer; cut it instead of
    // recursing without bound.
    if (depth > MergeTree::kMaxDepth) {
        node.kind = MergeNode::Kind::Null;
        return;
    }
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        node.kind = MergeNode::Kind::Null;
        break;
    case QJsonValue::Bool:
        node.kind = MergeNode::Kind::Bool;
        node.boolean = value.toBool();
        break;
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::trunc(d) == d && std::fabs(d) < 9.2e18) {
            node.kind = MergeNode::Kind::Int;
            node.number.i = value.toInteger(qint64(d));
        } else {
            node.kind = MergeNode::Kind::Double;
            node.number.d = d;
        }
        break;
    }
    case QJsonValue::String: {
        node.kind = MergeNode::Kind::String;
        const QByteArray utf8 = value.toString().toUtf8();
        node.text.assign(utf8.constData(), size_t(utf8.size()));
        break;
    }
    case QJsonValue::Array: {
        node.kind = MergeNode::Kind::Array;
        const QJsonArray array = value.toArray();
        node.items.resize(size_t(array.size()));
        for (qsizetype i = 0; i < array.size(); ++i)
            fromJsonValue(node.items[size_t(i)], array.at(i), depth + 1);
        break;
    }
    case QJsonValue::Object: {
        node.kind = MergeNode::Kind::Object;
        const QJsonObject object = value.toObject();
        node.members.reserve(size_t(object.size()));
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QByteArray key = it.key().toUtf8();
            const size_t at = node.add(std::string_view(key.constData(), size_t(key.size())));
            fromJsonValue(node.members[at].value, it.value(), depth + 1);
        }
        break;
    }
    }
}

} // namespace

QJsonValue MergeTree::toJson() const
{
    return toJsonValue(m_root);
}

QJsonValue MergeTree::valueAt(const QStringList &path, qsizetype from) const
{
    QList<QByteArray> keys;
    keys.reserve(path.size() - from);
    for (qsizetype i = from; i < path.size(); ++i)
        keys.append(path.at(i).toUtf8());
    const MergeNode *node = nodeAt(keys);
    return node ? toJsonValue(*node) : QJsonValue(QJsonValue::Undefined);
}

const MergeNode *MergeTree::nodeAt(const QList<QByteArray> &path, qsizetype from) const
{
    const MergeNode *node = &m_root;
    for (qsizetype i = from; i < path.size(); ++i) {
        if (node->kind != MergeNode::Kind::Object)
            return nullptr;
        const QByteArray &key = path.at(i);
        size_t hint = 0;
        const qint64 at = node->find(std::string_view(key.constData(), size_t(key.size())), hint);
        if (at < 0)
            return nullptr;
        node = &node->members[size_t(at)].value;
    }
    return node;
}

void MergeTree::fromJson(const QJsonValue &value)
{
    fromJsonValue(m_root, value, 0);
}

} // namespace chronoscope::engine
