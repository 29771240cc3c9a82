#pragma once

#include "json/JsonPath.h"

#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace chronoscope::engine {

/// How JsonDiff pairs array elements and what it reports.
struct DiffOptions
{
    /// Candidate id keys ("id", "orderId", …). An array is paired by the first candidate that every
    /// element of both arrays carries as a string or number, unique within each array; otherwise
    /// (or when the list is empty) by index.
    QStringList idKeys;
    /// Per-array id key, by the array's path pattern: a JSON Pointer with `*` for every array index
    /// ("/orders/*/items" → "sku"; "" is the root). Overrides idKeys for that array. When the key is
    /// not usable the array is paired by index and DiffResult::notes says why.
    QHash<QString, QString> idKeyByPath;
    /// With id pairing, elements whose relative order changed are reported as Moved entries (and
    /// flagged in the tree): the fewest elements that explain the new order (those outside a longest
    /// run kept in order), so an insertion or a removal moves nothing. When false, reordering is
    /// ignored: only content changes are reported. Index pairing never reports moves.
    bool reportMoves = true;
    /// Build DiffResult::tree (the GUI needs it; a CLI or a bisect predicate may not).
    bool buildTree = true;
    /// Deeper values are compared as a whole (a single Changed entry) instead of descended into.
    /// Parsed documents never exceed 1025 levels (QJsonDocument's limit); this guards hand-built ones.
    int maxDepth = 1500;

    static DiffOptions byIndex() { return DiffOptions{}; }
    static DiffOptions byId(const QStringList &keys)
    {
        DiffOptions o;
        o.idKeys = keys;
        return o;
    }
};

/// One change. `path` is where the change is in the after document (Added, Changed, Moved) or in the
/// before document (Removed); `beforePath` is where the value was in the before document (equal to
/// `path` unless id pairing shifted an array element; empty for Added).
struct DiffEntry
{
    enum class Kind { Added, Removed, Changed, Moved };
    Kind kind = Kind::Changed;
    JsonPath path;
    JsonPath beforePath;
    QJsonValue before{QJsonValue::Undefined}; ///< Undefined for Added
    QJsonValue after{QJsonValue::Undefined};  ///< Undefined for Removed
};

/// A node of the tree covering both documents, for a two-column (side-by-side) view: every value of
/// either document appears once, with its status.
struct DiffNode
{
    enum class Kind {
        Unchanged,       ///< equal on both sides (numbers by value)
        Added,           ///< only in the after document (so is everything below it)
        Removed,         ///< only in the before document (so is everything below it)
        Changed,         ///< a scalar value or the type changed; children (if any) are the before
                         ///< value's children as Removed, then the after value's as Added
        ChildrenChanged  ///< the same container type on both sides, something below changed or moved
    };
    PathSegment segment;      ///< key or index (after index; before index for Removed); unused at the root
    qsizetype beforeIndex = -1; ///< for array elements: index in the before array, -1 if absent
    qsizetype afterIndex = -1;  ///< for array elements: index in the after array, -1 if absent
    Kind kind = Kind::Unchanged;
    bool moved = false;         ///< array element paired by id whose relative order changed
    QJsonValue before{QJsonValue::Undefined}; ///< Undefined when absent from the before document
    QJsonValue after{QJsonValue::Undefined};  ///< Undefined when absent from the after document
    std::vector<DiffNode> children; ///< object members by key (code point order), array elements in merged order
};

struct DiffSummary
{
    int added = 0;
    int removed = 0;
    int changed = 0;
    int moved = 0;
    int unchanged = 0; ///< unchanged leaves (scalars and empty containers) found on both sides
    int changes() const { return added + removed + changed + moved; }
};

struct DiffResult
{
    QList<DiffEntry> entries; ///< sorted by path (JsonPath::compare), then Removed, Added, Changed, Moved
    DiffNode tree;            ///< empty (Unchanged, no children) when DiffOptions::buildTree is false
    DiffSummary summary;
    QStringList notes;        ///< e.g. an id key that could not be used
    bool isEmpty() const { return entries.isEmpty(); }
};

/// Structural JSON diff. Objects are compared member by member (keys in code point order), arrays
/// element by element (by index or id, see DiffOptions), scalars by value: numbers numerically with
/// 64-bit integers exact (1 == 1.0, 2^53 + 1 != 2^53; see JsonFormat::numbersEqual), anything else
/// of a different type is Changed (null vs missing: a Changed or Added/Removed entry, never equal).
/// An Undefined document means "absent": diff(Undefined, x) is one Added entry at the root (the
/// state before the first event), diff(x, Undefined) one Removed entry. Linear in the documents'
/// size (plus n log n for sorting members and id pairing); the recursion is bounded by maxDepth.
class JsonDiff
{
public:
    static DiffResult diff(const QJsonValue &before, const QJsonValue &after, const DiffOptions &options = {});
};

} // namespace chronoscope::engine
