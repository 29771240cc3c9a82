#include "inspector/CorrelationChainView.h"

#include "client/EventLookup.h"
#include "client/StreamsClient.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace chronoscope::views {

namespace {
enum Column { StreamColumn, RevisionColumn, TypeColumn, CreatedColumn };
constexpr int kRevisionRole = Qt::UserRole + 1;
}

CorrelationChainView::CorrelationChainView(QWidget *parent)
    : QWidget(parent), m_status(new QLabel(this)), m_progress(new QProgressBar(this)), m_stop(new QToolButton(this)),
      m_list(new QTreeWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *row = new QHBoxLayout;
    m_status->setObjectName(QStringLiteral("correlationStatus"));
    m_status->setWordWrap(true);
    m_status->setText(tr("Choose “Correlation chain” to list the events sharing this event's correlation id."));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    row->addWidget(m_status, 1);
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(120);
    m_progress->hide();
    row->addWidget(m_progress);
    m_stop->setText(tr("Stop"));
    m_stop->hide();
    connect(m_stop, &QToolButton::clicked, this, &CorrelationChainView::cancel);
    row->addWidget(m_stop);
    layout->addLayout(row);

    m_list->setObjectName(QStringLiteral("correlationList"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setHeaderLabels({tr("Stream"), tr("Revision"), tr("Type"), tr("Created (UTC)")});
    m_list->header()->setStretchLastSection(true);
    m_list->setColumnWidth(StreamColumn, 140);
    m_list->setColumnWidth(RevisionColumn, 70);
    m_list->setColumnWidth(TypeColumn, 150);
    connect(m_list, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        Q_EMIT eventActivated(item->text(StreamColumn).toUtf8(), item->data(RevisionColumn, kRevisionRole).toLongLong());
    });
    layout->addWidget(m_list, 1);
}

CorrelationChainView::~CorrelationChainView() = default;

void CorrelationChainView::cancel()
{
    m_jobs.cancel();
    if (m_running) {
        m_running = false;
        m_progress->hide();
        m_stop->hide();
        m_status->setText(tr("Stopped: the list below is incomplete."));
        Q_EMIT finished();
    }
}

void CorrelationChainView::start(std::shared_ptr<const StreamsClient> client, const QString &correlationId,
                                 const QUuid &current)
{
    m_jobs.cancel();
    m_list->clear();
    m_correlationId = correlationId;
    m_current = current;
    if (!client || correlationId.isEmpty()) {
        m_running = false;
        m_status->setText(correlationId.isEmpty() ? tr("This event has no $correlationId in its metadata.")
                                                  : tr("Not connected."));
        Q_EMIT finished();
        return;
    }
    m_running = true;
    m_progress->show();
    m_stop->show();
    m_status->setText(tr("Looking for events with correlation id %1…").arg(correlationId));
    m_jobs.start([this, client, correlationId](const JobTracker::Job &job) {
        const EventLookup::Chain chain = EventLookup::correlationChain(
            *client, correlationId, kMaxScan, job.cancellation(), [&job, this](quint64 scanned) {
                job.post([this, scanned]() { m_status->setText(tr("Scanning $all: %1 events looked at…").arg(scanned)); });
                return !job.isCancelled();
            });
        QString note;
        if (!chain.error.isEmpty())
            note = tr("Error: %1").arg(chain.error);
        else if (chain.viaCategoryStream)
            note = tr("%n event(s) share correlation id %1 (from $bc-%1).", nullptr, int(chain.events.size()))
                       .arg(correlationId);
        else
            note = chain.limitReached
                ? tr("%n event(s) share correlation id %1 in the last %2 events of $all (limit reached: older "
                     "events were not searched).", nullptr, int(chain.events.size()))
                      .arg(correlationId)
                      .arg(chain.scanned)
                : tr("%n event(s) share correlation id %1 (scanned all %2 events of $all).", nullptr,
                     int(chain.events.size()))
                      .arg(correlationId)
                      .arg(chain.scanned);
        job.post([this, events = chain.events, note]() { show(events, note); });
    });
}

void CorrelationChainView::show(const QList<RecordedEvent> &events, const QString &note)
{
    m_running = false;
    m_progress->hide();
    m_stop->hide();
    m_status->setText(note);
    for (const RecordedEvent &e : events) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(StreamColumn, QString::fromUtf8(e.streamId));
        item->setText(RevisionColumn, QString::number(e.revision));
        item->setData(RevisionColumn, kRevisionRole, qint64(e.revision));
        item->setTextAlignment(RevisionColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(TypeColumn, QString::fromUtf8(e.type));
        item->setText(CreatedColumn, QDateTime::fromMSecsSinceEpoch(e.createdMsecsSinceEpoch(), Qt::UTC)
                                         .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
        if (e.id == m_current) {
            QFont f = item->font(0);
            f.setBold(true);
            for (int c = 0; c < m_list->columnCount(); ++c)
                item->setFont(c, f);
            item->setToolTip(StreamColumn, tr("The event in the inspector"));
        }
    }
    Q_EMIT finished();
}

} // namespace chronoscope::views
