#pragma once

#include "json/JsonDiff.h"
#include "projections/ProjectionCompare.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace chronoscope::views {

class PartitionDivergenceView;

/// "Compare with local fold" (issue 13, item 4) in the Projections pane: folds the projection's own source
/// locally up to its reported position and lists every partition as equal, different (with how many paths),
/// missing on the server or missing locally, with progress and Cancel. Choosing a partition asks for its
/// server-vs-local diff (diffRequested(), for the diff pane).
class ProjectionCompareView : public QWidget
{
    Q_OBJECT
public:
    explicit ProjectionCompareView(QWidget *parent = nullptr);

    void setClients(std::shared_ptr<const StreamsClient> streams, std::shared_ptr<const ProjectionsClient> projections);
    /// The projection to compare; another one drops the last comparison.
    void setProjection(const QString &name);

    /// Where local sources live: a file there named `…NAME.projection.js` is offered for projection NAME.
    void setSourceFolder(const QString &folder) { m_folder = folder; }
    /// The local source to fold (empty: the server's own source).
    void setLocalSourceFile(const QString &path);
    QLineEdit *localSourceEdit() const { return m_file; }

    void start();
    void cancel();
    bool isRunning() const;

    QPushButton *startButton() const { return m_start; }
    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *summaryLabel() const { return m_summary; }
    QTreeWidget *partitions() const { return m_list; }
    QComboBox *showBox() const { return m_show; }
    /// Under the list: the chosen partition's events and "which event made it wrong".
    PartitionDivergenceView *divergence() const { return m_divergence; }
    /// The last comparison's report (complete() once finished).
    const projections::ProjectionCompareReport &report() const { return m_report; }
    bool hasReport() const { return m_haveReport; }
    /// Shows `partition`'s diff (as a click on its row does).
    void showPartition(const QString &partition);

    enum Column { PartitionColumn, ResultColumn, PathsColumn, EventsColumn };

Q_SIGNALS:
    /// A partition's server state (before) vs the local fold (after), for the diff pane.
    void diffRequested(const chronoscope::engine::DiffResult &diff, const QString &title, const QString &beforeLabel,
                       const QString &afterLabel, const QString &message);
    void finished();
    /// Open `stream` in the event list with the event at `revision` under the cursor.
    void openEventRequested(const QByteArray &stream, qint64 revision);

private:
    void onProgress(const projections::ProjectionCompareProgress &progress);
    void onCompared(const QList<projections::PartitionComparison> &partitions);
    void onFinished(const projections::ProjectionCompareReport &report);
    void applyFilter();
    void setRunning(bool running);

    projections::ProjectionCompareRunner *m_runner;
    QString m_name;
    QString m_folder;
    QLineEdit *m_file;
    QPushButton *m_start;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QComboBox *m_show;
    QLabel *m_summary;
    QTreeWidget *m_list;
    PartitionDivergenceView *m_divergence;
    QString m_localSource; ///< the source the last comparison folded (the server's when no file was given)
    QHash<QString, projections::PartitionComparison> m_results;
    projections::ProjectionCompareReport m_report;
    bool m_haveReport = false;
};

} // namespace chronoscope::views
