#include "projections/ProjectionsPane.h"

#include "correct/WriteGuard.h"
#include "projections/ProjectionCommandDialog.h"
#include "projections/ProjectionCompareView.h"
#include "projections/ProjectionDetailView.h"
#include "projections/ProjectionListModel.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSettings>
#include <QShowEvent>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace chronoscope::views {

using Action = ProjectionCommand::Action;

namespace {

/// The error of a list or a command in words an operator acts on.
QString explain(const ClientError &error)
{
    switch (error.kind) {
    case ClientError::Kind::NotFound: return ProjectionsPane::tr("Not found: %1").arg(error.message);
    case ClientError::Kind::AccessDenied:
        return error.isAuthenticationFailure()
            ? ProjectionsPane::tr("The server did not accept the credentials: %1").arg(error.message)
            : ProjectionsPane::tr("Permission denied: the connection's user may not do this (%1)").arg(error.message);
    case ClientError::Kind::Unavailable:
    case ClientError::Kind::DeadlineExceeded:
        return ProjectionsPane::tr("The server is unavailable: %1").arg(error.message);
    case ClientError::Kind::Unimplemented:
        return ProjectionsPane::tr("This server has no projections (Projections service not running): %1")
            .arg(error.message);
    case ClientError::Kind::AlreadyExists:
        return ProjectionsPane::tr("A projection of that name exists already: %1").arg(error.message);
    default: return error.toString();
    }
}

} // namespace

ProjectionsPane::ProjectionsPane(WriteGuard *guard, const AuditLog *auditLog, QWidget *parent)
    : QWidget(parent)
    , m_guard(guard)
    , m_auditLog(auditLog)
    , m_monitor(new ProjectionMonitor(this))
    , m_inspector(new ProjectionInspector(this))
    , m_model(new ProjectionListModel(this))
    , m_table(new QTableView(this))
    , m_detail(new ProjectionDetailView(m_inspector, this))
    , m_message(new QLabel(this))
    , m_stall(new QSpinBox(this))
    , m_refresh(new QAction(tr("Refresh"), this))
{
    setObjectName(QStringLiteral("projectionsPane"));
    m_model->setPalette(palette());
    m_table->setObjectName(QStringLiteral("projectionTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false); // a position on one line, elided if it must be
    m_table->setMinimumHeight(140);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->setColumnWidth(ProjectionListModel::Name, 170);
    m_table->setColumnWidth(ProjectionListModel::Mode, 80);
    m_table->setColumnWidth(ProjectionListModel::Status, 120);
    m_table->setColumnWidth(ProjectionListModel::Position, 130);
    m_table->setColumnWidth(ProjectionListModel::Progress, 70);
    m_table->setColumnWidth(ProjectionListModel::Processed, 110);
    m_table->setColumnWidth(ProjectionListModel::LagEvents, 85);
    m_message->setObjectName(QStringLiteral("projectionMessage"));
    m_message->setWordWrap(true);
    m_message->setVisible(false);

    auto *bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("projectionToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    buildActions(bar);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("projectionSplit"));
    split->addWidget(m_table);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(bar);
    layout->addWidget(m_message);
    layout->addWidget(split, 1);

    const int stallSeconds =
        QSettings().value(stallSettingKey(), ProjectionHealthTracker::kDefaultStallSeconds).toInt();
    m_stall->setObjectName(QStringLiteral("projectionStallSpin"));
    m_stall->setRange(1, 3600);
    m_stall->setSuffix(tr(" s"));
    m_stall->setValue(stallSeconds);
    m_stall->setToolTip(tr("A Running projection whose position has not moved this long while $all moved on is "
                           "flagged as stalled"));
    m_monitor->setStallAfterMs(qint64(m_stall->value()) * 1000);
    connect(m_stall, qOverload<int>(&QSpinBox::valueChanged), this, [this](int seconds) {
        QSettings().setValue(stallSettingKey(), seconds);
        m_monitor->setStallAfterMs(qint64(seconds) * 1000);
        m_monitor->refresh();
    });

    connect(m_monitor, &ProjectionMonitor::updated, this, &ProjectionsPane::onUpdated);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        const ProjectionRow *row = m_monitor->snapshot().row(currentName());
        m_shownAt = row ? row->details.position + row->details.status : QString();
        m_detail->show(currentName());
        syncActions();
    });
    if (m_guard)
        connect(m_guard, &WriteGuard::changed, this, &ProjectionsPane::syncActions);
    connect(m_detail->compare(), &ProjectionCompareView::diffRequested, this, &ProjectionsPane::diffRequested);
    connect(m_detail->compare(), &ProjectionCompareView::openEventRequested, this,
            &ProjectionsPane::openEventRequested);
    syncActions();
}

ProjectionsPane::~ProjectionsPane() = default;

QString ProjectionsPane::stallSettingKey()
{
    return QStringLiteral("projections/stallSeconds");
}

void ProjectionsPane::buildActions(QToolBar *bar)
{
    const struct
    {
        Action action;
        QString text;
        const char *name;
        QString tip;
    } table[] = {
        {Action::Create, tr("New…"), "projectionCreateAction", tr("Create a projection (writes must be unlocked)")},
        {Action::Update, tr("Edit Source…"), "projectionUpdateAction", tr("Change the selected projection's source")},
        {Action::Enable, tr("Enable"), "projectionEnableAction", tr("Run the selected projection")},
        {Action::Disable, tr("Disable"), "projectionDisableAction",
         tr("Stop the selected projection after a checkpoint")},
        {Action::Abort, tr("Abort"), "projectionAbortAction", tr("Stop the selected projection without a checkpoint")},
        {Action::Reset, tr("Reset…"), "projectionResetAction",
         tr("Start the selected projection again from the beginning of the log")},
        {Action::Delete, tr("Delete…"), "projectionDeleteAction", tr("Delete the selected (stopped) projection")},
    };
    for (const auto &entry : table) {
        auto *a = new QAction(entry.text, this);
        a->setObjectName(QLatin1String(entry.name));
        a->setToolTip(entry.tip);
        connect(a, &QAction::triggered, this, [this, action = entry.action] { trigger(action); });
        m_actions.append(a);
        bar->addAction(a);
        if (entry.action == Action::Create || entry.action == Action::Update)
            bar->addSeparator();
    }
    bar->addSeparator();
    m_refresh->setObjectName(QStringLiteral("projectionRefreshAction"));
    connect(m_refresh, &QAction::triggered, m_monitor, &ProjectionMonitor::refresh);
    bar->addAction(m_refresh);
    auto *stallLabel = new QLabel(tr(" Stall after: "), bar);
    bar->addWidget(stallLabel);
    bar->addWidget(m_stall);
}

QAction *ProjectionsPane::action(Action action) const
{
    return m_actions.value(int(action));
}

void ProjectionsPane::setClients(std::shared_ptr<const ProjectionsClient> projections,
                                 std::shared_ptr<const StreamsClient> streams, const AuditOperator &op)
{
    m_commandJob.cancel();
    m_commandPending = false;
    m_operator = op;
    m_detail->show(QString());
    m_inspector->setClients(projections, streams);
    m_detail->compare()->setClients(streams, projections);
    m_monitor->setClients(std::move(projections), std::move(streams));
    m_monitor->setHealthOnly(!isVisible());
    if (m_monitor->projections())
        m_monitor->start();
    syncActions();
}

void ProjectionsPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_monitor->isHealthOnly())
        return;
    m_monitor->setHealthOnly(false);
    m_monitor->refresh(); // a look under way (health only) is followed by the next tick's full one
}

void ProjectionsPane::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    if (!event->spontaneous())
        m_monitor->setHealthOnly(true);
}

QString ProjectionsPane::currentName() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() ? m_model->row(current.row()).details.name : QString();
}

void ProjectionsPane::select(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row < 0) {
        m_wanted = name;
        return;
    }
    m_wanted.clear();
    m_table->selectionModel()->setCurrentIndex(m_model->index(row, 0),
                                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(m_model->index(row, 0)); // below the system projections: in sight
}

QString ProjectionsPane::healthSummary() const
{
    const ProjectionSnapshot &s = m_monitor->snapshot();
    QStringList parts;
    // Spelled out: without a translator loaded, "%n projection(s)" would show as written.
    if (const int stalled = s.count(ProjectionHealth::Kind::Stalled))
        parts << (stalled == 1 ? tr("1 projection stalled") : tr("%1 projections stalled").arg(stalled));
    if (const int faulted = s.count(ProjectionHealth::Kind::Faulted))
        parts << (faulted == 1 ? tr("1 projection faulted") : tr("%1 projections faulted").arg(faulted));
    return parts.join(QStringLiteral(", "));
}

void ProjectionsPane::onUpdated()
{
    const ProjectionSnapshot &s = m_monitor->snapshot();
    const QString keep = currentName();
    m_model->setPalette(palette());
    m_model->setSnapshot(s);
    QString wanted = m_wanted.isEmpty() ? keep : m_wanted;
    for (qsizetype i = 0; wanted.isEmpty() && i < s.rows.size(); ++i)
        if (!s.rows.at(i).details.name.startsWith(QLatin1Char('$')))
            wanted = s.rows.at(i).details.name; // nothing chosen yet: the first user projection
    if (!wanted.isEmpty() && m_model->rowOf(wanted) >= 0 && currentName() != wanted)
        select(wanted);
    if (const ProjectionRow *row = s.row(currentName())) {
        // The state moves on with the projection: read it again when its position or status did.
        // Hidden, nobody reads it: read it once the pane shows again.
        const QString seen = row->details.position + row->details.status;
        if (isVisible() && seen != m_shownAt && !m_commandPending && currentName() == keep)
            m_detail->show(keep);
        if (isVisible())
            m_shownAt = seen;
    }
    // The list's own error comes and goes with the looks; a command's message stays until the next one.
    if (s.error) {
        m_message->setText(tr("The projections could not be listed. %1").arg(explain(s.error)));
        m_message->setVisible(true);
        m_messageIsListError = true;
    } else if (m_messageIsListError) {
        m_message->setVisible(false);
        m_messageIsListError = false;
    }

    const QString summary = healthSummary();
    QStringList details;
    for (const ProjectionRow &r : s.rows)
        if (!r.health.healthy())
            details << r.details.name + QStringLiteral(": ") + r.health.reason;
    const QString joined = details.join(QLatin1Char('\n'));
    if (summary + joined != m_lastHealth) {
        m_lastHealth = summary + joined;
        Q_EMIT healthChanged(summary, joined);
    }
    syncActions();
}

void ProjectionsPane::syncActions()
{
    const bool connected = bool(m_monitor->projections());
    const bool selected = !currentName().isEmpty();
    const bool readOnly = !m_guard || m_guard->state() == WriteGuard::State::ReadOnlyProfile;
    const QString why = !m_guard ? tr("writes are not possible here")
        : readOnly               ? m_guard->readOnlyReason()
                                 : QString();
    for (qsizetype i = 0; i < m_actions.size(); ++i) {
        const bool needsSelection = Action(i) != Action::Create;
        m_actions.at(i)->setEnabled(connected && !readOnly && !m_commandPending && (selected || !needsSelection));
        m_actions.at(i)->setStatusTip(why);
    }
    m_refresh->setEnabled(connected);
}

void ProjectionsPane::trigger(Action action)
{
    ProjectionCommand command;
    command.action = action;
    if (action != Action::Create) {
        command.name = currentName();
        if (command.name.isEmpty())
            return;
    }
    if (action == Action::Create)
        command.query = QStringLiteral("fromAll()\n  .when({\n    $init: function () { return { count: 0 }; },\n"
                                       "    $any: function (s, e) { s.count += 1; return s; }\n  });\n");
    if (action == Action::Update) {
        command.query = m_detail->definition().query;
        command.emitEnabled = m_detail->definition().emitEnabled;
    }
    request(command);
}

void ProjectionsPane::request(const ProjectionCommand &command)
{
    if (!m_guard || !m_monitor->projections())
        return;
    if (!m_guard->isUnlocked()) {
        const QString why = m_guard->state() == WriteGuard::State::ReadOnlyProfile
            ? m_guard->readOnlyReason()
            : tr("writes are locked: unlock them (with a reason) first");
        m_message->setText(tr("%1 refused: %2").arg(ProjectionCommand::actionName(command.action), why));
        m_messageIsListError = false;
        m_message->setVisible(true);
        Q_EMIT statusMessage(m_message->text());
        if (m_guard->state() == WriteGuard::State::Locked)
            Q_EMIT unlockRequested();
        return;
    }
    auto *dialog = new ProjectionCommandDialog(command, *m_guard, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { runConfirmed(dialog->command(), dialog->typedProfileName()); });
    dialog->open();
}

void ProjectionsPane::runConfirmed(const ProjectionCommand &command, const QString &typedProfileName)
{
    if (!m_guard || !m_monitor->projections())
        return;
    m_commandPending = true;
    syncActions();
    Q_EMIT statusMessage(tr("%1 %2…").arg(ProjectionCommand::actionName(command.action), command.name));
    const ProjectionManager manager(m_monitor->projections(), m_auditLog, m_operator);
    m_commandJob.start([this, manager, command, typedProfileName,
                        guard = ProjectionManager::snapshotOf(*m_guard)](const JobTracker::Job &job) {
        const ProjectionCommandOutcome outcome = manager.run(command, *guard, typedProfileName);
        job.post([this, outcome, command] {
            m_commandPending = false;
            QString text = outcome.ok() ? outcome.message
                                        : tr("%1 %2 failed: %3")
                                              .arg(ProjectionCommand::actionName(command.action), command.name,
                                                   outcome.error ? explain(outcome.error) : outcome.message);
            if (!outcome.auditError.isEmpty())
                text += tr(" (the audit log's outcome record could not be written: %1)").arg(outcome.auditError);
            m_message->setText(text);
            m_message->setVisible(!outcome.ok() || !outcome.auditError.isEmpty());
            m_messageIsListError = false;
            Q_EMIT statusMessage(text);
            Q_EMIT commandFinished(outcome);
            if (outcome.ok() && command.action == Action::Create && !command.name.isEmpty())
                m_wanted = command.name;
            m_monitor->refresh();
            syncActions();
        });
    });
}

} // namespace chronoscope::views
