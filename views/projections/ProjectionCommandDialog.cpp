#include "projections/ProjectionCommandDialog.h"

#include "correct/WriteGuard.h"
#include "projections/ProjectionSourceHighlighter.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace chronoscope::views {

using Action = ProjectionCommand::Action;

ProjectionCommandDialog::ProjectionCommandDialog(const ProjectionCommand &command, const WriteGuard &guard,
                                                 QWidget *parent)
    : QDialog(parent)
    , m_command(command)
    , m_profileName(guard.profile().name)
    , m_needsProfile(guard.needsTypedProfileName())
    , m_description(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("projectionCommandDialog"));
    const QString verb = ProjectionCommand::actionName(command.action);
    const QString title = verb.left(1).toUpper() + verb.mid(1);
    setWindowTitle(command.name.isEmpty() ? tr("%1 Projection").arg(title) : tr("%1 '%2'").arg(title, command.name));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    layout->addLayout(form);

    const bool editsSource = command.action == Action::Create || command.action == Action::Update;
    if (command.action == Action::Create) {
        m_name = new QLineEdit(command.name, this);
        m_name->setObjectName(QStringLiteral("projectionNameEdit"));
        form->addRow(tr("Name:"), m_name);
        m_mode = new QComboBox(this);
        m_mode->setObjectName(QStringLiteral("projectionModeBox"));
        m_mode->addItem(tr("Continuous"), int(ProjectionsClient::Mode::Continuous));
        m_mode->addItem(tr("One-time (the server names it)"), int(ProjectionsClient::Mode::OneTime));
        m_mode->addItem(tr("Transient"), int(ProjectionsClient::Mode::Transient));
        m_mode->setCurrentIndex(m_mode->findData(int(command.mode)));
        form->addRow(tr("Mode:"), m_mode);
        m_track = new QCheckBox(tr("Track emitted streams"), this);
        m_track->setChecked(command.trackEmittedStreams);
    }
    if (editsSource) {
        m_emit = new QCheckBox(tr("Emit enabled (emit() and linkTo() write to streams)"), this);
        m_emit->setObjectName(QStringLiteral("projectionEmitBox"));
        m_emit->setChecked(command.emitEnabled);
        form->addRow(QString(), m_emit);
        if (m_track)
            form->addRow(QString(), m_track);
        m_source = new QPlainTextEdit(command.query, this);
        m_source->setObjectName(QStringLiteral("projectionSourceEdit"));
        m_source->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_source->setMinimumSize(520, 220);
        new ProjectionSourceHighlighter(m_source->document());
        layout->addWidget(m_source, 1);
    }
    if (command.action == Action::Delete) {
        m_deleteState = new QCheckBox(tr("Delete its state and result streams"), this);
        m_deleteCheckpoint = new QCheckBox(tr("Delete its checkpoint stream"), this);
        m_deleteEmitted = new QCheckBox(tr("Delete the streams it emitted (when tracked)"), this);
        for (QCheckBox *box : {m_deleteState, m_deleteCheckpoint, m_deleteEmitted})
            form->addRow(QString(), box);
    }

    m_description->setObjectName(QStringLiteral("projectionCommandDescription"));
    m_description->setWordWrap(true);
    layout->addWidget(m_description);
    auto *audit = new QLabel(tr("Recorded in the audit log with the reason: %1").arg(guard.reason()), this);
    audit->setWordWrap(true);
    audit->setTextFormat(Qt::PlainText);
    layout->addWidget(audit);
    if (m_needsProfile) {
        m_profile = new QLineEdit(this);
        m_profile->setObjectName(QStringLiteral("projectionProfileEdit"));
        m_profile->setPlaceholderText(m_profileName);
        auto *row = new QFormLayout;
        row->addRow(tr("Production: type the profile name to confirm:"), m_profile);
        layout->addLayout(row);
        connect(m_profile, &QLineEdit::textChanged, this, &ProjectionCommandDialog::sync);
    }
    m_buttons->button(QDialogButtonBox::Ok)->setText(title);
    m_buttons->button(QDialogButtonBox::Cancel)->setDefault(!editsSource); // destructive ones: Enter cancels
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QCheckBox *box : {m_emit, m_track, m_deleteState, m_deleteCheckpoint, m_deleteEmitted})
        if (box)
            connect(box, &QCheckBox::toggled, this, &ProjectionCommandDialog::sync);
    if (m_name)
        connect(m_name, &QLineEdit::textChanged, this, &ProjectionCommandDialog::sync);
    if (m_mode)
        connect(m_mode, qOverload<int>(&QComboBox::currentIndexChanged), this, &ProjectionCommandDialog::sync);
    if (m_source)
        connect(m_source, &QPlainTextEdit::textChanged, this, &ProjectionCommandDialog::sync);
    sync();
}

ProjectionCommand ProjectionCommandDialog::command() const
{
    ProjectionCommand c = m_command;
    if (m_mode)
        c.mode = ProjectionsClient::Mode(m_mode->currentData().toInt());
    if (m_name)
        c.name = c.mode == ProjectionsClient::Mode::OneTime ? QString() : m_name->text().trimmed();
    if (m_source)
        c.query = m_source->toPlainText();
    if (m_emit)
        c.emitEnabled = m_emit->isChecked();
    if (m_track)
        c.trackEmittedStreams = m_track->isChecked() && c.mode == ProjectionsClient::Mode::Continuous;
    if (m_deleteState) {
        c.deleteStateStream = m_deleteState->isChecked();
        c.deleteCheckpointStream = m_deleteCheckpoint->isChecked();
        c.deleteEmittedStreams = m_deleteEmitted->isChecked();
    }
    return c;
}

QString ProjectionCommandDialog::typedProfileName() const
{
    return m_profile ? m_profile->text().trimmed() : QString();
}

void ProjectionCommandDialog::sync()
{
    const ProjectionCommand c = command();
    QString problem;
    if (c.action == Action::Create && c.mode != ProjectionsClient::Mode::OneTime && c.name.isEmpty())
        problem = tr("Give it a name.");
    else if ((c.action == Action::Create || c.action == Action::Update) && c.query.trimmed().isEmpty())
        problem = tr("The source is empty.");
    else if (c.trackEmittedStreams && !c.emitEnabled)
        problem = tr("Tracking emitted streams needs emit enabled.");
    else if (m_needsProfile && typedProfileName() != m_profileName)
        problem = tr("Type the profile name '%1' to confirm.").arg(m_profileName);
    if (m_name && m_mode)
        m_name->setEnabled(c.mode != ProjectionsClient::Mode::OneTime);
    m_description->setText(problem.isEmpty() ? c.describe() : c.describe() + QStringLiteral("\n") + problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace chronoscope::views
