#include "readmodel/DriftReportView.h"

#include "client/StreamsClient.h"
#include "fold/FoldController.h"
#include "fold/MergeReducer.h"
#include "readmodel/DriftReportText.h"
#include "readmodel/EndpointDirectory.h"
#include "readmodel/OpenSource.h"
#include "readmodel/RowBesideFold.h"
#include "script/ReducerFile.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QVBoxLayout>

namespace chronoscope::views {

using readmodel::AggregateDrift;
using readmodel::DriftProgress;
using readmodel::DriftReport;
using readmodel::ReadModelMapping;

DriftReportView::DriftReportView(FoldController *fold, readmodel::EndpointDirectory *endpoints, ClientGetter client,
                                 QWidget *parent)
    : QWidget(parent)
    , m_fold(fold)
    , m_endpoints(endpoints)
    , m_client(std::move(client))
    , m_mappingBox(new QComboBox(this))
    , m_run(new QPushButton(tr("Scan"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_exportJson(new QPushButton(tr("Export JSON…"), this))
    , m_exportCsv(new QPushButton(tr("Export CSV…"), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_counts(new QLabel(this))
    , m_table(new QTableWidget(0, 4, this))
{
    m_mappingBox->setObjectName(QStringLiteral("driftMapping"));
    m_mappingBox->setToolTip(tr("The read-model mapping to check: every aggregate of its category"));
    m_run->setObjectName(QStringLiteral("driftRun"));
    m_cancel->setObjectName(QStringLiteral("driftCancel"));
    m_progress->setObjectName(QStringLiteral("driftProgress"));
    m_status->setObjectName(QStringLiteral("driftStatus"));
    m_status->setWordWrap(true);
    m_counts->setObjectName(QStringLiteral("driftCounts"));
    m_counts->setTextFormat(Qt::RichText);
    m_counts->setWordWrap(true);
    m_mappingBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_mappingBox->setMinimumContentsLength(10);
    m_table->setObjectName(QStringLiteral("driftTable"));
    m_table->setHorizontalHeaderLabels({tr("Aggregate"), tr("Kind"), tr("Paths"), tr("Where they differ")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setToolTip(tr("Double-click (or Enter) opens the aggregate's stream with its row beside the fold"));
    m_progress->setVisible(false);
    m_cancel->setEnabled(false);
    m_exportJson->setEnabled(false);
    m_exportCsv->setEnabled(false);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_mappingBox, 1);
    bar->addWidget(m_run);
    bar->addWidget(m_cancel);
    auto *exports = new QHBoxLayout; // a row of its own: the dock must fit a narrow column
    exports->addWidget(m_counts, 1);
    exports->addWidget(m_exportJson, 0, Qt::AlignTop);
    exports->addWidget(m_exportCsv, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addLayout(exports);
    layout->addWidget(m_table, 1);

    connect(m_run, &QPushButton::clicked, this, &DriftReportView::run);
    connect(m_cancel, &QPushButton::clicked, this, &DriftReportView::cancel);
    connect(m_exportJson, &QPushButton::clicked, this, [this] { exportDialog(QStringLiteral("json")); });
    connect(m_exportCsv, &QPushButton::clicked, this, [this] { exportDialog(QStringLiteral("csv")); });
    connect(m_table, &QTableWidget::itemActivated, this, [this](QTableWidgetItem *item) {
        if (!m_report || !m_reportMapping || item->row() >= m_report->drifts.size())
            return;
        const AggregateDrift &d = m_report->drifts.at(item->row());
        if (d.status != AggregateDrift::Status::RowWithoutEvents)
            Q_EMIT openStreamRequested(m_reportMapping->streamOf(d.aggregateId).toUtf8());
    });
    connect(m_fold, &FoldController::reducerChanged, this, &DriftReportView::reloadMappings);
    reloadMappings();
}

void DriftReportView::reloadMappings()
{
    const QString previous = m_mappingBox->currentText();
    m_mappings.clear();
    m_mappingBox->clear();
    const ReducerChoice choice = m_fold->reducer();
    QString error;
    const std::optional<QList<ReadModelMapping>> all = readmodel::RowBesideFold::mappingsOf(
        choice.merge ? QString() : choice.file, &error);
    m_run->setEnabled(false);
    if (!all) {
        m_status->setText(tr("The reducer file's read models cannot be read: %1").arg(error));
        return;
    }
    if (all->isEmpty()) {
        m_status->setText(tr("The reducer folding now has no read models: open a reducer file with a \"readModels\" "
                             "member (docs/READ-MODELS.md)."));
        return;
    }
    m_mappings = *all;
    for (const ReadModelMapping &m : std::as_const(m_mappings))
        m_mappingBox->addItem(tr("%1 — category %2, %3").arg(m.name(), m.category(), m.endpoint()));
    const int keep = m_mappingBox->findText(previous);
    if (keep >= 0)
        m_mappingBox->setCurrentIndex(keep);
    m_run->setEnabled(!m_mappings.isEmpty() && !m_running);
    if (!m_running && !m_report)
        m_status->setText(tr("Choose a read model and Scan: every aggregate of its category is folded and compared "
                             "with its row."));
}

void DriftReportView::run()
{
    const int i = m_mappingBox->currentIndex();
    const std::shared_ptr<const StreamsClient> client = m_client ? m_client() : nullptr;
    if (i < 0 || i >= m_mappings.size())
        return;
    if (!client) {
        m_status->setText(tr("Connect to an event store first: the scan reads the category's events."));
        return;
    }
    const ReadModelMapping mapping = m_mappings.at(i);
    const QString file = m_fold->reducer().file;
    setRunning(true);
    m_status->setText(tr("Looking up read-model endpoint %1…").arg(mapping.endpoint()));
    const quint64 request = ++m_request;
    m_endpoints->lookup(
        mapping.endpoint(), [this, request, mapping, file, client](const readmodel::EndpointDirectory::Lookup &found) {
            if (request != m_request || !m_running)
                return;
            if (!found.endpoint) {
                setRunning(false);
                m_status->setText(found.error);
                Q_EMIT finished();
                return;
            }
            m_reportMapping = mapping;
            m_status->setText(
                tr("Scanning category %1 against %2…").arg(mapping.category(), found.endpoint->describe()));
            const ReadModelEndpoint endpoint = *found.endpoint;
            const QString password = found.password;
            m_job.start([=](const JobTracker::Job &job) {
                QElapsedTimer timer;
                timer.start();
                const std::unique_ptr<readmodel::ReadModelSource> rows = readmodel::openSource(endpoint, password,
                                                                                               mapping);
                const auto makeMerge = [] { return std::make_unique<engine::MergeReducer>(); };
                engine::ReducerFile::LoadError loadError;
                const std::optional<engine::ReducerFile> reducer = engine::ReducerFile::load(file, &loadError);
                if (!reducer) {
                    const QString message = tr("The reducer file cannot fold: %1").arg(loadError.toString());
                    return job.post([this, message] { failed(message); });
                }
                DriftReport report;
                if (const readmodel::ReadModelError e = rows->connect()) {
                    report.rowsError = e;
                } else {
                    readmodel::DriftScan scan(*client, *rows, mapping,
                                              [&reducer, &makeMerge]() -> std::unique_ptr<engine::Reducer> {
                                                  engine::ReducerFile::LoadError ignored;
                                                  return reducer->createReducer(&ignored, makeMerge);
                                              });
                    QElapsedTimer sinceProgress;
                    sinceProgress.start();
                    report = scan.run(job.cancellation(), [this, &job, &sinceProgress](const DriftProgress &p) {
                        if (sinceProgress.elapsed() < 100 && p.phase != DriftProgress::Phase::Done)
                            return; // at most ten updates a second reach the GUI thread
                        sinceProgress.restart();
                        job.post([this, p] { showProgress(p); });
                    });
                }
                const double seconds = double(timer.nsecsElapsed()) / 1e9;
                job.post([this, report, seconds] { showReport(report, seconds); });
            });
        });
}

void DriftReportView::failed(const QString &message)
{
    setRunning(false);
    m_status->setText(message);
    Q_EMIT finished();
}

void DriftReportView::cancel()
{
    if (!m_running)
        return;
    ++m_request;
    m_job.cancel();
    setRunning(false);
    m_status->setText(tr("Scan cancelled: no drift is reported for a scan that did not finish."));
    Q_EMIT finished();
}

void DriftReportView::setRunning(bool running)
{
    m_running = running;
    m_run->setEnabled(!running && !m_mappings.isEmpty());
    m_cancel->setEnabled(running);
    m_mappingBox->setEnabled(!running);
    m_progress->setVisible(running);
    m_progress->setRange(0, 0);
    m_exportJson->setEnabled(!running && m_report && m_report->complete());
    m_exportCsv->setEnabled(m_exportJson->isEnabled());
}

void DriftReportView::showProgress(const DriftProgress &p)
{
    if (!m_running)
        return;
    const QLocale l;
    if (p.phase == DriftProgress::Phase::Reading) {
        m_progress->setRange(0, 0);
        m_status->setText(tr("Reading: %1 events, %2 rows…").arg(l.toString(p.events), l.toString(p.rows)));
    } else {
        m_progress->setRange(0, int(std::min<quint64>(p.aggregates, INT_MAX)));
        m_progress->setValue(int(std::min<quint64>(p.folded, INT_MAX)));
        m_status->setText(tr("Comparing: %1 of %2 aggregates…").arg(l.toString(p.folded), l.toString(p.aggregates)));
    }
}

void DriftReportView::showReport(const DriftReport &report, double seconds)
{
    m_report = report;
    m_seconds = seconds;
    setRunning(false);
    m_table->setRowCount(0);
    m_counts->clear();
    if (report.eventsError)
        m_status->setText(tr("Cannot read the events of category %1: %2")
                              .arg(m_reportMapping->category(), report.eventsError.toString()));
    else if (report.rowsError)
        m_status->setText(tr("Cannot read the read model: %1").arg(report.rowsError.toString()));
    else if (!report.limitError.isEmpty())
        m_status->setText(
            tr("Scan stopped, %1: no drift is reported for a scan that did not finish.").arg(report.limitError));
    else if (report.cancelled)
        m_status->setText(tr("Scan cancelled: no drift is reported for a scan that did not finish."));
    if (!report.complete()) {
        Q_EMIT finished();
        return;
    }
    const readmodel::DriftReportText text{report, *m_reportMapping, seconds};
    m_status->setText(text.summaryLine());
    const readmodel::DriftCounts &c = report.counts;
    const QLocale l;
    m_counts->setText(tr("<b>%1</b> equal · <b>%2</b> different · <b>%3</b> missing row · <b>%4</b> row without "
                         "events · <b>%5</b> unreadable — %6 aggregates, %7 events, %8 rows")
                          .arg(l.toString(c.equal), l.toString(c.different), l.toString(c.missingRow),
                               l.toString(c.rowWithoutEvents), l.toString(c.unreadable), l.toString(c.aggregates),
                               l.toString(c.events), l.toString(c.rows)));
    m_table->setRowCount(int(report.drifts.size()));
    for (int row = 0; row < report.drifts.size(); ++row) {
        const AggregateDrift &d = report.drifts.at(row);
        const QString where = d.paths.isEmpty() ? d.problem : d.paths.join(QStringLiteral(", "));
        const QStringList cells{m_reportMapping->streamOf(d.aggregateId), AggregateDrift::statusName(d.status),
                                QString::number(d.pathCount), where};
        for (int col = 0; col < cells.size(); ++col)
            m_table->setItem(row, col, new QTableWidgetItem(cells.at(col)));
    }
    m_exportJson->setEnabled(true);
    m_exportCsv->setEnabled(true);
    Q_EMIT finished();
}

bool DriftReportView::exportTo(const QString &path, const QString &format, QString *error) const
{
    if (!m_report || !m_report->complete() || !m_reportMapping) {
        *error = tr("no finished scan to export");
        return false;
    }
    const readmodel::DriftReportText text{*m_report, *m_reportMapping, m_seconds};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    file.write(format == QLatin1String("csv") ? text.csv() : text.jsonDocument());
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void DriftReportView::exportDialog(const QString &format)
{
    const QString filter = format == QLatin1String("csv") ? tr("CSV (*.csv)") : tr("JSON (*.json)");
    const QString name =
        QStringLiteral("drift-%1.%2").arg(m_reportMapping ? m_reportMapping->name() : QString(), format);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the drift report"), name, filter);
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, format, &error))
        m_status->setText(tr("Export failed: %1").arg(error));
    else
        m_status->setText(tr("Exported to %1").arg(path));
}

QString DriftReportView::countsText() const
{
    return m_counts->text();
}

QString DriftReportView::statusText() const
{
    return m_status->text();
}

} // namespace chronoscope::views
