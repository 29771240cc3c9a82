#pragma once

#include "base/JobTracker.h"
#include "model/Types.h"

#include <QWidget>

#include <memory>

class QLabel;
class QProgressBar;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace chronoscope {
class StreamsClient;
}

namespace chronoscope::views {

/// The correlation chain of an event: every event sharing its `$correlationId`, oldest first,
/// found in a worker (the `$bc-<id>` stream when the server has it, else a bounded scan of `$all`),
/// with progress and a Stop button. Activating an entry emits eventActivated().
class CorrelationChainView : public QWidget
{
    Q_OBJECT
public:
    explicit CorrelationChainView(QWidget *parent = nullptr);
    ~CorrelationChainView() override;

    /// Looks up the chain of `correlationId`; `current` (an event id) is marked in the list.
    void start(std::shared_ptr<const StreamsClient> client, const QString &correlationId, const QUuid &current);
    void cancel();
    bool isRunning() const { return m_running; }
    QTreeWidget *list() const { return m_list; }
    QString correlationId() const { return m_correlationId; }

    /// Events looked at in `$all` at most when `$bc-<id>` does not exist.
    static constexpr quint64 kMaxScan = 500000;

Q_SIGNALS:
    void eventActivated(const QByteArray &stream, qint64 revision);
    /// The lookup ended (the list is complete, or an error/cancel is shown).
    void finished();

private:
    void show(const QList<RecordedEvent> &events, const QString &note);

    QLabel *m_status;
    QProgressBar *m_progress;
    QToolButton *m_stop;
    QTreeWidget *m_list;
    QString m_correlationId;
    QUuid m_current;
    bool m_running = false;
    JobTracker m_jobs{this};
};

} // namespace chronoscope::views
