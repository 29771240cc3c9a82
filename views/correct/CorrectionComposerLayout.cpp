// The composer's widgets, the states they show (pin, guard, buttons) and its menus (templates,
// saved drafts); its logic is in CorrectionComposer.cpp.
#include "correct/AppendOutcomeView.h"
#include "correct/CorrectionComposer.h"
#include "correct/JsonDraftEditor.h"
#include "correct/WriteGuard.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace chronoscope {

namespace {

QLabel *makeLabel(const char *name, QWidget *parent, bool wrap = true)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QLatin1String(name));
    label->setWordWrap(wrap);
    label->setTextFormat(Qt::PlainText);
    return label;
}

QLabel *caption(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

} // namespace

void CorrectionComposer::buildLayout()
{
    m_stream = makeLabel("composerStream", this, false);
    QFont big = m_stream->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.15);
    m_stream->setFont(big);
    m_stream->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pin = makeLabel("composerPin", this);
    m_reducer = makeLabel("composerReducer", this);
    m_reducer->setForegroundRole(QPalette::PlaceholderText);
    m_general = makeLabel("composerIssues", this);
    m_general->setVisible(false);
    m_loadBar = new QProgressBar(this);
    m_loadBar->setObjectName(QStringLiteral("composerLoadProgress"));
    m_loadBar->setRange(0, 0);
    m_loadBar->setTextVisible(true);
    m_loadBar->setVisible(false);
    m_cancelLoad = new QPushButton(tr("Cancel"), this);
    m_cancelLoad->setObjectName(QStringLiteral("composerCancelLoad"));
    m_cancelLoad->setVisible(false);
    m_draftsButton = new QToolButton(this);
    m_draftsButton->setObjectName(QStringLiteral("composerDrafts"));
    m_draftsButton->setPopupMode(QToolButton::InstantPopup);
    m_draftsButton->setToolTip(tr("Drafts saved earlier (a crash or a restart left them): open one to go on"));
    m_draftsMenu = new QMenu(m_draftsButton);
    m_draftsButton->setMenu(m_draftsMenu);
    m_draftsButton->setVisible(false);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_stream, 1);
    top->addWidget(m_draftsButton);
    auto *load = new QHBoxLayout;
    load->setContentsMargins(0, 0, 0, 0);
    load->addWidget(m_loadBar, 1);
    load->addWidget(m_cancelLoad);

    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("composerType"));
    m_type->setEditable(true);
    m_type->setInsertPolicy(QComboBox::NoInsert);
    m_type->setToolTip(tr("The stream's event types, or type a new one"));
    m_type->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_templateButton = new QToolButton(this);
    m_templateButton->setObjectName(QStringLiteral("composerTemplates"));
    m_templateButton->setText(tr("Template"));
    m_templateButton->setPopupMode(QToolButton::InstantPopup);
    m_templateMenu = new QMenu(m_templateButton);
    m_templateButton->setMenu(m_templateMenu);
    m_typeIssues = makeLabel("composerTypeIssues", this);
    m_typeIssues->setForegroundRole(QPalette::PlaceholderText);
    auto *typeRow = new QHBoxLayout;
    typeRow->setContentsMargins(0, 0, 0, 0);
    typeRow->addWidget(new QLabel(tr("Event type:"), this));
    typeRow->addWidget(m_type, 1);
    typeRow->addWidget(m_templateButton);

    m_data = new JsonDraftEditor(QStringLiteral("composerData"), 7, this);
    m_metadata = new JsonDraftEditor(QStringLiteral("composerMetadata"), 3, this);
    auto *dataBox = new QWidget(this);
    auto *dataLayout = new QVBoxLayout(dataBox);
    dataLayout->setContentsMargins(0, 0, 0, 0);
    dataLayout->setSpacing(2);
    dataLayout->addWidget(caption(tr("Data"), dataBox));
    dataLayout->addWidget(m_data, 1);
    // Custom metadata folds away: a correction seldom needs any beyond what is added automatically.
    m_metaToggle = new QToolButton(this);
    m_metaToggle->setObjectName(QStringLiteral("composerMetadataToggle"));
    m_metaToggle->setText(tr("Custom metadata"));
    m_metaToggle->setCheckable(true);
    m_metaToggle->setAutoRaise(true);
    m_metaToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_metaToggle->setArrowType(Qt::RightArrow);
    QFont bold = m_metaToggle->font();
    bold.setBold(true);
    m_metaToggle->setFont(bold);
    auto *metaHint = new QLabel(tr("$correlationId, $causationId, reason, operator and tool are added when appending"),
                                this);
    metaHint->setWordWrap(true);
    metaHint->setForegroundRole(QPalette::PlaceholderText);
    auto *editors = new QWidget(this);
    editors->setObjectName(QStringLiteral("composerEditors"));
    auto *editorsLayout = new QVBoxLayout(editors);
    editorsLayout->setContentsMargins(0, 0, 0, 0);
    editorsLayout->setSpacing(2);
    editorsLayout->addWidget(dataBox, 3);
    editorsLayout->addWidget(m_metaToggle);
    editorsLayout->addWidget(metaHint);
    editorsLayout->addWidget(m_metadata, 1);
    auto fold = [this, metaHint, editorsLayout](bool open) {
        m_metaToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        metaHint->setVisible(open);
        m_metadata->setVisible(open);
        editorsLayout->setStretchFactor(m_metadata, open ? 1 : 0);
    };
    connect(m_metaToggle, &QToolButton::toggled, this, fold);
    fold(false);
    m_corrects = makeLabel("composerCorrects", this);
    m_corrects->setForegroundRole(QPalette::PlaceholderText);
    m_corrects->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_guardLabel = makeLabel("composerGuard", this);
    m_unlock = new QPushButton(tr("Unlock Writes…"), this);
    m_unlock->setObjectName(QStringLiteral("composerUnlock"));
    m_unlock->setToolTip(tr("Writes are off until you unlock them with a reason (it goes into every append)"));
    auto *guardRow = new QHBoxLayout;
    guardRow->setContentsMargins(0, 0, 0, 0);
    guardRow->addWidget(m_guardLabel, 1);
    guardRow->addWidget(m_unlock);
    m_profileLabel = makeLabel("composerProfileLabel", this);
    m_profileName = new QLineEdit(this);
    m_profileName->setObjectName(QStringLiteral("composerProfileName"));
    m_profileName->setPlaceholderText(tr("the profile's name"));

    m_dryRunButton = new QPushButton(tr("Dry Run"), this);
    m_dryRunButton->setObjectName(QStringLiteral("composerDryRun"));
    m_dryRunButton->setToolTip(tr("Fold the draft onto the head and show the state after vs before in the diff pane"));
    m_appendButton = new QPushButton(tr("Append"), this);
    m_appendButton->setObjectName(QStringLiteral("composerAppend"));
    m_savedLabel = makeLabel("composerSaved", this, false);
    m_savedLabel->setForegroundRole(QPalette::PlaceholderText);
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_dryRunButton);
    m_discardButton = new QPushButton(tr("Discard Draft"), this);
    m_discardButton->setObjectName(QStringLiteral("composerDiscard"));
    m_discardButton->setToolTip(tr("Delete this draft from disk (drafts otherwise stay until appended)"));
    buttons->addWidget(m_appendButton);
    buttons->addWidget(m_discardButton);
    buttons->addStretch(1);
    buttons->addWidget(m_savedLabel);
    m_previewLabel = makeLabel("composerPreview", this);
    m_outcome = new AppendOutcomeView(this);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_pin);
    layout->addWidget(m_reducer);
    layout->addLayout(load);
    layout->addWidget(m_general);
    layout->addWidget(m_outcome); // by the pin: what became of the append, what came past the pin
    layout->addLayout(typeRow);
    layout->addWidget(m_typeIssues);
    layout->addWidget(editors, 1);
    layout->addWidget(m_corrects);
    layout->addLayout(guardRow);
    layout->addWidget(m_profileLabel);
    layout->addWidget(m_profileName);
    layout->addLayout(buttons);
    layout->addWidget(m_previewLabel);
    m_stream->setText(tr("No stream: choose an event and Corrections ▸ Correct Like This Event…"));
}

void CorrectionComposer::updatePin()
{
    const CorrectionTargetInfo &t = m_session->target();
    QString text;
    bool warn = false;
    if (m_loading) {
        text = tr("Loading the stream to pin the draft to its head…");
    } else if (!m_hasDraft) {
        text = tr("Not pinned: no draft yet");
    } else if (!m_draft.expected) {
        text = tr("Not pinned: the draft has no expected revision");
        warn = true;
    } else if (m_draft.expected->kind == ExpectedState::Kind::NoStream) {
        text = t.headRevision
            ? tr("Pinned to “no stream”, but the stream exists now (revision %1)").arg(*t.headRevision)
            : tr("Pinned to “no stream”: the stream does not exist yet, the correction creates it");
        warn = t.headRevision.has_value();
    } else {
        const quint64 r = m_draft.expected->revision;
        if (pinnedAtHead())
            text = tr("Pinned to revision %1 — the head you inspected").arg(r);
        else if (t.headRevision)
            text = tr("Pinned to revision %1 — the stream is at revision %2 now: review what came, then re-pin")
                       .arg(r)
                       .arg(*t.headRevision);
        else
            text = tr("Pinned to revision %1 — the stream is gone").arg(r);
        warn = !pinnedAtHead();
    }
    if (t.deleted)
        text += tr(" (the stream is deleted)");
    m_pin->setText(text);
    QFont f = m_pin->font();
    f.setBold(true);
    m_pin->setFont(f);
    m_pin->setStyleSheet(warn ? QStringLiteral("color: #b26a00") : QString());
}

void CorrectionComposer::updateActions()
{
    const WriteGuard *guard = m_session->guard();
    const WriteGuard::State state = guard ? guard->state() : WriteGuard::State::ReadOnlyProfile;
    const bool unlocked = state == WriteGuard::State::Unlocked;
    switch (state) {
    case WriteGuard::State::ReadOnlyProfile:
        m_guardLabel->setText(
            guard && !guard->readOnlyWhy().isEmpty()
                ? tr("Writes are off: %1.").arg(guard->readOnlyReason())
                : tr("Read-only profile: writes cannot be unlocked (edit the profile to allow them)."));
        break;
    case WriteGuard::State::Locked:
        m_guardLabel->setText(tr("Writes are locked: unlock them with a reason to append."));
        break;
    case WriteGuard::State::Unlocked:
        m_guardLabel->setText(tr("Writes unlocked — reason: “%1”").arg(guard->reason()));
        break;
    }
    m_unlock->setVisible(state == WriteGuard::State::Locked);
    const bool needName = unlocked && guard->needsTypedProfileName();
    m_profileLabel->setVisible(needName);
    m_profileName->setVisible(needName);
    if (needName)
        m_profileLabel->setText(tr("Production: type the profile's name (“%1”) to append").arg(guard->profile().name));

    const bool loaded = m_session->target().loaded && !m_loading;
    const bool writing = m_session->isWriting();
    for (QWidget *w : std::initializer_list<QWidget *>{m_type, m_data, m_metadata, m_templateButton})
        w->setEnabled(m_hasDraft && !writing);
    m_dryRunButton->setEnabled(m_hasDraft && loaded && !writing);
    m_discardButton->setEnabled(m_hasDraft && !m_done && !writing);

    QString why;
    if (state == WriteGuard::State::ReadOnlyProfile)
        why = guard ? guard->readOnlyReason() : tr("the profile is read-only");
    else if (!unlocked)
        why = tr("writes are locked");
    else if (!m_hasDraft || !loaded)
        why = tr("there is no draft");
    else if (m_uncertain)
        why = tr("the last answer was lost: check whether it landed first");
    else if (m_repinPending || !pinnedAtHead())
        why = tr("the stream moved on: review the new events and re-pin");
    else if (!dryRunIsCurrent())
        why = tr("run the dry run of the draft as it is now");
    else if (!m_preview->dryRun.canAppend())
        why = tr("the dry run found errors");
    else if (m_done)
        why = tr("this draft is appended");
    else if (writing)
        why = tr("an append is running");
    else if (needName && m_profileName->text().trimmed().isEmpty())
        why = tr("type the profile's name");
    const bool archive = guard && !guard->readOnlyWhy().isEmpty();
    m_appendButton->setText(state == WriteGuard::State::ReadOnlyProfile
                                ? (archive ? tr("Read-Only Archive") : tr("Read-Only Profile"))
                                : !unlocked ? tr("Unlock Writes First")
                                : writing   ? tr("Appending…")
                                            : tr("Append"));
    m_appendButton->setEnabled(why.isEmpty());
    m_appendButton->setToolTip(why.isEmpty() ? tr("Append the draft, pinned to the revision shown above")
                                             : tr("Not now: %1").arg(why));
}

void CorrectionComposer::setSavedDrafts(const QList<EventDraft> &drafts)
{
    m_saved = drafts;
    rebuildDraftsMenu();
}

void CorrectionComposer::rebuildDraftsMenu()
{
    m_draftsMenu->clear();
    for (const EventDraft &d : m_saved) {
        const QString when = d.modified.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        QAction *a = m_draftsMenu->addAction(
            tr("%1 · %2 · edited %3 UTC").arg(d.stream, d.eventType.isEmpty() ? tr("(no type)") : d.eventType, when));
        connect(a, &QAction::triggered, this, [this, d] { openDraft(d); });
    }
    m_draftsButton->setText(tr("Drafts (%1)").arg(m_saved.size()));
    m_draftsButton->setVisible(!m_saved.isEmpty());
}

void CorrectionComposer::rebuildTemplateMenu()
{
    m_templateMenu->clear();
    for (const CorrectionTemplate &t : std::as_const(m_templates)) {
        QAction *a = m_templateMenu->addAction(t.suggested ? tr("%1 (suggested)").arg(t.name) : t.name);
        a->setToolTip(t.description);
        a->setObjectName(QStringLiteral("template:") + t.name);
        connect(a, &QAction::triggered, this, [this, t] { applyTemplate(t); });
    }
    if (m_like) {
        if (!m_templates.isEmpty())
            m_templateMenu->addSeparator();
        const CorrectionTemplate like = likeTemplate();
        QAction *a = m_templateMenu->addAction(like.name);
        a->setObjectName(QStringLiteral("template:like"));
        connect(a, &QAction::triggered, this, [this, like] { applyTemplate(like); });
    }
    if (m_templateMenu->isEmpty())
        m_templateMenu->addAction(tr("No templates: the reducer file declares none"))->setEnabled(false);
}

} // namespace chronoscope
