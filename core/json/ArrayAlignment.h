#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace chronoscope::engine {

/// Which element of the before array corresponds to which element of the after array, in a merged
/// order that respects both arrays. Elements are paired by index, or by an id key (every element an
/// object whose id is a string or a number, unique in its array). Paired elements whose relative
/// order changed are flagged `moved`: the pairs outside one longest run kept in order (a longest
/// increasing subsequence), so an insertion in the middle moves nothing.
class ArrayAlignment
{
public:
    struct Item
    {
        qsizetype before = -1; ///< index in the before array, -1 when the element was added
        qsizetype after = -1;  ///< index in the after array, -1 when the element was removed
        bool moved = false;    ///< paired, but out of order relative to the other pairs
    };

    /// Pairs element k with element k; the longer array's tail is added or removed.
    static ArrayAlignment byIndex(qsizetype beforeSize, qsizetype afterSize);

    /// Pairs by id. `forcedKey` (from a per-path option) is tried alone when not empty, else the
    /// candidates in order; the first usable key wins. Falls back to byIndex() when none is usable;
    /// note() then says why when a forced key was given.
    static ArrayAlignment byId(const QJsonArray &before, const QJsonArray &after, const QStringList &candidates,
                               const QString &forcedKey);

    /// Merged order: a moved pair sits at its after position (one row per element, as a tree shows it).
    const QList<Item> &items() const { return m_items; }
    /// Like items(), but a moved pair is split into a removal at its before position and an addition
    /// at its after position (both flagged moved), so that each side reads in its own order — what a
    /// unified text view needs.
    QList<Item> splitOrder() const;

    QString idKey() const { return m_idKey; } ///< empty when paired by index
    QString note() const { return m_note; }

    /// The id text used for pairing ("s:…" for strings, "n:…" for numbers); false when unusable.
    static bool idOf(const QJsonValue &element, const QString &key, QString *id);

private:
    static ArrayAlignment fromPairs(QList<qsizetype> pairOfBefore, QList<qsizetype> pairOfAfter);
    QList<Item> merge(bool splitMoves) const;

    QList<qsizetype> m_pairOfBefore; ///< after index paired with each before element, or -1
    QList<qsizetype> m_pairOfAfter;  ///< before index paired with each after element, or -1
    std::vector<bool> m_movedAfter;        ///< per after element: paired but out of order
    QList<Item> m_items;
    QString m_idKey;
    QString m_note;
};

} // namespace chronoscope::engine
