#pragma once

#include "projections/ProjectionInspector.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QTabWidget;

namespace chronoscope::views {

class JsonTreeWidget;
class ProjectionCompareView;

/// One projection in the pane: its source (read-only, as the server persisted it), its partitions (with a
/// search), and the selected partition's state and result as JSON trees. Everything is read through a
/// ProjectionInspector, in its worker.
class ProjectionDetailView : public QWidget
{
    Q_OBJECT
public:
    explicit ProjectionDetailView(ProjectionInspector *inspector, QWidget *parent = nullptr);

    /// Shows `name` (empty: nothing) and reads it; the same name again reads it again, keeping the
    /// partition shown.
    void show(const QString &name);
    QString name() const { return m_name; }
    QString currentPartition() const { return m_partition; }
    void selectPartition(const QString &partition);

    QPlainTextEdit *source() const { return m_source; }
    QListWidget *partitions() const { return m_partitions; }
    QLineEdit *partitionFilter() const { return m_filter; }
    JsonTreeWidget *stateTree() const { return m_state; }
    JsonTreeWidget *resultTree() const { return m_result; }
    QLabel *stateLabel() const { return m_stateLabel; }
    QTabWidget *tabs() const { return m_tabs; }
    /// The "Compare" tab: the projection's partitions against a local fold of its source.
    ProjectionCompareView *compare() const { return m_compare; }
    const ProjectionDefinition &definition() const { return m_definition; }

Q_SIGNALS:
    /// A partition's state and result are shown.
    void partitionShown(const QString &partition);

private:
    void onLoaded(const ProjectionDefinition &definition, const ProjectionPartitions &partitions);
    void onPartitionLoaded(const ProjectionPartitionValues &values);
    void applyFilter();

    ProjectionInspector *m_inspector;
    QString m_name;
    QString m_partition;
    ProjectionDefinition m_definition;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_source;
    QLineEdit *m_filter;
    QListWidget *m_partitions;
    QLabel *m_partitionNote;
    QLabel *m_stateLabel;
    JsonTreeWidget *m_state;
    QLabel *m_resultLabel;
    JsonTreeWidget *m_result;
    ProjectionCompareView *m_compare;
};

} // namespace chronoscope::views
