#include "projections/PartitionDivergenceView.h"

#include "common/DiffColors.h"
#include "json/JsonDiff.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace chronoscope::views {

using projections::PartitionComparison;
using projections::PartitionDivergence;
using projections::PartitionEvent;

namespace {

QString positionText(const Position &p)
{
    return QStringLiteral("C:%1/P:%2").arg(p.commit).arg(p.prepare);
}

QString eventText(const PartitionEvent &e)
{
    return QStringLiteral("%1@%2").arg(QString::fromUtf8(e.stream)).arg(e.revision);
}

QString compact(const QJsonValue &v)
{
    if (v.isUndefined())
        return PartitionDivergenceView::tr("nothing");
    const QJsonDocument doc = v.isObject() ? QJsonDocument(v.toObject())
        : v.isArray()                      ? QJsonDocument(v.toArray())
                                           : QJsonDocument(QJsonArray{v});
    QString text = QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
    if (!v.isObject() && !v.isArray())
        text = text.mid(1, text.size() - 2); // the scalar without the array around it
    return text.size() > 40 ? text.left(39) + QStringLiteral("…") : text;
}

/// "/paid: 4200 on the server's source, 0 on the local one; /refunded: …" (the first few paths).
QString howTheyDiffer(const QJsonValue &server, const QJsonValue &local)
{
    engine::DiffOptions options;
    options.buildTree = false;
    options.reportMoves = false;
    const engine::DiffResult diff = engine::JsonDiff::diff(server, local, options);
    QStringList parts;
    for (const engine::DiffEntry &e : diff.entries) {
        if (parts.size() == 3) {
            parts << PartitionDivergenceView::tr("…");
            break;
        }
        parts << PartitionDivergenceView::tr("%1 is %2 by the server's source, %3 by the local one")
                     .arg(e.path.display(), compact(e.before), compact(e.after));
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace

PartitionDivergenceView::PartitionDivergenceView(QWidget *parent)
    : QWidget(parent)
    , m_runner(new projections::PartitionDivergenceRunner(this))
    , m_start(new QPushButton(tr("Find the event that made it wrong"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_line(new QLabel(this))
    , m_events(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("partitionDivergence"));
    m_start->setObjectName(QStringLiteral("partitionDivergenceStart"));
    m_start->setToolTip(tr("Fold this partition's events one by one with the source the server runs and with the "
                           "local source, and stop at the first event after which their states part"));
    m_cancel->setObjectName(QStringLiteral("partitionDivergenceCancel"));
    m_progress->setObjectName(QStringLiteral("partitionDivergenceProgress"));
    m_progress->setTextVisible(true);
    m_line->setObjectName(QStringLiteral("partitionDivergenceLine"));
    m_line->setWordWrap(true);
    m_line->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_events->setObjectName(QStringLiteral("partitionDivergenceEvents"));
    m_events->setRootIsDecorated(false);
    m_events->setUniformRowHeights(true);
    m_events->setHeaderLabels({tr("#"), tr("Type"), tr("Event"), tr("Position")});
    m_events->header()->setStretchLastSection(true);
    // No minimum height of its own: the pane shares the dock area with the state docks, and the
    // window's default layout must still fit a 768-pixel-high screen (test_main_window).
    m_events->setToolTip(tr("The partition's events, in log order. Double-click one to open it in the event list"));

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_start);
    bar->addWidget(m_cancel);
    bar->addWidget(m_progress, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_line);
    layout->addWidget(m_events, 1);

    connect(m_start, &QPushButton::clicked, this, &PartitionDivergenceView::start);
    connect(m_cancel, &QPushButton::clicked, this, &PartitionDivergenceView::cancel);
    connect(m_runner, &projections::PartitionDivergenceRunner::progressChanged, this, [this](int done, int total) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
        m_progress->setFormat(tr("Folding event %1 of %2").arg(done).arg(total));
    });
    connect(m_runner, &projections::PartitionDivergenceRunner::finished, this, &PartitionDivergenceView::onFinished);
    connect(m_events, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const int i = item->data(NumberColumn, Qt::UserRole).toInt();
        if (i >= 0 && i < m_request.events.size())
            Q_EMIT openEventRequested(m_request.events.at(i).stream, qint64(m_request.events.at(i).revision));
    });
    clear();
}

void PartitionDivergenceView::setClient(std::shared_ptr<const StreamsClient> streams)
{
    m_runner->setClient(std::move(streams));
    clear();
}

void PartitionDivergenceView::clear()
{
    m_runner->cancel();
    m_request = {};
    m_offered = false;
    m_divergence.reset();
    m_events->clear();
    m_progress->reset();
    m_progress->setFormat(QString());
    m_line->setText(tr("Choose a partition that is not equal to find the event that made it wrong."));
    setRunning(false);
}

void PartitionDivergenceView::setPartition(const QString &name, const PartitionComparison &comparison,
                                           const QString &serverSource, const QString &localSource)
{
    clear();
    m_request.name = name;
    m_request.partition = comparison.partition;
    m_request.serverSource = serverSource;
    m_request.localSource = localSource;
    m_request.events = comparison.events;
    m_request.eventCount = comparison.eventCount;
    for (qsizetype i = 0; i < comparison.events.size(); ++i) {
        const PartitionEvent &e = comparison.events.at(i);
        auto *item = new QTreeWidgetItem(m_events);
        item->setText(NumberColumn, QString::number(i + 1));
        item->setData(NumberColumn, Qt::UserRole, int(i));
        item->setText(TypeColumn, QString::fromUtf8(e.type));
        item->setText(StreamColumn, eventText(e));
        item->setText(PositionColumn, positionText(e.position));
    }
    for (int c = 0; c < PositionColumn; ++c)
        m_events->resizeColumnToContents(c);
    const QString which = comparison.partition.isEmpty() ? tr("the state") : comparison.partition;
    if (comparison.status == PartitionComparison::Status::Equal) {
        m_line->setText(tr("%1 is equal on the server and in the local fold.").arg(which));
    } else if (comparison.events.isEmpty()) {
        m_line->setText(
            tr("No event of the local source's streams fed %1: there is no event to blame here.").arg(which));
    } else {
        m_offered = true;
        m_line->setText(tr("%n event(s) fed %1. Find the first one after which the server's state and the local "
                           "fold part.",
                           nullptr, int(comparison.eventCount))
                            .arg(which));
    }
    setRunning(false);
}

void PartitionDivergenceView::setRunning(bool running)
{
    m_start->setEnabled(!running && m_offered);
    m_cancel->setEnabled(running);
}

void PartitionDivergenceView::start()
{
    if (!m_offered || m_runner->isRunning())
        return;
    m_divergence.reset();
    for (int i = 0; i < m_events->topLevelItemCount(); ++i)
        for (int c = 0; c < m_events->columnCount(); ++c)
            m_events->topLevelItem(i)->setData(c, Qt::BackgroundRole, QVariant());
    m_progress->setRange(0, int(m_request.events.size()));
    m_progress->setValue(0);
    m_progress->setFormat(tr("Folding event 0 of %1").arg(m_request.events.size()));
    m_line->setText(tr("Folding %1's events with both sources…")
                        .arg(m_request.partition.isEmpty() ? tr("the state") : m_request.partition));
    setRunning(true);
    m_runner->start(m_request);
}

void PartitionDivergenceView::cancel()
{
    if (!m_runner->isRunning())
        return;
    m_runner->cancel();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("cancelled"));
    m_line->setText(tr("Cancelled: no event was blamed."));
    setRunning(false);
}

std::optional<PartitionEvent> PartitionDivergenceView::foundEvent() const
{
    if (!m_divergence || m_divergence->index < 0 || m_divergence->index >= m_request.events.size())
        return std::nullopt;
    return m_request.events.at(m_divergence->index);
}

void PartitionDivergenceView::onFinished(const projections::PartitionDivergenceRequest &request,
                                         const PartitionDivergence &d)
{
    Q_UNUSED(request)
    setRunning(false);
    m_progress->setRange(0, 1);
    m_progress->setValue(1);
    if (d.cancelled) {
        m_progress->setValue(0);
        m_progress->setFormat(tr("cancelled"));
        m_line->setText(
            tr("Cancelled after %1 of %2 events: no event was blamed.").arg(d.eventsRead).arg(m_request.events.size()));
        return;
    }
    m_divergence = d;
    if (d.error || !d.problem.isEmpty()) {
        m_progress->setValue(0);
        m_progress->setFormat(tr("failed"));
        m_line->setText(d.error ? tr("The partition's events could not be read: %1").arg(d.error.toString())
                                : tr("A source does not load: %1").arg(d.problem));
        Q_EMIT finished();
        return;
    }
    m_progress->setFormat(tr("done"));
    if (d.index < 0) {
        QString text = tr("The server's source and the local one agree after each of these %n event(s): the "
                          "server's state differs for another reason (events it had not processed when its state was "
                          "read, state kept from before a reset or an update of its source).",
                          nullptr, int(m_request.events.size()));
        if (m_request.eventCount > quint64(m_request.events.size()))
            text += tr(" Only the first %1 of the partition's %2 events were kept by the comparison.")
                        .arg(m_request.events.size())
                        .arg(m_request.eventCount);
        m_line->setText(text);
        Q_EMIT finished();
        return;
    }
    const PartitionEvent &e = m_request.events.at(d.index);
    const QString time =
        QDateTime::fromMSecsSinceEpoch(d.createdMs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    m_line->setText(tr("Server and local fold part after event %1 of %2 (%3, %4, %5, %6): %7.")
                        .arg(d.index + 1)
                        .arg(m_request.events.size())
                        .arg(QString::fromUtf8(e.type), eventText(e), positionText(e.position), time,
                             howTheyDiffer(d.before, d.after)));
    if (QTreeWidgetItem *item = m_events->topLevelItem(d.index)) {
        const QColor tint = DiffColors::forPalette(palette()).changed;
        QFont bold = item->font(0);
        bold.setBold(true);
        for (int c = 0; c < m_events->columnCount(); ++c) {
            item->setBackground(c, tint);
            item->setFont(c, bold);
        }
        for (int c = 0; c < PositionColumn; ++c)
            m_events->resizeColumnToContents(c); // bold is wider
        m_events->setCurrentItem(item);
        m_events->scrollToItem(item, QAbstractItemView::PositionAtCenter);
        // Again once the layout has settled (the line above it may have grown by a row or two).
        QTimer::singleShot(0, m_events, [events = m_events, row = d.index] {
            if (QTreeWidgetItem *found = events->topLevelItem(row))
                events->scrollToItem(found, QAbstractItemView::PositionAtCenter);
        });
    }
    Q_EMIT openEventRequested(e.stream, qint64(e.revision));
    Q_EMIT finished();
}

} // namespace chronoscope::views
