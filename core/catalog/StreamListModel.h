#pragma once

#include "model/StreamSighting.h"

#include <QAbstractListModel>
#include <QHash>

namespace chronoscope {

/// The names of the streams a browser lists, in the order they were found (a backwards scan of
/// `$all` finds the most recently changed first). Raw values in custom roles; the display role is
/// the name as text. Rows arrive in batches, one beginInsertRows per batch.
class StreamListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles {
        NameRole = Qt::UserRole + 1, ///< QByteArray, the name exactly as on the wire
        CategoryRole,                ///< QByteArray, up to the first '-'; empty when none
        IsSystemRole,                ///< bool, the name starts with '$'
        LastEventTimeRole,           ///< qint64 ms since the Unix epoch; invalid when not seen yet
        EventCountSeenRole,          ///< quint64, events of the stream the scan has passed
        CreatedTimeRole,             ///< qint64 ms since the Unix epoch of its first event; invalid when unknown
        DeletionRole,                ///< int, a StreamDeletion
    };
    Q_ENUM(Roles)

    explicit StreamListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Appends the names that are not listed yet, keeping their order.
    void appendBatch(const QList<QByteArray> &names);
    /// Updates the times, count and deletion of each sighting's stream (appending streams not
    /// listed yet), with one dataChanged over the rows touched. Unknown values (0, None) keep
    /// what is known.
    void updateSightings(const QList<StreamSighting> &sightings);
    /// What a closer look at one listed stream found (e.g. its metadata): replaces its mark.
    void setDeletion(const QByteArray &name, StreamDeletion deletion);
    void clear();

    /// Row of `name`, or -1.
    int rowOf(const QByteArray &name) const { return m_index.value(name, -1); }
    QByteArray nameAt(int row) const;

private:
    struct Row
    {
        QByteArray name;
        QString text;
        qint64 lastEventMs = 0;
        quint64 eventsSeen = 0;
        qint64 createdMs = 0;
        StreamDeletion deletion = StreamDeletion::None;
    };
    QList<Row> m_rows;
    QHash<QByteArray, int> m_index;
};

} // namespace chronoscope
