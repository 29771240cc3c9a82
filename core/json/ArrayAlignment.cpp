#include "json/ArrayAlignment.h"

#include "json/JsonFormat.h"

#include <QHash>
#include <QJsonObject>

namespace chronoscope::engine {

namespace {

// Why `key` cannot pair these arrays, or an empty string when it can; fills the id → index maps.
QString checkKey(const QJsonArray &array, const char *side, const QString &key, QHash<QString, qsizetype> *ids)
{
    for (qsizetype i = 0; i < array.size(); ++i) {
        QString id;
        if (!ArrayAlignment::idOf(array.at(i), key, &id))
            return QStringLiteral("element %1 of the %2 array has no string or number \"%3\"")
                .arg(i).arg(QLatin1String(side), key);
        if (ids->contains(id))
            return QStringLiteral("id %1 appears twice in the %2 array")
                .arg(JsonFormat::compact(JsonFormat::member(array.at(i).toObject(), key)), QLatin1String(side));
        ids->insert(id, i);
    }
    return QString();
}

} // namespace

bool ArrayAlignment::idOf(const QJsonValue &element, const QString &key, QString *id)
{
    if (!element.isObject())
        return false;
    const QJsonValue v = JsonFormat::member(element.toObject(), key);
    if (v.isString())
        *id = QLatin1String("s:") + v.toString();
    else if (v.isDouble())
        *id = QLatin1String("n:") + JsonFormat::numberText(v);
    else
        return false;
    return true;
}

ArrayAlignment ArrayAlignment::byIndex(qsizetype beforeSize, qsizetype afterSize)
{
    QList<qsizetype> pb(beforeSize, -1), pa(afterSize, -1);
    for (qsizetype k = 0; k < qMin(beforeSize, afterSize); ++k) {
        pb[k] = k;
        pa[k] = k;
    }
    return fromPairs(std::move(pb), std::move(pa));
}

ArrayAlignment ArrayAlignment::byId(const QJsonArray &before, const QJsonArray &after, const QStringList &candidates,
                                    const QString &forcedKey)
{
    const QStringList keys = forcedKey.isEmpty() ? candidates : QStringList{forcedKey};
    QString forcedProblem;
    for (const QString &key : keys) {
        QHash<QString, qsizetype> beforeIds, afterIds;
        QString problem = checkKey(before, "before", key, &beforeIds);
        if (problem.isEmpty())
            problem = checkKey(after, "after", key, &afterIds);
        if (!problem.isEmpty()) {
            forcedProblem = problem;
            continue;
        }
        QList<qsizetype> pb(before.size(), -1), pa(after.size(), -1);
        for (auto it = afterIds.constBegin(); it != afterIds.constEnd(); ++it) {
            const auto b = beforeIds.constFind(it.key());
            if (b != beforeIds.constEnd()) {
                pa[it.value()] = b.value();
                pb[b.value()] = it.value();
            }
        }
        ArrayAlignment a = fromPairs(std::move(pb), std::move(pa));
        a.m_idKey = key;
        return a;
    }
    ArrayAlignment a = byIndex(before.size(), after.size());
    if (!forcedKey.isEmpty())
        a.m_note = QStringLiteral("id key \"%1\" not usable (%2); matched by index").arg(forcedKey, forcedProblem);
    return a;
}

ArrayAlignment ArrayAlignment::fromPairs(QList<qsizetype> pairOfBefore, QList<qsizetype> pairOfAfter)
{
    ArrayAlignment a;
    a.m_pairOfBefore = std::move(pairOfBefore);
    a.m_pairOfAfter = std::move(pairOfAfter);
    const qsizetype na = a.m_pairOfAfter.size();
    a.m_movedAfter.assign(size_t(na), false);

    // Longest strictly increasing run of before indices, read in after order (patience sorting):
    // tails[k] = after index ending the best run of length k+1; prev links rebuild the run.
    QList<qsizetype> tails, prev(na, -1);
    for (qsizetype j = 0; j < na; ++j) {
        const qsizetype b = a.m_pairOfAfter.at(j);
        if (b < 0)
            continue;
        qsizetype lo = 0, hi = tails.size();
        while (lo < hi) {
            const qsizetype mid = (lo + hi) / 2;
            if (a.m_pairOfAfter.at(tails.at(mid)) < b)
                lo = mid + 1;
            else
                hi = mid;
        }
        prev[j] = lo > 0 ? tails.at(lo - 1) : -1;
        if (lo == tails.size())
            tails.append(j);
        else
            tails[lo] = j;
    }
    std::vector<bool> inRun(size_t(na), false);
    for (qsizetype j = tails.isEmpty() ? -1 : tails.constLast(); j >= 0; j = prev.at(j))
        inRun[j] = true;
    for (qsizetype j = 0; j < na; ++j)
        a.m_movedAfter[j] = a.m_pairOfAfter.at(j) >= 0 && !inRun.at(j);
    a.m_items = a.merge(false);
    return a;
}

QList<ArrayAlignment::Item> ArrayAlignment::splitOrder() const
{
    return merge(true);
}

QList<ArrayAlignment::Item> ArrayAlignment::merge(bool splitMoves) const
{
    const qsizetype nb = m_pairOfBefore.size(), na = m_pairOfAfter.size();
    auto beforeIsSync = [&](qsizetype i) {
        const qsizetype j = m_pairOfBefore.at(i);
        return j >= 0 && !m_movedAfter.at(j);
    };
    auto afterIsSync = [&](qsizetype j) { return m_pairOfAfter.at(j) >= 0 && !m_movedAfter.at(j); };

    QList<Item> out;
    out.reserve(qMax(nb, na) + 4);
    qsizetype i = 0, j = 0;
    while (i < nb || j < na) {
        for (; i < nb && !beforeIsSync(i); ++i) {
            const bool moved = m_pairOfBefore.at(i) >= 0;
            if (!moved)
                out.append(Item{i, -1, false});
            else if (splitMoves)
                out.append(Item{i, -1, true});
        }
        for (; j < na && !afterIsSync(j); ++j) {
            const bool moved = m_movedAfter.at(j);
            if (moved && !splitMoves)
                out.append(Item{m_pairOfAfter.at(j), j, true});
            else
                out.append(Item{-1, j, moved});
        }
        // Both sides now stand on the same in-order pair (the run is increasing on both sides).
        if (i < nb && j < na) {
            out.append(Item{i, j, false});
            ++i;
            ++j;
        } else if (i < nb || j < na) {
            break; // unreachable while the pairs are consistent; never loop forever
        }
    }
    return out;
}

} // namespace chronoscope::engine
