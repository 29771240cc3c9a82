#pragma once

#include "ClientError.h"
#include "JobTracker.h"
#include "Types.h"

#include <QAbstractTableModel>

#include <memory>

namespace chronoscope {

class StreamsClient;

/// The newest events of one stream, newest first, as a table. Loads through a StreamsClient in a
/// worker; loading another stream drops the results of the previous request.
class EventListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { RevisionColumn, TypeColumn, CreatedColumn, ColumnCount };
    Q_ENUM(Columns)
    enum Roles {
        SortRole = Qt::UserRole + 1, ///< the raw value of the column: quint64, QByteArray, qint64 ms
        CreatedMsRole,               ///< qint64 ms since the Unix epoch, any column
    };
    Q_ENUM(Roles)

    explicit EventListModel(QObject *parent = nullptr);
    ~EventListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    /// Display: the revision, the type as text, the created time as a UTC QDateTime
    /// (formatting is the view's business).
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Empties the table and loads the last `count` events of `stream` off the calling thread.
    void load(std::shared_ptr<const StreamsClient> client, const QByteArray &stream, quint64 count = 100);
    /// Replaces the rows (newest first); what load() ends with.
    void setEvents(const QByteArray &stream, const QList<RecordedEvent> &events);
    void clear();

    QByteArray stream() const { return m_stream; }
    bool isLoading() const { return m_loading; }
    const RecordedEvent &eventAt(int row) const { return m_events.at(row); }

Q_SIGNALS:
    void loadingChanged(bool loading);
    /// A load ended; `error` is empty on success.
    void loaded(const chronoscope::ClientError &error);

private:
    void setLoading(bool loading);

    JobTracker m_jobs{this};
    QByteArray m_stream;
    QList<RecordedEvent> m_events;
    bool m_loading = false;
};

} // namespace chronoscope
