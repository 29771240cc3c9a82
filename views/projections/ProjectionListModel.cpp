#include "projections/ProjectionListModel.h"

#include "common/DiffColors.h"

#include <QApplication>
#include <QLocale>
#include <QStyle>

namespace chronoscope::views {

ProjectionListModel::ProjectionListModel(QObject *parent) : QAbstractTableModel(parent) {}

void ProjectionListModel::setSnapshot(const ProjectionSnapshot &snapshot)
{
    // Same names in the same order: the rows change in place, so the selection and scroll stay.
    bool same = snapshot.rows.size() == m_rows.size();
    for (qsizetype i = 0; same && i < m_rows.size(); ++i)
        same = m_rows.at(i).details.name == snapshot.rows.at(i).details.name;
    if (same) {
        m_rows = snapshot.rows;
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = snapshot.rows;
    endResetModel();
}

int ProjectionListModel::rowOf(const QString &name) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).details.name == name)
            return int(i);
    return -1;
}

int ProjectionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProjectionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ProjectionListModel::lagEventsText(const ProjectionLag &lag)
{
    if (lag.events < 0)
        return QStringLiteral("—");
    const QString n = QLocale().toString(lag.events);
    return lag.atLeast ? QStringLiteral("≥ ") + n : n;
}

QString ProjectionListModel::lagSecondsText(const ProjectionLag &lag)
{
    if (lag.seconds < 0)
        return QStringLiteral("—");
    return lag.seconds < 100 ? QStringLiteral("%1 s").arg(lag.seconds, 0, 'f', 1)
                             : QStringLiteral("%1 s").arg(QLocale().toString(qint64(lag.seconds)));
}

QVariant ProjectionListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const ProjectionRow &r = m_rows.at(index.row());
    const ProjectionDetails &d = r.details;
    using Kind = ProjectionHealth::Kind;
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Name: return d.name;
        case Mode: return d.mode;
        case Status: return d.status;
        case Position: return d.position;
        case Progress: return QStringLiteral("%1 %").arg(double(d.progress), 0, 'f', 1);
        case Processed: return QLocale().toString(d.eventsProcessedAfterRestart);
        case LagEvents: return lagEventsText(r.lag);
        case LagSeconds: return lagSecondsText(r.lag);
        case ColumnCount: break;
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() >= Progress ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::DecorationRole:
        if (index.column() != Name || r.health.healthy())
            return {};
        return QApplication::style()->standardIcon(r.health.kind == Kind::Faulted ? QStyle::SP_MessageBoxCritical
                                                                                  : QStyle::SP_MessageBoxWarning);
    case Qt::BackgroundRole: {
        if (r.health.healthy())
            return {};
        const DiffColors colors = DiffColors::forPalette(m_palette);
        return r.health.kind == Kind::Faulted ? colors.removed : colors.changed;
    }
    case Qt::ToolTipRole:
        if (!r.health.healthy())
            return r.health.reason;
        return index.column() == LagSeconds
            ? tr("From the record at its position to the last record of $all, by their times")
            : QVariant();
    case HealthRole: return int(r.health.kind);
    default: return {};
    }
}

QVariant ProjectionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name: return tr("Name");
    case Mode: return tr("Mode");
    case Status: return tr("Status");
    case Position: return tr("Position");
    case Progress: return tr("Progress");
    case Processed: return tr("Events processed");
    case LagEvents: return tr("Lag (events)");
    case LagSeconds: return tr("Lag (s)");
    case ColumnCount: break;
    }
    return {};
}

} // namespace chronoscope::views
