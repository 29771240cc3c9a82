#include "EventListModel.h"

#include "StreamsClient.h"

#include <QDateTime>

namespace chronoscope {

EventListModel::EventListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

EventListModel::~EventListModel() = default;

int EventListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RecordedEvent &e = m_events.at(index.row());
    if (role == CreatedMsRole)
        return e.createdMsecsSinceEpoch();
    if (role == Qt::TextAlignmentRole && index.column() == RevisionColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case RevisionColumn:
        return e.revision;
    case TypeColumn:
        return role == SortRole ? QVariant(e.type) : QVariant(QString::fromUtf8(e.type));
    case CreatedColumn:
        return role == SortRole ? QVariant(e.createdMsecsSinceEpoch())
                                : QVariant(QDateTime::fromMSecsSinceEpoch(e.createdMsecsSinceEpoch(), Qt::UTC));
    default:
        return {};
    }
}

QVariant EventListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RevisionColumn:
        return tr("Revision");
    case TypeColumn:
        return tr("Type");
    case CreatedColumn:
        return tr("Created (UTC)");
    default:
        return {};
    }
}

void EventListModel::load(std::shared_ptr<const StreamsClient> client, const QByteArray &stream, quint64 count)
{
    setEvents(stream, {});
    if (!client) {
        m_jobs.cancel();
        setLoading(false);
        Q_EMIT loaded(ClientError::protocol(tr("not connected")));
        return;
    }
    setLoading(true);
    m_jobs.start([this, client = std::move(client), stream, count](const JobTracker::Job &job) {
        QList<RecordedEvent> events;
        const ReadSummary summary = client->read(
            ReadRequest::forStream(stream, Direction::Backwards).count(count),
            [&](ResolvedEvent &&e) {
                events.push_back(std::move(e.link ? *e.link : *e.event));
                return true;
            },
            job.cancellation());
        job.post([this, stream, events = std::move(events), error = summary.error]() {
            setEvents(stream, events);
            setLoading(false);
            Q_EMIT loaded(error);
        });
    });
}

void EventListModel::setEvents(const QByteArray &stream, const QList<RecordedEvent> &events)
{
    beginResetModel();
    m_stream = stream;
    m_events = events;
    endResetModel();
}

void EventListModel::clear()
{
    m_jobs.cancel();
    setLoading(false);
    setEvents({}, {});
}

void EventListModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

} // namespace chronoscope
