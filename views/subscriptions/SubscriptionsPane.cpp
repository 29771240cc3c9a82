#include "subscriptions/SubscriptionsPane.h"

#include "client/ParkedMessages.h"
#include "client/PersistentOverview.h"
#include "client/PersistentSubscriptionsClient.h"
#include "client/StreamsClient.h"
#include "correct/WriteGuard.h"
#include "subscriptions/SubscriptionDetails.h"
#include "subscriptions/SubscriptionWriteDialog.h"
#include "subscriptions/SubscriptionsModel.h"

#include <QAction>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTime>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace chronoscope::views {

SubscriptionsPane::SubscriptionsPane(QWidget *parent)
    : QWidget(parent)
    , m_model(new SubscriptionsModel(this))
    , m_table(new QTableView(this))
    , m_details(new SubscriptionDetails(this))
    , m_message(new QLabel(this))
    , m_unlock(new QPushButton(tr("Unlock Writes…"), this))
    , m_timer(new QTimer(this))
{
    m_table->setObjectName(QStringLiteral("subscriptionsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents); // a few dozen rows at most
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_message->setObjectName(QStringLiteral("subscriptionsMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_unlock->setObjectName(QStringLiteral("subscriptionsUnlock"));
    m_unlock->setVisible(false);
    connect(m_unlock, &QPushButton::clicked, this, &SubscriptionsPane::unlockRequested);

    auto *bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    buildActions(bar);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_message, 1);
    bottom->addWidget(m_unlock);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addWidget(bar);
    layout->addWidget(split, 1);
    layout->addLayout(bottom);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        onCurrentChanged();
        m_details->showParked({});
        m_parkedShown.count = -1;
        if (!m_refreshing)
            refresh(); // the selected group's parked messages
    });
    connect(m_details, &SubscriptionDetails::openEventRequested, this, &SubscriptionsPane::openEventRequested);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &SubscriptionsPane::onCurrentChanged);
    connect(m_table, &QTableView::doubleClicked, m_openParked, &QAction::trigger);
    m_timer->setInterval(kRefreshMs);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (!m_refreshing && !m_writing)
            refresh();
    });
    showMessage(tr("Not connected."));
    syncActions();
}

SubscriptionsPane::~SubscriptionsPane() = default;

void SubscriptionsPane::buildActions(QToolBar *bar)
{
    auto add = [this, bar](const QString &text, const QString &name, const QString &tip) {
        QAction *a = bar->addAction(text);
        a->setObjectName(name);
        a->setToolTip(tip);
        return a;
    };
    m_refresh = add(tr("Refresh"), QStringLiteral("subscriptionsRefresh"), tr("Read the groups again now"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    bar->addSeparator();
    m_openParked = add(tr("Open Parked"), QStringLiteral("subscriptionsOpenParked"),
                       tr("Open the group's parked messages in the event list, linked to the original events"));
    bar->addSeparator();
    m_replay = add(tr("Replay…"), QStringLiteral("subscriptionsReplay"),
                   tr("Send parked messages to the consumers again (a write: needs write mode)"));
    m_create = add(tr("New…"), QStringLiteral("subscriptionsCreate"), tr("Create a consumer group (a write)"));
    m_edit = add(tr("Edit…"), QStringLiteral("subscriptionsEdit"), tr("Change the group's settings (a write)"));
    m_delete = add(tr("Delete…"), QStringLiteral("subscriptionsDelete"), tr("Delete the group (a write)"));
    connect(m_refresh, &QAction::triggered, this, [this] {
        m_parkedShown.count = -1; // asked for: everything read again
        refresh();
    });
    connect(m_openParked, &QAction::triggered, this, [this] {
        if (const auto group = currentGroup())
            Q_EMIT openStreamRequested(group->parkedStream());
    });
    using K = SubscriptionOperation::Kind;
    connect(m_replay, &QAction::triggered, this, [this] { startWrite(K::ReplayParked); });
    connect(m_create, &QAction::triggered, this, [this] { startWrite(K::Create); });
    connect(m_edit, &QAction::triggered, this, [this] { startWrite(K::Update); });
    connect(m_delete, &QAction::triggered, this, [this] { startWrite(K::Delete); });
}

void SubscriptionsPane::setClients(std::shared_ptr<const PersistentSubscriptionsClient> client,
                                   std::shared_ptr<const StreamsClient> streams)
{
    m_refreshJob.cancel();
    m_refreshing = false;
    m_client = std::move(client);
    m_streams = std::move(streams);
    m_parkedShown = {}; // another server's, if any
    m_model->setGroups({});
    showMessage(m_client ? tr("Reading the groups…") : tr("Not connected."));
    syncActions();
    if (m_client && isVisible())
        refresh();
}

void SubscriptionsPane::setWriteAccess(const WriteGuard *guard, const AuditLog *auditLog, const AuditOperator &op)
{
    if (m_guard)
        disconnect(m_guard, nullptr, this, nullptr);
    if (guard) // unlocked (or locked) meanwhile: an earlier refusal no longer holds
        connect(guard, &WriteGuard::changed, this, [this] {
            if (m_unlock->isVisible()) {
                m_unlock->setVisible(false);
                showMessage(m_guard->summary());
            }
        });
    m_guard = guard;
    m_auditLog = auditLog;
    m_operator = op;
    syncActions();
}

void SubscriptionsPane::refresh()
{
    if (!m_client || !m_streams)
        return;
    m_refreshing = true;
    auto client = m_client;
    auto streams = m_streams;
    const std::optional<PersistentGroup> selected = currentGroup();
    // The parked messages shown still hold while the group's parked count has not moved (a park and a replay
    // between two refreshes would leave it; kParkedMaxAgeMs bounds that).
    const bool shownFresh = selected && m_parkedShown.count >= 0 && m_parkedShown.stream == selected->stream
        && m_parkedShown.group == selected->group
        && QDateTime::currentMSecsSinceEpoch() - m_parkedShown.readAtMs < kParkedMaxAgeMs;
    const qint64 shownCount = shownFresh ? m_parkedShown.count : -1;
    m_refreshJob.start([this, client, streams, selected, shownCount](const JobTracker::Job &job) {
        PersistentOverview overview = PersistentOverview::read(*client, *streams, job.cancellation());
        qint64 count = -1;
        for (const PersistentGroupStatus &g : std::as_const(overview.groups)) {
            if (selected && g.info.eventSource == selected->stream && g.info.groupName == selected->group)
                count = g.info.parkedMessageCount;
        }
        const bool readParked = selected && (shownCount < 0 || count != shownCount);
        ParkedMessagesResult parkedRead;
        if (readParked)
            parkedRead = parked::read(*streams, *selected, kParkedShown);
        QList<ParkedMessage> parked = std::move(parkedRead.messages);
        const ClientError parkedError = parkedRead.error;
        job.post([this, overview = std::move(overview), selected, parked, parkedError, readParked, count]() {
            m_refreshing = false;
            const std::optional<PersistentGroup> current = currentGroup();
            if (overview.error) {
                showMessage(overview.error.kind == ClientError::Kind::Unimplemented
                                ? tr("This server does not serve persistent subscriptions.")
                                : tr("Listing the groups failed: %1").arg(overview.error.toString()),
                            true);
            } else {
                m_model->setGroups(overview.groups);
                if (current && !currentGroup())
                    selectGroup(*current);
                if (!currentGroup() && m_model->rowCount() > 0)
                    m_table->selectRow(0);
                const QString at = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
                // A write's outcome stays in view a while; the refresh after it would replace it at once.
                if (!m_writing && QDateTime::currentMSecsSinceEpoch() >= m_messageHeldUntil)
                    showMessage(overview.groups.isEmpty()
                                    ? tr("No consumer groups on this server (read at %1); New… creates one.").arg(at)
                                    : tr("%n group(s), read at %1", nullptr, int(overview.groups.size())).arg(at));
            }
            onCurrentChanged();
            const std::optional<PersistentGroup> now = currentGroup();
            if (selected && now && now->stream == selected->stream && now->group == selected->group) {
                if (readParked) {
                    m_details->showParked(parked, parkedError);
                    ++m_parkedReads;
                    m_parkedShown = ParkedShown{selected->stream, selected->group, parkedError ? -1 : count,
                                                QDateTime::currentMSecsSinceEpoch()};
                }
            } else if (now) // another group is selected now: its parked messages come with the next read
                QTimer::singleShot(0, this, &SubscriptionsPane::refresh);
            Q_EMIT refreshed();
        });
    });
}

std::optional<PersistentGroup> SubscriptionsPane::currentGroup() const
{
    const PersistentGroupStatus *s = m_model->statusAt(m_table->currentIndex().row());
    return s ? std::optional<PersistentGroup>(s->group()) : std::nullopt;
}

void SubscriptionsPane::selectGroup(const PersistentGroup &group)
{
    const int row = m_model->rowOf(group);
    if (row >= 0)
        m_table->selectRow(row);
}

void SubscriptionsPane::onCurrentChanged()
{
    m_details->show(m_model->statusAt(m_table->currentIndex().row()));
    syncActions();
}

void SubscriptionsPane::syncActions()
{
    const bool connected = m_client && m_streams;
    const bool selected = currentGroup().has_value();
    const bool canWrite = connected && m_guard && m_auditLog && !m_writing;
    m_refresh->setEnabled(connected);
    m_openParked->setEnabled(connected && selected);
    m_replay->setEnabled(canWrite && selected);
    m_edit->setEnabled(canWrite && selected);
    m_delete->setEnabled(canWrite && selected);
    m_create->setEnabled(canWrite);
}

void SubscriptionsPane::showMessage(const QString &text, bool problem)
{
    m_message->setText(text);
    m_message->setStyleSheet(problem ? QStringLiteral("color: #c0392b;") : QString());
}

void SubscriptionsPane::startWrite(SubscriptionOperation::Kind kind)
{
    if (!m_guard || !m_auditLog || !m_client)
        return;
    using K = SubscriptionOperation::Kind;
    SubscriptionOperation operation;
    operation.kind = kind;
    const PersistentGroupStatus *status = m_model->statusAt(m_table->currentIndex().row());
    if (kind != K::Create) {
        if (!status)
            return;
        operation.group = status->group();
        operation.settings = status->info.settings;
    }
    // The guard decides; asking before the dialog spares typing a form that cannot be sent.
    if (!m_guard->isUnlocked()) {
        const QString why = m_guard->state() == WriteGuard::State::ReadOnlyProfile ? m_guard->readOnlyReason()
                                                                                   : m_guard->authorize();
        showMessage(tr("Not sent: %1").arg(why), true);
        m_unlock->setVisible(m_guard->state() == WriteGuard::State::Locked);
        return;
    }
    auto *dialog = new SubscriptionWriteDialog(operation, status ? status->info.parkedMessageCount : 0, *m_guard, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { runOperation(dialog->operation(), dialog->typedProfileName()); });
    dialog->open();
}

void SubscriptionsPane::runOperation(const SubscriptionOperation &operation, const QString &typedProfileName)
{
    if (!m_client || !m_streams || !m_guard || !m_auditLog)
        return;
    m_writing = true;
    m_unlock->setVisible(false);
    syncActions();
    showMessage(tr("Sending %1 of %2…").arg(SubscriptionOperation::kindName(operation.kind), operation.group.group));
    auto client = m_client;
    auto streams = m_streams;
    // The guard as it is now, copied for the worker (the window's lives on this thread).
    const WriteProfile profile = m_guard->profile();
    const QString reason = m_guard->isUnlocked() ? m_guard->reason() : QString();
    const AuditLog *log = m_auditLog;
    const AuditOperator op = m_operator;
    m_writeJob.start(
        [this, client, streams, profile, reason, log, op, operation, typedProfileName](const JobTracker::Job &job) {
            WriteGuard guard(profile);
            if (!reason.isEmpty())
                guard.unlock(reason);
            const SubscriptionWriter writer(client.get(), streams.get(), log, &guard, op);
            const SubscriptionWriteOutcome outcome = writer.run(operation, typedProfileName);
            job.post([this, outcome, operation]() {
                m_writing = false;
                showMessage(outcome.message, !outcome.ok());
                m_messageHeldUntil = QDateTime::currentMSecsSinceEpoch() + kOutcomeShownMs;
                m_unlock->setVisible(outcome.kind == SubscriptionWriteOutcome::Kind::RefusedByGuard && m_guard
                                     && m_guard->state() == WriteGuard::State::Locked);
                syncActions();
                if (outcome.ok() && operation.kind == SubscriptionOperation::Kind::Create)
                    connect(
                        this, &SubscriptionsPane::refreshed, this, [this, g = operation.group] { selectGroup(g); },
                        Qt::SingleShotConnection);
                Q_EMIT operationFinished(outcome);
                refresh();
            });
        });
}

void SubscriptionsPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_timer->start();
    if (m_client && !m_refreshing)
        refresh();
}

void SubscriptionsPane::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer->stop(); // a hidden pane reads nothing
}

} // namespace chronoscope::views
