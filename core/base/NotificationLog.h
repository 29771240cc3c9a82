#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>

namespace chronoscope {

/// The errors and warnings of a session, each listed once: a notice that comes again (the same
/// message and details) raises the count and time of its row instead of adding one, so a failing
/// server that answers every call with the same error shows one line, not hundreds.
///
/// The window shows the newest unseen notice in its banner and the whole list on demand.
class NotificationLog : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles {
        MessageRole = Qt::UserRole + 1,
        DetailsRole,
        CountRole,   ///< how often it came (≥ 1)
        FirstRole,   ///< QDateTime (UTC) of the first time
        LastRole,    ///< QDateTime (UTC) of the latest time
    };

    struct Entry
    {
        QString message;
        QString details;
        int count = 1;
        QDateTime first;
        QDateTime last;
    };

    explicit NotificationLog(QObject *parent = nullptr);

    /// Records a notice. Returns its row, and whether it is new (not a repeat of a listed one).
    std::pair<int, bool> add(const QString &message, const QString &details = {});
    void clear();

    const Entry &entry(int row) const { return m_entries.at(row); }
    int count() const { return int(m_entries.size()); }
    /// Notices added (new or repeated) since markSeen().
    int unseen() const { return m_unseen; }
    void markSeen();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void unseenChanged(int unseen);

private:
    void setUnseen(int unseen);

    QList<Entry> m_entries;
    int m_unseen = 0;
};

} // namespace chronoscope
