#pragma once

#include "projections/ProjectionMonitor.h"

#include <QAbstractTableModel>
#include <QPalette>

namespace chronoscope::views {

/// The projections as the monitor last saw them, one row each: name, mode, status, position, progress,
/// events processed, lag to the head of `$all` (events, seconds). A stalled row is tinted amber and a
/// faulted one red, with an icon by the name and the reason as the tooltip.
class ProjectionListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Mode, Status, Position, Progress, Processed, LagEvents, LagSeconds, ColumnCount };
    /// The row's ProjectionHealth::Kind as an int (for tests and filters).
    static constexpr int HealthRole = Qt::UserRole + 1;

    explicit ProjectionListModel(QObject *parent = nullptr);

    void setSnapshot(const ProjectionSnapshot &snapshot);
    void setPalette(const QPalette &palette) { m_palette = palette; }
    const ProjectionRow &row(int r) const { return m_rows.at(r); }
    int rowOf(const QString &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// "1 234" / "≥ 10 000" / "—"; "3.2 s" / "—".
    static QString lagEventsText(const ProjectionLag &lag);
    static QString lagSecondsText(const ProjectionLag &lag);

private:
    QList<ProjectionRow> m_rows;
    QPalette m_palette;
};

} // namespace chronoscope::views
