#include "catalog/StreamListModel.h"

#include "model/Types.h"

#include <QSet>

#include <algorithm>
#include <limits>

namespace chronoscope {

StreamListModel::StreamListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int StreamListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant StreamListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return row.text;
    case NameRole:
        return row.name;
    case CategoryRole:
        return SystemStreams::categoryOf(row.name);
    case IsSystemRole:
        return SystemStreams::isSystemStream(row.name);
    case LastEventTimeRole:
        return row.eventsSeen > 0 ? QVariant(row.lastEventMs) : QVariant();
    case EventCountSeenRole:
        return row.eventsSeen;
    case CreatedTimeRole:
        return row.createdMs != 0 ? QVariant(row.createdMs) : QVariant();
    case DeletionRole:
        return int(row.deletion);
    default:
        return {};
    }
}

QHash<int, QByteArray> StreamListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(CategoryRole, "category");
    names.insert(IsSystemRole, "isSystem");
    names.insert(LastEventTimeRole, "lastEventTime");
    names.insert(EventCountSeenRole, "eventCountSeen");
    names.insert(CreatedTimeRole, "createdTime");
    names.insert(DeletionRole, "deletion");
    return names;
}

void StreamListModel::appendBatch(const QList<QByteArray> &names)
{
    QList<Row> fresh;
    fresh.reserve(names.size());
    QSet<QByteArray> seen; // duplicates inside the batch itself
    for (const QByteArray &name : names) {
        if (m_index.contains(name) || seen.contains(name))
            continue;
        seen.insert(name);
        fresh.push_back(Row{name, QString::fromUtf8(name)});
    }
    if (fresh.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    for (Row &row : fresh) {
        m_index.insert(row.name, int(m_rows.size()));
        m_rows.push_back(std::move(row));
    }
    endInsertRows();
}

void StreamListModel::updateSightings(const QList<StreamSighting> &sightings)
{
    QList<QByteArray> unknown;
    for (const StreamSighting &s : sightings) {
        if (!m_index.contains(s.name))
            unknown.push_back(s.name);
    }
    appendBatch(unknown);

    int low = std::numeric_limits<int>::max();
    int high = -1;
    for (const StreamSighting &s : sightings) {
        const int r = m_index.value(s.name);
        Row &row = m_rows[r];
        const Row before = row;
        if (s.lastEventMs != 0)
            row.lastEventMs = s.lastEventMs;
        if (s.createdMs != 0)
            row.createdMs = s.createdMs;
        if (s.eventsSeen != 0)
            row.eventsSeen = s.eventsSeen;
        if (s.deletion != StreamDeletion::None)
            row.deletion = s.deletion;
        if (row.lastEventMs == before.lastEventMs && row.createdMs == before.createdMs
            && row.eventsSeen == before.eventsSeen && row.deletion == before.deletion)
            continue;
        low = std::min(low, r);
        high = std::max(high, r);
    }
    if (high >= 0)
        Q_EMIT dataChanged(index(low), index(high), {LastEventTimeRole, EventCountSeenRole, CreatedTimeRole, DeletionRole});
}

void StreamListModel::setDeletion(const QByteArray &name, StreamDeletion deletion)
{
    const int r = rowOf(name);
    if (r < 0 || m_rows.at(r).deletion == deletion)
        return;
    m_rows[r].deletion = deletion;
    Q_EMIT dataChanged(index(r), index(r), {DeletionRole});
}

void StreamListModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    endResetModel();
}

QByteArray StreamListModel::nameAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).name : QByteArray();
}

} // namespace chronoscope
