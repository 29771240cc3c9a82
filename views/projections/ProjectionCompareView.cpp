#include "projections/ProjectionCompareView.h"

#include "common/DiffColors.h"
#include "projections/PartitionDivergenceView.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace chronoscope::views {

using projections::PartitionComparison;
using Status = PartitionComparison::Status;

namespace {

QString statusText(Status status)
{
    switch (status) {
    case Status::Equal: return ProjectionCompareView::tr("equal");
    case Status::Different: return ProjectionCompareView::tr("different");
    case Status::MissingOnServer: return ProjectionCompareView::tr("missing on the server");
    case Status::MissingLocally: return ProjectionCompareView::tr("missing locally");
    case Status::Unreadable: return ProjectionCompareView::tr("unreadable");
    }
    return {};
}

QString partitionText(const QString &partition)
{
    return partition.isEmpty() ? ProjectionCompareView::tr("(whole state)") : partition;
}

} // namespace

ProjectionCompareView::ProjectionCompareView(QWidget *parent)
    : QWidget(parent)
    , m_runner(new projections::ProjectionCompareRunner(this))
    , m_file(new QLineEdit(this))
    , m_start(new QPushButton(tr("Compare with local fold"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_show(new QComboBox(this))
    , m_summary(new QLabel(this))
    , m_list(new QTreeWidget(this))
    , m_divergence(new PartitionDivergenceView(this))
{
    setObjectName(QStringLiteral("projectionCompare"));
    m_start->setObjectName(QStringLiteral("projectionCompareStart"));
    m_start->setToolTip(tr("Fold the projection's own source here, over $all up to the position the server reports, "
                           "and compare every partition's state with the server's"));
    m_cancel->setObjectName(QStringLiteral("projectionCompareCancel"));
    m_progress->setObjectName(QStringLiteral("projectionCompareProgress"));
    m_progress->setTextVisible(true);
    m_show->setObjectName(QStringLiteral("projectionCompareShow"));
    m_show->addItem(tr("Not equal"));
    m_show->addItem(tr("All partitions"));
    m_summary->setObjectName(QStringLiteral("projectionCompareSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_list->setObjectName(QStringLiteral("projectionCompareList"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setHeaderLabels({tr("Partition"), tr("Result"), tr("Paths"), tr("Events")});
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(PartitionColumn, QHeaderView::Stretch);
    m_list->setSortingEnabled(true);
    m_list->sortByColumn(PartitionColumn, Qt::AscendingOrder);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_start);
    bar->addWidget(m_cancel);
    bar->addWidget(m_progress, 1);
    bar->addWidget(m_show);
    m_file->setObjectName(QStringLiteral("projectionCompareFile"));
    m_file->setPlaceholderText(tr("the server's own source"));
    m_file->setClearButtonEnabled(true);
    m_file->setToolTip(tr("The source to fold locally: a file (the source as it should be), or empty for the source "
                          "the server runs"));
    auto *choose = new QPushButton(tr("File…"), this);
    auto *fileRow = new QHBoxLayout;
    fileRow->setContentsMargins(0, 0, 0, 0);
    fileRow->addWidget(new QLabel(tr("Local source:"), this));
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(choose);
    connect(choose, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Local projection source"), m_folder,
                                       tr("Projection sources (*.js);;All files (*)"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, this, &ProjectionCompareView::setLocalSourceFile);
        dialog->open();
    });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(fileRow);
    layout->addLayout(bar);
    layout->addWidget(m_summary);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("projectionCompareSplit"));
    split->addWidget(m_list);
    split->addWidget(m_divergence);
    // The dock area is shared with the state docks: neither half may raise the window's minimum
    // height past a 768-pixel screen (test_main_window); the user drags the splitter.
    m_list->setMinimumHeight(fontMetrics().height() * 4);
    m_divergence->setMinimumHeight(fontMetrics().height() * 4);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);
    connect(m_divergence, &PartitionDivergenceView::openEventRequested, this,
            &ProjectionCompareView::openEventRequested);

    connect(m_start, &QPushButton::clicked, this, &ProjectionCompareView::start);
    connect(m_cancel, &QPushButton::clicked, this, &ProjectionCompareView::cancel);
    connect(m_show, qOverload<int>(&QComboBox::currentIndexChanged), this, &ProjectionCompareView::applyFilter);
    connect(m_runner, &projections::ProjectionCompareRunner::progressChanged, this, &ProjectionCompareView::onProgress);
    connect(m_runner, &projections::ProjectionCompareRunner::partitionsCompared, this,
            &ProjectionCompareView::onCompared);
    connect(m_runner, &projections::ProjectionCompareRunner::finished, this, &ProjectionCompareView::onFinished);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item)
            showPartition(item->data(PartitionColumn, Qt::UserRole).toString());
    });
    setProjection(QString());
}

void ProjectionCompareView::setClients(std::shared_ptr<const StreamsClient> streams,
                                       std::shared_ptr<const ProjectionsClient> projections)
{
    m_divergence->setClient(streams);
    m_runner->setClients(std::move(streams), std::move(projections));
    setProjection(QString());
}

void ProjectionCompareView::setProjection(const QString &name)
{
    if (name == m_name && !name.isEmpty())
        return;
    m_runner->cancel();
    if (name != m_name && !name.isEmpty()) {
        // A source kept beside the reducers for this projection ("demo-order-totals.projection.js" for
        // "order-totals") is what it should run: offered as the local source.
        m_file->clear();
        const QString suffix = name + QStringLiteral(".projection.js");
        if (!m_folder.isEmpty())
            for (const QString &f : QDir(m_folder).entryList({QStringLiteral("*.projection.js")}, QDir::Files))
                if (f == suffix || f.endsWith(QLatin1Char('-') + suffix))
                    m_file->setText(QDir(m_folder).filePath(f));
    }
    m_name = name;
    m_results.clear();
    m_list->clear();
    m_divergence->clear();
    m_report = {};
    m_haveReport = false;
    m_progress->reset();
    if (name.isEmpty())
        m_summary->setText(tr("Select a projection to compare."));
    else if (m_file->text().isEmpty())
        m_summary->setText(tr("Compare with local fold: folds %1's own source locally, up to the position the server "
                              "reports, and compares every partition's state with the server's.")
                               .arg(name));
    else
        m_summary->setText(tr("Compare with local fold: folds %1 (the source as it should be) locally, up to the "
                              "position the server reports, and compares every partition's state with the server's; "
                              "then pick a partition that differs to find the event that made it wrong.")
                               .arg(QFileInfo(m_file->text()).fileName()));
    setRunning(false);
}

bool ProjectionCompareView::isRunning() const
{
    return m_runner->isRunning();
}

void ProjectionCompareView::setLocalSourceFile(const QString &path)
{
    m_file->setText(path);
}

void ProjectionCompareView::setRunning(bool running)
{
    m_start->setEnabled(!running && !m_name.isEmpty());
    m_cancel->setEnabled(running);
}

void ProjectionCompareView::start()
{
    if (m_name.isEmpty())
        return;
    const QString name = m_name;
    setProjection(QString());
    m_name = name;
    projections::ProjectionCompareOptions options;
    options.name = name;
    if (const QString path = m_file->text().trimmed(); !path.isEmpty()) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            m_summary->setText(tr("The local source cannot be read: %1: %2").arg(path, file.errorString()));
            return;
        }
        options.localSource = QString::fromUtf8(file.readAll());
        options.localFileName = QFileInfo(path).fileName();
    }
    m_localSource = options.localSource.value_or(QString());
    m_summary->setText(tr("Comparing %1…").arg(name));
    m_progress->setRange(0, 0);
    setRunning(true);
    m_runner->start(options);
}

void ProjectionCompareView::cancel()
{
    if (!m_runner->isRunning())
        return;
    m_runner->cancel();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_summary->setText(tr("Cancelled: %n partition(s) compared before it stopped.", nullptr, int(m_results.size())));
    setRunning(false);
}

void ProjectionCompareView::onProgress(const projections::ProjectionCompareProgress &p)
{
    using Phase = projections::ProjectionCompareProgress::Phase;
    if (p.phase == Phase::Folding && p.foldTo.commit > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(std::min<quint64>(1000, p.reached.commit * 1000 / p.foldTo.commit)));
        m_progress->setFormat(tr("Folding: %1 events read").arg(QLocale().toString(p.eventsRead)));
    } else if (p.phase == Phase::Fetching && p.partitions > 0) {
        m_progress->setRange(0, int(std::min<quint64>(p.partitions, 1u << 30)));
        m_progress->setValue(int(std::min(p.fetched, p.partitions)));
        m_progress->setFormat(
            tr("Comparing partitions: %1 of %2").arg(QLocale().toString(p.fetched), QLocale().toString(p.partitions)));
    }
}

void ProjectionCompareView::onCompared(const QList<PartitionComparison> &partitions)
{
    const DiffColors colors = DiffColors::forPalette(palette());
    m_list->setSortingEnabled(false);
    for (const PartitionComparison &c : partitions) {
        m_results.insert(c.partition, c);
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(PartitionColumn, partitionText(c.partition));
        item->setData(PartitionColumn, Qt::UserRole, c.partition);
        item->setText(ResultColumn, statusText(c.status));
        item->setText(PathsColumn, c.status == Status::Different ? QString::number(c.pathCount) : QString());
        item->setText(EventsColumn, c.eventCount > 0 ? QLocale().toString(c.eventCount) : QString());
        item->setToolTip(ResultColumn, c.problem.isEmpty() ? c.paths.join(QLatin1Char('\n')) : c.problem);
        if (c.status != Status::Equal) {
            const QColor tint = c.status == Status::Different ? colors.changed
                : c.status == Status::MissingOnServer         ? colors.removed
                                                              : colors.added;
            for (int col = 0; col < m_list->columnCount(); ++col)
                item->setBackground(col, tint);
        }
        item->setHidden(m_show->currentIndex() == 0 && c.status == Status::Equal);
    }
    m_list->setSortingEnabled(true);
}

void ProjectionCompareView::onFinished(const projections::ProjectionCompareReport &report)
{
    m_report = report;
    m_haveReport = true;
    for (const PartitionComparison &c : report.differences)
        m_results.insert(c.partition, c); // with their events
    setRunning(false);
    m_progress->setRange(0, 1);
    m_progress->setValue(1);
    if (report.cancelled) {
        m_summary->setText(tr("Cancelled."));
    } else if (report.error || !report.problem.isEmpty()) {
        m_progress->setValue(0);
        m_progress->setFormat(tr("failed"));
        m_summary->setText(
            tr("The comparison failed: %1").arg(report.error ? report.error.toString() : report.problem));
    } else {
        const projections::ProjectionCompareCounts &n = report.counts;
        m_progress->setFormat(tr("done"));
        QString text = tr("%1 partition(s): %2 equal, %3 different, %4 missing on the server, %5 missing locally")
                           .arg(n.partitions)
                           .arg(n.equal)
                           .arg(n.different)
                           .arg(n.missingOnServer)
                           .arg(n.missingLocally);
        if (n.unreadable)
            text += tr(", %1 unreadable").arg(n.unreadable);
        text += tr(" — folded %1 events up to C:%2/P:%3%4 in %5 s.")
                    .arg(report.eventsFolded)
                    .arg(report.foldedTo.commit)
                    .arg(report.foldedTo.prepare)
                    .arg(report.positionBounded ? QString() : tr(" (the head: its position is not in $all)"))
                    .arg(report.foldSeconds + report.fetchSeconds, 0, 'f', 1);
        if (report.definition.differs)
            text += tr("\nDefinition drift: the server runs another source (SHA-256 %1…) than %2 (%3…).")
                        .arg(QString::fromLatin1(report.definition.serverSha256.left(12)),
                             QFileInfo(m_file->text()).fileName(),
                             QString::fromLatin1(report.definition.localSha256.left(12)));
        if (!report.foldErrors.isEmpty())
            text += tr("\nThe local fold met %n handler error(s), first: %1", nullptr, int(report.foldErrors.size()))
                        .arg(report.foldErrors.constFirst());
        m_summary->setText(text);
        if (m_localSource.isEmpty())
            m_localSource = report.definition.serverSource; // the server's own source was folded
    }
    if (const QTreeWidgetItem *current = m_list->currentItem())
        showPartition(current->data(PartitionColumn, Qt::UserRole).toString()); // now with its events
    Q_EMIT finished();
}

void ProjectionCompareView::applyFilter()
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        const auto it = m_results.constFind(item->data(PartitionColumn, Qt::UserRole).toString());
        item->setHidden(m_show->currentIndex() == 0 && it != m_results.cend() && it->status == Status::Equal);
    }
}

void ProjectionCompareView::showPartition(const QString &partition)
{
    const auto it = m_results.constFind(partition);
    if (it == m_results.cend())
        return;
    const PartitionComparison &c = *it;
    const QString title =
        tr("%1, partition %2: server vs local fold (%3)").arg(m_name, partitionText(partition), statusText(c.status));
    QString message;
    if (c.status == Status::Unreadable)
        message = tr("The server's state could not be read: %1").arg(c.problem);
    const QJsonValue server = c.server.isUndefined() ? QJsonValue(QJsonObject()) : c.server;
    const QJsonValue local = c.local.isUndefined() ? QJsonValue(QJsonObject()) : c.local;
    Q_EMIT diffRequested(engine::JsonDiff::diff(server, local), title, tr("server"), tr("local fold"), message);
    if (m_haveReport && m_report.complete())
        m_divergence->setPartition(m_name, c, m_report.definition.serverSource, m_localSource);
    else
        m_divergence->clear();
}

} // namespace chronoscope::views
