#include "subscriptions/SubscriptionWriteDialog.h"

#include "correct/WriteGuard.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace chronoscope::views {

namespace {

QString titleFor(SubscriptionOperation::Kind kind)
{
    using K = SubscriptionOperation::Kind;
    switch (kind) {
    case K::Create: return SubscriptionWriteDialog::tr("Create Subscription Group");
    case K::Update: return SubscriptionWriteDialog::tr("Update Subscription Group");
    case K::Delete: return SubscriptionWriteDialog::tr("Delete Subscription Group");
    case K::ReplayParked: return SubscriptionWriteDialog::tr("Replay Parked Messages");
    }
    return {};
}

QString verbFor(SubscriptionOperation::Kind kind)
{
    using K = SubscriptionOperation::Kind;
    switch (kind) {
    case K::Create: return SubscriptionWriteDialog::tr("Create");
    case K::Update: return SubscriptionWriteDialog::tr("Update");
    case K::Delete: return SubscriptionWriteDialog::tr("Delete");
    case K::ReplayParked: return SubscriptionWriteDialog::tr("Replay");
    }
    return {};
}

} // namespace

SubscriptionWriteDialog::SubscriptionWriteDialog(const SubscriptionOperation &operation, qint64 parkedCount,
                                                 const WriteGuard &guard, QWidget *parent)
    : QDialog(parent), m_operation(operation), m_problem(new QLabel(this))
{
    using K = SubscriptionOperation::Kind;
    setObjectName(QStringLiteral("subscriptionWriteDialog"));
    setWindowTitle(titleFor(operation.kind));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    const QString target = operation.group.group + tr(" on ") + QString::fromUtf8(operation.group.stream);
    switch (operation.kind) {
    case K::Create: intro->setText(tr("A new consumer group. Its consumers start where “Start from” says.")); break;
    case K::Update:
        intro->setText(tr("New settings for %1. The server keeps its checkpoint and drops the clients connected "
                          "now; they reconnect.")
                           .arg(target));
        break;
    case K::Delete:
        intro->setText(tr("Delete %1? Its checkpoint goes with it and its connected clients are dropped. The parked "
                          "messages stay in their stream.")
                           .arg(target));
        break;
    case K::ReplayParked:
        intro->setText(tr("Send the parked messages of %1 to its consumers again, oldest first. Those replayed leave "
                          "the parked list.")
                           .arg(target));
        break;
    }
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    if (operation.kind == K::Create || operation.kind == K::Update)
        buildSettings(form, operation);
    else if (operation.kind == K::ReplayParked)
        buildReplay(form, parkedCount);
    if (guard.needsTypedProfileName()) {
        m_expectedProfile = guard.profile().name;
        m_profileName = new QLineEdit(this);
        m_profileName->setObjectName(QStringLiteral("typedProfileName"));
        m_profileName->setPlaceholderText(m_expectedProfile);
        form->addRow(tr("Type the profile name to confirm:"), m_profileName);
        connect(m_profileName, &QLineEdit::textChanged, this, &SubscriptionWriteDialog::validate);
    }
    layout->addLayout(form);
    auto *audit = new QLabel(tr("Recorded in the audit log with the write-mode reason “%1”.").arg(guard.reason()),
                             this);
    audit->setWordWrap(true);
    audit->setTextFormat(Qt::PlainText);
    layout->addWidget(audit);
    m_problem->setObjectName(QStringLiteral("subscriptionWriteProblem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c0392b;"));
    layout->addWidget(m_problem);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_confirm = buttons->addButton(verbFor(operation.kind), QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("subscriptionWriteConfirm"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    validate();
}

QSpinBox *SubscriptionWriteDialog::spin(int value, int max, const QString &suffix)
{
    auto *box = new QSpinBox(this);
    box->setRange(0, max);
    box->setValue(value);
    box->setSuffix(suffix);
    box->setGroupSeparatorShown(true);
    return box;
}

void SubscriptionWriteDialog::buildSettings(QFormLayout *form, const SubscriptionOperation &operation)
{
    const PersistentSubscriptionSettings &s = operation.settings;
    const bool create = operation.kind == SubscriptionOperation::Kind::Create;
    constexpr int big = std::numeric_limits<int>::max();
    m_stream = new QLineEdit(QString::fromUtf8(operation.group.stream), this);
    m_stream->setObjectName(QStringLiteral("subscriptionStream"));
    m_stream->setPlaceholderText(tr("a stream, e.g. $ce-order, or $all"));
    m_stream->setReadOnly(!create);
    m_group = new QLineEdit(operation.group.group, this);
    m_group->setObjectName(QStringLiteral("subscriptionGroup"));
    m_group->setReadOnly(!create);
    m_startFrom = new QLineEdit(s.startFrom ? QString::number(*s.startFrom) : QStringLiteral("end"), this);
    m_startFrom->setToolTip(tr("A revision (a $all commit position for $all), or “end” for new events only"));
    m_strategy = new QComboBox(this);
    m_strategy->setObjectName(QStringLiteral("subscriptionStrategy"));
    m_strategy->addItems({QStringLiteral("RoundRobin"), QStringLiteral("DispatchToSingle"), QStringLiteral("Pinned"),
                          QStringLiteral("PinnedByCorrelation")});
    m_strategy->setCurrentText(s.consumerStrategy);
    m_resolveLinks = new QCheckBox(this);
    m_resolveLinks->setChecked(s.resolveLinks);
    m_maxRetry = spin(s.maxRetryCount, big);
    m_maxRetry->setObjectName(QStringLiteral("subscriptionMaxRetry"));
    m_timeout = spin(s.messageTimeoutMs, big, tr(" ms"));
    m_maxSubscribers = spin(s.maxSubscriberCount, big);
    m_maxSubscribers->setSpecialValueText(tr("unlimited"));
    m_checkpointAfter = spin(s.checkpointAfterMs, big, tr(" ms"));
    m_minCheckpoint = spin(s.minCheckpointCount, big);
    m_maxCheckpoint = spin(s.maxCheckpointCount, big);
    m_readBatch = spin(s.readBatchSize, big);
    m_liveBuffer = spin(s.liveBufferSize, big);
    m_historyBuffer = spin(s.historyBufferSize, big);
    form->addRow(tr("Stream:"), m_stream);
    form->addRow(tr("Group:"), m_group);
    form->addRow(tr("Start from:"), m_startFrom);
    form->addRow(tr("Consumer strategy:"), m_strategy);
    form->addRow(tr("Resolve links:"), m_resolveLinks);
    form->addRow(tr("Max retry count:"), m_maxRetry);
    form->addRow(tr("Message timeout:"), m_timeout);
    form->addRow(tr("Max subscribers:"), m_maxSubscribers);
    form->addRow(tr("Checkpoint after:"), m_checkpointAfter);
    form->addRow(tr("Checkpoint count min:"), m_minCheckpoint);
    form->addRow(tr("Checkpoint count max:"), m_maxCheckpoint);
    form->addRow(tr("Read batch size:"), m_readBatch);
    form->addRow(tr("Live buffer size:"), m_liveBuffer);
    form->addRow(tr("History buffer size:"), m_historyBuffer);
    for (QLineEdit *edit : {m_stream, m_group, m_startFrom})
        connect(edit, &QLineEdit::textChanged, this, &SubscriptionWriteDialog::validate);
    for (QSpinBox *box : {m_readBatch, m_historyBuffer, m_minCheckpoint, m_maxCheckpoint})
        connect(box, &QSpinBox::valueChanged, this, &SubscriptionWriteDialog::validate);
}

void SubscriptionWriteDialog::buildReplay(QFormLayout *form, qint64 parkedCount)
{
    m_all = new QRadioButton(tr("All %1 parked messages").arg(QLocale().toString(parkedCount)), this);
    m_all->setObjectName(QStringLiteral("replayAll"));
    m_some = new QRadioButton(tr("The oldest"), this);
    m_some->setObjectName(QStringLiteral("replayCount"));
    m_count = spin(int(std::clamp<qint64>(parkedCount, 1, 10)), std::numeric_limits<int>::max());
    m_count->setObjectName(QStringLiteral("replayCountBox"));
    m_count->setMinimum(1);
    m_count->setSuffix(tr(" messages"));
    auto *group = new QButtonGroup(this);
    group->addButton(m_all);
    group->addButton(m_some);
    const bool all = m_operation.replayCount == std::nullopt;
    m_all->setChecked(all);
    m_some->setChecked(!all);
    if (!all)
        m_count->setValue(int(std::min<qint64>(*m_operation.replayCount, std::numeric_limits<int>::max())));
    m_count->setEnabled(!all);
    connect(m_some, &QRadioButton::toggled, m_count, &QSpinBox::setEnabled);
    auto *row = new QHBoxLayout;
    row->addWidget(m_some);
    row->addWidget(m_count, 1);
    form->addRow(m_all);
    form->addRow(row);
}

SubscriptionOperation SubscriptionWriteDialog::operation() const
{
    SubscriptionOperation op = m_operation;
    if (m_some)
        op.replayCount = m_some->isChecked() ? std::optional<qint64>(m_count->value()) : std::nullopt;
    if (m_stream) {
        op.group = PersistentGroup{m_stream->text().trimmed().toUtf8(), m_group->text().trimmed()};
        PersistentSubscriptionSettings &s = op.settings;
        const QString start = m_startFrom->text().trimmed();
        bool ok = false;
        const quint64 at = start.toULongLong(&ok);
        s.startFrom = ok ? std::optional<quint64>(at) : std::nullopt;
        s.consumerStrategy = m_strategy->currentText();
        s.resolveLinks = m_resolveLinks->isChecked();
        s.maxRetryCount = m_maxRetry->value();
        s.messageTimeoutMs = m_timeout->value();
        s.maxSubscriberCount = m_maxSubscribers->value();
        s.checkpointAfterMs = m_checkpointAfter->value();
        s.minCheckpointCount = m_minCheckpoint->value();
        s.maxCheckpointCount = m_maxCheckpoint->value();
        s.readBatchSize = m_readBatch->value();
        s.liveBufferSize = m_liveBuffer->value();
        s.historyBufferSize = m_historyBuffer->value();
    }
    return op;
}

QString SubscriptionWriteDialog::typedProfileName() const
{
    return m_profileName ? m_profileName->text().trimmed() : QString();
}

// The server refuses these too; saying so here keeps the user in the form.
void SubscriptionWriteDialog::validate()
{
    QString problem;
    if (m_stream) {
        const QString start = m_startFrom->text().trimmed();
        bool ok = false;
        start.toULongLong(&ok);
        if (m_stream->text().trimmed().isEmpty())
            problem = tr("Name the stream (or $all).");
        else if (m_group->text().trimmed().isEmpty())
            problem = tr("Name the group.");
        else if (!ok && start.compare(QLatin1String("end"), Qt::CaseInsensitive) != 0)
            problem = tr("Start from is a number or “end”.");
        else if (m_readBatch->value() >= m_historyBuffer->value())
            problem = tr("The read batch size must be smaller than the history buffer size.");
        else if (m_minCheckpoint->value() > m_maxCheckpoint->value())
            problem = tr("The minimum checkpoint count cannot be above the maximum.");
    }
    if (problem.isEmpty() && m_profileName && m_profileName->text().trimmed() != m_expectedProfile)
        problem = tr("Type the profile name “%1” to confirm.").arg(m_expectedProfile);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    if (m_confirm)
        m_confirm->setEnabled(problem.isEmpty());
}

} // namespace chronoscope::views
