#include "json/JsonDiff.h"

#include "json/ArrayAlignment.h"
#include "json/JsonFormat.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace chronoscope::engine {

namespace {

bool isContainer(const QJsonValue &v)
{
    return v.isObject() || v.isArray();
}


int kindOrder(DiffEntry::Kind k)
{
    switch (k) {
    case DiffEntry::Kind::Removed: return 0;
    case DiffEntry::Kind::Added: return 1;
    case DiffEntry::Kind::Changed: return 2;
    case DiffEntry::Kind::Moved: return 3;
    }
    return 4;
}

// One diff run: the two current paths (after-side and before-side) grow and shrink with the walk.
class Differ
{
public:
    Differ(const DiffOptions &options, DiffResult &result) : m_options(options), m_result(result) {}

    DiffNode both(const QJsonValue &before, const QJsonValue &after, int depth);
    DiffNode only(const QJsonValue &value, DiffNode::Kind kind, int depth);
    void record(DiffEntry::Kind kind, const QJsonValue &before, const QJsonValue &after);

    JsonPath m_afterPath;
    JsonPath m_beforePath;

private:
    DiffNode objects(const QJsonObject &before, const QJsonObject &after, int depth);
    DiffNode arrays(const QJsonArray &before, const QJsonArray &after, int depth);
    void enter(const PathSegment &beforeSeg, const PathSegment &afterSeg)
    {
        m_beforePath.push(beforeSeg);
        m_afterPath.push(afterSeg);
    }
    void leave()
    {
        m_beforePath.pop();
        m_afterPath.pop();
    }
    void addChild(DiffNode &parent, DiffNode &&child)
    {
        if (m_options.buildTree)
            parent.children.push_back(std::move(child));
    }

    const DiffOptions &m_options;
    DiffResult &m_result;
};

void Differ::record(DiffEntry::Kind kind, const QJsonValue &before, const QJsonValue &after)
{
    DiffEntry e;
    e.kind = kind;
    e.path = kind == DiffEntry::Kind::Removed ? m_beforePath : m_afterPath;
    if (kind != DiffEntry::Kind::Added)
        e.beforePath = m_beforePath;
    e.before = before;
    e.after = after;
    m_result.entries.append(e);
    switch (kind) {
    case DiffEntry::Kind::Added: ++m_result.summary.added; break;
    case DiffEntry::Kind::Removed: ++m_result.summary.removed; break;
    case DiffEntry::Kind::Changed: ++m_result.summary.changed; break;
    case DiffEntry::Kind::Moved: ++m_result.summary.moved; break;
    }
}

// A whole subtree present on one side only; records nothing (the caller records one entry for it).
DiffNode Differ::only(const QJsonValue &value, DiffNode::Kind kind, int depth)
{
    DiffNode node;
    node.kind = kind;
    (kind == DiffNode::Kind::Added ? node.after : node.before) = value;
    if (!m_options.buildTree || depth >= m_options.maxDepth)
        return node;
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (const JsonFormat::Member &m : JsonFormat::members(o)) {
            DiffNode child = only(m.second, kind, depth + 1);
            child.segment = PathSegment::ofKey(m.first);
            node.children.push_back(std::move(child));
        }
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            DiffNode child = only(a.at(i), kind, depth + 1);
            child.segment = PathSegment::ofIndex(i);
            (kind == DiffNode::Kind::Added ? child.afterIndex : child.beforeIndex) = i;
            node.children.push_back(std::move(child));
        }
    }
    return node;
}

DiffNode Differ::both(const QJsonValue &before, const QJsonValue &after, int depth)
{
    if (depth >= m_options.maxDepth && isContainer(before) && isContainer(after)) {
        DiffNode node;
        node.before = before;
        node.after = after;
        if (JsonFormat::valuesEqual(before, after))
            return node;
        node.kind = DiffNode::Kind::Changed;
        record(DiffEntry::Kind::Changed, before, after);
        m_result.notes.append(QStringLiteral("%1: nested deeper than %2 levels, compared as a whole")
                                  .arg(m_afterPath.display())
                                  .arg(m_options.maxDepth));
        return node;
    }
    if (before.isObject() && after.isObject())
        return objects(before.toObject(), after.toObject(), depth);
    if (before.isArray() && after.isArray())
        return arrays(before.toArray(), after.toArray(), depth);

    DiffNode node;
    node.before = before;
    node.after = after;
    const bool equal = before.type() == after.type()
        && (before.isDouble() ? JsonFormat::numbersEqual(before, after) : before == after);
    if (equal) {
        ++m_result.summary.unchanged;
        return node;
    }
    node.kind = DiffNode::Kind::Changed;
    record(DiffEntry::Kind::Changed, before, after);
    // A type change: the two-column tree still shows both sides' children.
    if (m_options.buildTree) {
        for (DiffNode &c : only(before, DiffNode::Kind::Removed, depth).children)
            node.children.push_back(std::move(c));
        for (DiffNode &c : only(after, DiffNode::Kind::Added, depth).children)
            node.children.push_back(std::move(c));
    }
    return node;
}

DiffNode Differ::objects(const QJsonObject &before, const QJsonObject &after, int depth)
{
    DiffNode node;
    node.before = before;
    node.after = after;
    if (before.isEmpty() && after.isEmpty())
        ++m_result.summary.unchanged;

    // Merge the two sorted member lists (read by iteration: see JsonFormat::members()).
    const QList<JsonFormat::Member> b = JsonFormat::members(before);
    const QList<JsonFormat::Member> a = JsonFormat::members(after);
    bool changed = false;
    qsizetype i = 0, j = 0;
    while (i < b.size() || j < a.size()) {
        const int c = i >= b.size() ? 1 : j >= a.size() ? -1 : JsonPath::compareKeys(b.at(i).first, a.at(j).first);
        const PathSegment seg = PathSegment::ofKey(c <= 0 ? b.at(i).first : a.at(j).first);
        enter(seg, seg);
        DiffNode child;
        if (c == 0) {
            child = both(b.at(i++).second, a.at(j++).second, depth + 1);
        } else if (c > 0) {
            record(DiffEntry::Kind::Added, QJsonValue(QJsonValue::Undefined), a.at(j).second);
            child = only(a.at(j++).second, DiffNode::Kind::Added, depth + 1);
        } else {
            record(DiffEntry::Kind::Removed, b.at(i).second, QJsonValue(QJsonValue::Undefined));
            child = only(b.at(i++).second, DiffNode::Kind::Removed, depth + 1);
        }
        leave();
        changed = changed || child.kind != DiffNode::Kind::Unchanged;
        child.segment = seg;
        addChild(node, std::move(child));
    }
    if (changed)
        node.kind = DiffNode::Kind::ChildrenChanged;
    return node;
}

DiffNode Differ::arrays(const QJsonArray &before, const QJsonArray &after, int depth)
{
    DiffNode node;
    node.before = before;
    node.after = after;
    if (before.isEmpty() && after.isEmpty()) {
        ++m_result.summary.unchanged;
        return node;
    }

    const QString forced = m_options.idKeyByPath.value(m_afterPath.pattern());
    const ArrayAlignment alignment = forced.isEmpty() && m_options.idKeys.isEmpty()
        ? ArrayAlignment::byIndex(before.size(), after.size())
        : ArrayAlignment::byId(before, after, m_options.idKeys, forced);
    if (!alignment.note().isEmpty())
        m_result.notes.append(m_afterPath.display() % QLatin1String(": ") % alignment.note());

    bool changed = false;
    for (const ArrayAlignment::Item &item : alignment.items()) {
        DiffNode child;
        if (item.before >= 0 && item.after >= 0) {
            enter(PathSegment::ofIndex(item.before), PathSegment::ofIndex(item.after));
            const bool moved = item.moved && m_options.reportMoves;
            if (moved)
                record(DiffEntry::Kind::Moved, before.at(item.before), after.at(item.after));
            child = both(before.at(item.before), after.at(item.after), depth + 1);
            child.moved = moved;
            changed = changed || moved;
            child.segment = PathSegment::ofIndex(item.after);
        } else if (item.after >= 0) {
            enter(PathSegment::ofIndex(item.after), PathSegment::ofIndex(item.after));
            record(DiffEntry::Kind::Added, QJsonValue(QJsonValue::Undefined), after.at(item.after));
            child = only(after.at(item.after), DiffNode::Kind::Added, depth + 1);
            child.segment = PathSegment::ofIndex(item.after);
        } else {
            enter(PathSegment::ofIndex(item.before), PathSegment::ofIndex(item.before));
            record(DiffEntry::Kind::Removed, before.at(item.before), QJsonValue(QJsonValue::Undefined));
            child = only(before.at(item.before), DiffNode::Kind::Removed, depth + 1);
            child.segment = PathSegment::ofIndex(item.before);
        }
        leave();
        child.beforeIndex = item.before;
        child.afterIndex = item.after;
        changed = changed || child.kind != DiffNode::Kind::Unchanged;
        addChild(node, std::move(child));
    }
    if (changed)
        node.kind = DiffNode::Kind::ChildrenChanged;
    return node;
}

} // namespace

DiffResult JsonDiff::diff(const QJsonValue &before, const QJsonValue &after, const DiffOptions &options)
{
    DiffResult result;
    Differ differ(options, result);
    const bool hasBefore = !before.isUndefined();
    const bool hasAfter = !after.isUndefined();
    if (hasBefore && hasAfter) {
        result.tree = differ.both(before, after, 0);
    } else if (hasAfter) {
        differ.record(DiffEntry::Kind::Added, before, after);
        result.tree = differ.only(after, DiffNode::Kind::Added, 0);
    } else if (hasBefore) {
        differ.record(DiffEntry::Kind::Removed, before, after);
        result.tree = differ.only(before, DiffNode::Kind::Removed, 0);
    }
    if (!options.buildTree)
        result.tree = DiffNode{};
    std::stable_sort(result.entries.begin(), result.entries.end(), [](const DiffEntry &a, const DiffEntry &b) {
        const int c = JsonPath::compare(a.path, b.path);
        return c != 0 ? c < 0 : kindOrder(a.kind) < kindOrder(b.kind);
    });
    return result;
}

} // namespace chronoscope::engine
