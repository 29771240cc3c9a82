#include "subscriptions/SubscriptionsModel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace chronoscope::views {

namespace {

QString keyOf(const PersistentSubscriptionInfo &info)
{
    return QString::fromUtf8(info.eventSource) + QStringLiteral("::") + info.groupName;
}

} // namespace

SubscriptionsModel::SubscriptionsModel(QObject *parent) : QAbstractTableModel(parent) {}

void SubscriptionsModel::setGroups(const QList<PersistentGroupStatus> &groups)
{
    bool sameRows = groups.size() == m_groups.size();
    for (int i = 0; sameRows && i < groups.size(); ++i)
        sameRows = keyOf(groups.at(i).info) == keyOf(m_groups.at(i).info);
    if (!sameRows) {
        beginResetModel();
        m_groups = groups;
        endResetModel();
        return;
    }
    m_groups = groups;
    if (!m_groups.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int SubscriptionsModel::rowOf(const PersistentGroup &group) const
{
    for (int i = 0; i < m_groups.size(); ++i)
        if (m_groups.at(i).info.eventSource == group.stream && m_groups.at(i).info.groupName == group.group)
            return i;
    return -1;
}

const PersistentGroupStatus *SubscriptionsModel::statusAt(int row) const
{
    return row >= 0 && row < m_groups.size() ? &m_groups.at(row) : nullptr;
}

QString SubscriptionsModel::durationText(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (s < 60)
        return s == 0 && ms > 0 ? QStringLiteral("%1 ms").arg(ms) : QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
    if (s < 86400)
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return QStringLiteral("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

int SubscriptionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_groups.size());
}

int SubscriptionsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SubscriptionsModel::display(const PersistentGroupStatus &s, int column) const
{
    const PersistentSubscriptionInfo &i = s.info;
    const QLocale locale;
    switch (column) {
    case Stream: return QString::fromUtf8(i.eventSource);
    case Group: return i.groupName;
    case Status: return i.status;
    case Strategy: return i.settings.consumerStrategy;
    case Connections: return int(i.connections.size());
    case InFlight: return i.totalInFlightMessages;
    case Parked: return locale.toString(i.parkedMessageCount);
    case LagEvents:
        if (!s.lagEvents)
            return QStringLiteral("—");
        return QString(locale.toString(*s.lagEvents) + (s.lagAtLeast ? QStringLiteral("+") : QString()));
    case LagTime: return s.lagMs ? durationText(*s.lagMs) : QStringLiteral("—");
    case Checkpoint: return i.lastCheckpointedPosition.isEmpty() ? tr("none") : i.lastCheckpointedPosition;
    }
    return {};
}

QVariant SubscriptionsModel::data(const QModelIndex &index, int role) const
{
    const PersistentGroupStatus *s = statusAt(index.row());
    if (!s || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    switch (role) {
    case Qt::DisplayRole: return display(*s, index.column());
    case KeyRole: return keyOf(s->info);
    case Qt::TextAlignmentRole:
        if (index.column() >= Connections && index.column() <= LagTime)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        // Parked messages and an unreadable lag are what an operator looks for first.
        if (index.column() == Parked && s->info.parkedMessageCount > 0)
            return QBrush(QColor(0xc0, 0x39, 0x2b));
        return {};
    case Qt::ToolTipRole:
        if (index.column() == LagEvents || index.column() == LagTime) {
            if (!s->lagError.isEmpty())
                return tr("The lag could not be read: %1").arg(s->lagError);
            return tr("Behind the head of %1 since the last checkpoint (%2): events not checkpointed yet, and the "
                      "head's time minus the oldest of them")
                .arg(QString::fromUtf8(s->info.eventSource),
                     s->info.lastCheckpointedPosition.isEmpty() ? tr("none") : s->info.lastCheckpointedPosition);
        }
        if (index.column() == Parked)
            return tr("Messages the consumers gave up on (nacked with park, or past the max retry count)");
        return {};
    }
    return {};
}

QVariant SubscriptionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Stream: return tr("Stream");
    case Group: return tr("Group");
    case Status: return tr("Status");
    case Strategy: return tr("Strategy");
    case Connections: return tr("Clients");
    case InFlight: return tr("In flight");
    case Parked: return tr("Parked");
    case LagEvents: return tr("Lag");
    case LagTime: return tr("Lag time");
    case Checkpoint: return tr("Checkpoint");
    }
    return {};
}

} // namespace chronoscope::views
