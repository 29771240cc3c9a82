#pragma once

#include "projections/PartitionDivergenceRunner.h"

#include <QWidget>

#include <optional>

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace chronoscope::views {

/// "Which event made it wrong?" under the Compare tab (issue 13, Done-when): for the partition chosen in
/// the comparison, its events (those the comparison kept) and one action that folds them with the source
/// the server runs and the local source side by side, in a worker with progress and Cancel, and names the
/// first event after which the two states part — selected in the list, said in one line, and asked to be
/// opened in the event list and inspector (openEventRequested()).
class PartitionDivergenceView : public QWidget
{
    Q_OBJECT
public:
    explicit PartitionDivergenceView(QWidget *parent = nullptr);

    void setClient(std::shared_ptr<const StreamsClient> streams);
    /// The partition to look into: `comparison` as the comparison of `name` gave it (with its events),
    /// the source the server runs and the source the local fold ran. An equal partition offers nothing.
    void setPartition(const QString &name, const projections::PartitionComparison &comparison,
                      const QString &serverSource, const QString &localSource);
    void clear();

    void start();
    void cancel();
    bool isRunning() const { return m_runner->isRunning(); }

    QPushButton *startButton() const { return m_start; }
    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *lineLabel() const { return m_line; }
    QTreeWidget *events() const { return m_events; }
    /// The last answer, once finished() (index -1: the sources never part on these events).
    const std::optional<projections::PartitionDivergence> &divergence() const { return m_divergence; }
    /// The event found, if any.
    std::optional<projections::PartitionEvent> foundEvent() const;

    enum Column { NumberColumn, TypeColumn, StreamColumn, PositionColumn };

Q_SIGNALS:
    /// Open `stream` in the event list with the event at `revision` under the cursor.
    void openEventRequested(const QByteArray &stream, qint64 revision);
    void finished();

private:
    void onFinished(const projections::PartitionDivergenceRequest &request,
                    const projections::PartitionDivergence &divergence);
    void setRunning(bool running);

    projections::PartitionDivergenceRunner *m_runner;
    QPushButton *m_start;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_line;
    QTreeWidget *m_events;
    projections::PartitionDivergenceRequest m_request;
    bool m_offered = false; ///< a partition that is not equal, with events
    std::optional<projections::PartitionDivergence> m_divergence;
};

} // namespace chronoscope::views
