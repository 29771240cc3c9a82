#pragma once

#include "base/JobTracker.h"
#include "readmodel/DriftScan.h"
#include "readmodel/ReadModelMapping.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace chronoscope {

class FoldController;
class StreamsClient;

namespace readmodel {
class EndpointDirectory;
}

namespace views {

/// The drift report (issue 14 item 4, PRODUCT.md F8): a DriftScan over every aggregate of a mapping's
/// category, run in a worker with progress and Cancel; the counts (equal, different, missing row, row
/// without events, unreadable), a table of the drifted aggregates with their differing paths, export as JSON
/// and CSV (readmodel::DriftReportText, the same writer as `chronoscope-cli drift`), and a click on an
/// aggregate opens its stream (openStreamRequested) with the row beside the fold.
class DriftReportView : public QWidget
{
    Q_OBJECT
public:
    using ClientGetter = std::function<std::shared_ptr<const StreamsClient>()>;
    DriftReportView(FoldController *fold, readmodel::EndpointDirectory *endpoints, ClientGetter client,
                    QWidget *parent = nullptr);

    /// Reads the mappings of the reducer file that folds now.
    void reloadMappings();
    /// Scans with the mapping chosen (index in mappingBox()).
    void run();
    void cancel();
    bool isRunning() const { return m_running; }
    /// The last finished scan's report (a failed or cancelled one too).
    const std::optional<readmodel::DriftReport> &report() const { return m_report; }
    /// Writes the report: "json" or "csv". False with `error` set.
    bool exportTo(const QString &path, const QString &format, QString *error) const;

    QComboBox *mappingBox() const { return m_mappingBox; }
    QTableWidget *table() const { return m_table; }
    QString countsText() const;
    QString statusText() const;

Q_SIGNALS:
    void openStreamRequested(const QByteArray &stream);
    void finished();

private:
    void showProgress(const readmodel::DriftProgress &p);
    void showReport(const readmodel::DriftReport &report, double seconds);
    void setRunning(bool running);
    void failed(const QString &message);
    void exportDialog(const QString &format);

    FoldController *m_fold;
    readmodel::EndpointDirectory *m_endpoints;
    ClientGetter m_client;
    JobTracker m_job{this};
    QList<readmodel::ReadModelMapping> m_mappings;
    std::optional<readmodel::ReadModelMapping> m_reportMapping;
    std::optional<readmodel::DriftReport> m_report;
    double m_seconds = 0;
    bool m_running = false;
    quint64 m_request = 0;

    QComboBox *m_mappingBox;
    QPushButton *m_run;
    QPushButton *m_cancel;
    QPushButton *m_exportJson;
    QPushButton *m_exportCsv;
    QProgressBar *m_progress;
    QLabel *m_status;
    QLabel *m_counts;
    QTableWidget *m_table;
};

} // namespace views
} // namespace chronoscope
