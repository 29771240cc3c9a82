#include "subscriptions/SubscriptionDetails.h"

#include "subscriptions/SubscriptionsModel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace chronoscope::views {

namespace {

QString yesNo(bool b)
{
    return b ? SubscriptionDetails::tr("yes") : SubscriptionDetails::tr("no");
}

QString ms(int value)
{
    return value == 0 ? SubscriptionDetails::tr("0 (never)") : SubscriptionsModel::durationText(value);
}

} // namespace

SubscriptionDetails::SubscriptionDetails(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_settings(new QTreeWidget(this))
    , m_clients(new QTreeWidget(this))
    , m_parked(new QTreeWidget(this))
{
    m_title->setObjectName(QStringLiteral("subscriptionDetailsTitle"));
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_settings->setObjectName(QStringLiteral("subscriptionSettings"));
    m_settings->setHeaderLabels({tr("Setting"), tr("Value")});
    m_settings->setRootIsDecorated(false);
    m_settings->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_clients->setObjectName(QStringLiteral("subscriptionClients"));
    m_clients->setHeaderLabels(
        {tr("Client"), tr("User"), tr("Connection name"), tr("Items"), tr("In flight"), tr("Free slots")});
    m_clients->setRootIsDecorated(false);
    m_parked->setObjectName(QStringLiteral("subscriptionParked"));
    m_parked->setHeaderLabels({tr("#"), tr("Event"), tr("Parked at (UTC)"), tr("Why")});
    m_parked->setRootIsDecorated(false);
    m_parked->setToolTip(tr("Double-click: open the parked event in its stream"));
    connect(m_parked, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) {
        const qint64 revision = item->data(1, Qt::UserRole).toLongLong();
        if (revision >= 0)
            Q_EMIT openEventRequested(item->data(1, Qt::UserRole + 1).toByteArray(), revision);
    });
    m_tabs->setObjectName(QStringLiteral("subscriptionDetailTabs"));
    m_tabs->addTab(m_settings, tr("Settings"));
    m_tabs->addTab(m_clients, tr("Clients"));
    m_tabs->addTab(m_parked, tr("Parked"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_tabs, 1);
    show(nullptr);
}

void SubscriptionDetails::show(const PersistentGroupStatus *status)
{
    m_settings->clear();
    m_clients->clear();
    if (!status) {
        m_parked->clear();
        m_tabs->setTabText(1, tr("Clients"));
        m_tabs->setTabText(2, tr("Parked"));
        m_title->setText(tr("Select a group to see its settings, clients and parked messages."));
        return;
    }
    const PersistentSubscriptionInfo &i = status->info;
    const PersistentSubscriptionSettings &s = i.settings;
    const QLocale locale;
    m_title->setText(tr("%1 on %2 — %3").arg(i.groupName, QString::fromUtf8(i.eventSource), i.status));
    const QList<QPair<QString, QString>> rows{
        {tr("Consumer strategy"), s.consumerStrategy},
        {tr("Start from"), i.startFrom},
        {tr("Last checkpoint"), i.lastCheckpointedPosition.isEmpty() ? tr("none") : i.lastCheckpointedPosition},
        {tr("Last known position"), i.lastKnownPosition},
        {tr("Parked messages"), locale.toString(i.parkedMessageCount)},
        {tr("In flight / outstanding"),
         QStringLiteral("%1 / %2").arg(i.totalInFlightMessages).arg(i.outstandingMessagesCount)},
        {tr("Read / retry buffer"), QStringLiteral("%1 / %2").arg(i.readBufferCount).arg(i.retryBufferCount)},
        {tr("Items delivered"), locale.toString(i.totalItems)},
        {tr("Resolve links"), yesNo(s.resolveLinks)},
        {tr("Extra statistics"), yesNo(s.extraStatistics)},
        {tr("Message timeout"), ms(s.messageTimeoutMs)},
        {tr("Max retry count"), QString::number(s.maxRetryCount)},
        {tr("Live buffer size"), QString::number(s.liveBufferSize)},
        {tr("Read batch size"), QString::number(s.readBatchSize)},
        {tr("History buffer size"), QString::number(s.historyBufferSize)},
        {tr("Checkpoint after"), ms(s.checkpointAfterMs)},
        {tr("Checkpoint count min / max"),
         QStringLiteral("%1 / %2").arg(s.minCheckpointCount).arg(s.maxCheckpointCount)},
        {tr("Max subscribers"), s.maxSubscriberCount == 0 ? tr("unlimited") : QString::number(s.maxSubscriberCount)},
    };
    for (const auto &[name, value] : rows)
        new QTreeWidgetItem(m_settings, {name, value});
    for (const PersistentConnection &c : i.connections)
        new QTreeWidgetItem(m_clients,
                            {c.from, c.username, c.connectionName, locale.toString(c.totalItems),
                             QString::number(c.inFlightMessages), QString::number(c.availableSlots)});
    if (i.connections.isEmpty())
        new QTreeWidgetItem(m_clients, {tr("No client connected")});
    m_clients->resizeColumnToContents(0);
    m_tabs->setTabText(1, tr("Clients (%1)").arg(i.connections.size()));
    m_tabs->setTabText(2, tr("Parked (%1)").arg(locale.toString(i.parkedMessageCount)));
}

void SubscriptionDetails::showParked(const QList<ParkedMessage> &parked, const ClientError &error)
{
    m_parked->clear();
    if (error) {
        new QTreeWidgetItem(m_parked, {QString(), tr("Reading the parked messages failed: %1").arg(error.toString())});
        return;
    }
    for (const ParkedMessage &m : parked) {
        // A nack's reason is the consumer's, after the server's fixed first line: that is the news.
        const QString nacked = QStringLiteral("Client explicitly NAK'ed message.\n");
        QString why = m.reason.startsWith(nacked) ? tr("nacked: %1").arg(m.reason.mid(nacked.size())) : m.reason;
        why.replace(QLatin1Char('\n'), QLatin1Char(' '));
        const qint64 revision = m.eventRevision();
        const QByteArray stream = m.eventStream();
        auto *item = new QTreeWidgetItem(m_parked,
                                         {QString::number(m.parkedNumber),
                                          revision >= 0
                                              ? QStringLiteral("%1@%2").arg(revision).arg(QString::fromUtf8(stream))
                                              : tr("(unreadable link)"),
                                          m.added.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), why});
        item->setToolTip(3, m.reason);
        item->setData(1, Qt::UserRole, revision);
        item->setData(1, Qt::UserRole + 1, stream);
    }
    for (int c = 0; c < 3; ++c)
        m_parked->resizeColumnToContents(c);
}

} // namespace chronoscope::views
