#pragma once

#include "model/Reducer.h"

#include <QStringList>

#include <memory>
#include <vector>

namespace chronoscope::engine {

class MergeTree;

/// The zero-configuration reducer: RFC 7386 JSON merge patch of every event's data into one state,
/// plus how many events of each type were seen.
///
/// State shape (what state() returns and restore() takes):
/// ```
/// { "state":    { …every payload merged in order… },
///   "counts":   { "OrderPlaced": 3, "ItemAdded": 7, … },   // every folded event, merged or not
///   "events":   10,                                          // events folded
///   "unmerged": 0 }                                          // of those, how many could not be merged
/// ```
/// Merge patch: an object member set to null deletes the key, objects merge recursively, anything
/// else (strings, numbers, arrays, a non-object payload) replaces. Within one payload object a
/// duplicate key is resolved "last one wins", as if the payload had been parsed into a map.
///
/// An event whose payload cannot be merged (content type not JSON, empty, invalid UTF-8, malformed or
/// truncated JSON, nesting deeper than 1024, integers beyond 64 bits) gives a non-fatal FoldError
/// naming its type and the problem; it still counts. Payloads are parsed with simdjson.
class MergeReducer : public Reducer
{
public:
    MergeReducer();
    ~MergeReducer() override;

    QString name() const override { return QStringLiteral("merge"); }
    void reset() override;
    void restore(const QJsonValue &state) override;
    FoldResult fold(const FoldEvent *events, qsizetype count) override;
    QJsonValue state() const override;
    /// The value at `path` (object keys from the root of state()), as state() has it; Undefined where a step is
    /// missing. Places under "state" are read from the merge tree, converting only the value found: for callers
    /// that need a few places of many states (the drift scan).
    QJsonValue stateAt(const QStringList &path) const override;
    bool hasCheapStateAt() const override { return true; }
    /// Places under "state", read from the merge tree: strings and integers as they are held there.
    bool scalarAt(const QList<QByteArray> &path, ScalarView *out) const override;
    std::unique_ptr<Reducer> clone() const override;
    bool readsMetadata() const override { return false; } ///< payloads only

    /// The merged payloads only (state()["state"]).
    QJsonValue mergedState() const;

private:
    struct Parser;
    bool foldOne(const FoldEvent &event, QString *error);
    void countType(const QByteArray &type);

    std::unique_ptr<MergeTree> m_tree;
    std::unique_ptr<Parser> m_parser;
    // Per-type counts in first-seen order, found through an open-addressing table of their positions
    // (position + 1, 0 empty; a power of two at most half full), with a "last type" shortcut for runs.
    std::vector<std::pair<QByteArray, quint64>> m_counts;
    std::vector<quint32> m_countSlots;
    size_t m_lastType = 0;
    quint64 m_events = 0;
    quint64 m_unmerged = 0;
};

} // namespace chronoscope::engine
