#include "base/NotificationLog.h"

namespace chronoscope {

NotificationLog::NotificationLog(QObject *parent) : QAbstractListModel(parent) {}

std::pair<int, bool> NotificationLog::add(const QString &message, const QString &details)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    setUnseen(m_unseen + 1);
    for (int row = 0; row < m_entries.size(); ++row) {
        Entry &e = m_entries[row];
        if (e.message == message && e.details == details) {
            ++e.count;
            e.last = now;
            const QModelIndex i = index(row);
            Q_EMIT dataChanged(i, i, {Qt::DisplayRole, CountRole, LastRole});
            return {row, false};
        }
    }
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.append({message, details, 1, now, now});
    endInsertRows();
    return {row, true};
}

void NotificationLog::clear()
{
    if (m_entries.isEmpty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
    setUnseen(0);
}

void NotificationLog::markSeen()
{
    setUnseen(0);
}

void NotificationLog::setUnseen(int unseen)
{
    if (unseen == m_unseen)
        return;
    m_unseen = unseen;
    Q_EMIT unseenChanged(unseen);
}

int NotificationLog::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant NotificationLog::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return e.count > 1 ? tr("%1 (×%2)").arg(e.message).arg(e.count) : e.message;
    case Qt::ToolTipRole:
        return e.details.isEmpty() ? e.message : e.details;
    case MessageRole:
        return e.message;
    case DetailsRole:
        return e.details;
    case CountRole:
        return e.count;
    case FirstRole:
        return e.first;
    case LastRole:
        return e.last;
    default:
        return {};
    }
}

QHash<int, QByteArray> NotificationLog::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(MessageRole, "message");
    names.insert(DetailsRole, "details");
    names.insert(CountRole, "count");
    names.insert(FirstRole, "first");
    names.insert(LastRole, "last");
    return names;
}

} // namespace chronoscope
