#pragma once

#include <QList>
#include <QString>

namespace chronoscope::engine {

/// One step into a JSON document: an object key or an array index.
struct PathSegment
{
    QString key;          ///< the object key (meaningful when index < 0)
    qsizetype index = -1; ///< the array index, or -1 for an object key

    static PathSegment ofKey(const QString &key) { return PathSegment{key, -1}; }
    static PathSegment ofIndex(qsizetype index) { return PathSegment{QString(), index}; }
    bool isIndex() const { return index >= 0; }
    friend bool operator==(const PathSegment &a, const PathSegment &b)
    {
        return a.index == b.index && (a.index >= 0 || a.key == b.key);
    }
    friend bool operator!=(const PathSegment &a, const PathSegment &b) { return !(a == b); }
};

/// A location in a JSON document as a list of segments. Rendered as an RFC 6901 JSON Pointer
/// (`/orders/3/total`, `~` escaped as `~0` and `/` as `~1`); the root is the empty pointer.
class JsonPath
{
public:
    JsonPath() = default;
    explicit JsonPath(QList<PathSegment> segments) : m_segments(std::move(segments)) {}

    const QList<PathSegment> &segments() const { return m_segments; }
    bool isRoot() const { return m_segments.isEmpty(); }
    qsizetype depth() const { return m_segments.size(); }

    JsonPath child(const QString &key) const;
    JsonPath child(qsizetype index) const;
    void push(const PathSegment &segment) { m_segments.append(segment); }
    void pop() { m_segments.removeLast(); }

    /// RFC 6901 rendering: "" for the root, "/a~1b/0" for key "a/b" then index 0.
    QString toPointer() const;
    /// For people: the pointer, or "(root)" for the root (a real key is always preceded by '/').
    QString display() const;
    /// The pointer with every array index replaced by `*`: the form DiffOptions::idKeyByPath uses.
    QString pattern() const;

    /// Escapes one key for a pointer: `~` → `~0`, `/` → `~1`.
    static QString escapeKey(const QString &key);
    /// Parses an RFC 6901 pointer; all-digit segments become indices. Returns false on a malformed
    /// pointer (not starting with '/', or a '~' not followed by 0 or 1).
    static bool fromPointer(const QString &pointer, JsonPath *out);

    /// Total order used to sort diff entries: segment by segment, indices numerically (before keys),
    /// keys by compareKeys(), a prefix before its extensions.
    static int compare(const JsonPath &a, const JsonPath &b);

    /// Object keys by Unicode code point (the same as UTF-8 byte order). Every diff output sorts keys
    /// this way itself: QJsonObject's own iteration order is not reliable in Qt 6.4 — a parsed
    /// object iterates by code point, one built with insert() by UTF-16 unit, so {"Ａ","😀"} come out
    /// in different orders (and QJsonObject::operator== even calls the two unequal).
    static int compareKeys(const QString &a, const QString &b);
    static bool keyLess(const QString &a, const QString &b) { return compareKeys(a, b) < 0; }

    friend bool operator==(const JsonPath &a, const JsonPath &b) { return a.m_segments == b.m_segments; }
    friend bool operator!=(const JsonPath &a, const JsonPath &b) { return !(a == b); }

private:
    QList<PathSegment> m_segments;
};

} // namespace chronoscope::engine
