#pragma once

#include "client/PersistentOverview.h"

#include <QAbstractTableModel>

namespace chronoscope::views {

/// The Subscriptions pane's table: one row per persistent subscription group (issue 18).
/// setGroups() keeps the rows (and so the selection) when the same groups come back.
class SubscriptionsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Stream,
        Group,
        Status,
        Strategy,
        Connections,
        InFlight,
        Parked,
        LagEvents,
        LagTime,
        Checkpoint,
        ColumnCount
    };
    /// The row's group key ("<stream>::<group>") under this role.
    static constexpr int KeyRole = Qt::UserRole + 1;

    explicit SubscriptionsModel(QObject *parent = nullptr);

    void setGroups(const QList<PersistentGroupStatus> &groups);
    const QList<PersistentGroupStatus> &groups() const { return m_groups; }
    int rowOf(const PersistentGroup &group) const;
    const PersistentGroupStatus *statusAt(int row) const;

    /// "12 s", "3 min 5 s", "2 h 10 min", "4 d 3 h".
    static QString durationText(qint64 ms);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const PersistentGroupStatus &s, int column) const;

    QList<PersistentGroupStatus> m_groups;
};

} // namespace chronoscope::views
