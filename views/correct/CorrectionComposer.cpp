#include "correct/CorrectionComposer.h"

#include "correct/AppendOutcomeView.h"
#include "correct/JsonDraftEditor.h"
#include "correct/WriteGuard.h"
#include "json/JsonReindent.h"

#include <QComboBox>
#include <QDateTime>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>
#include <algorithm>

namespace chronoscope {

namespace {
constexpr int kValidateDelayMs = 250;

/// A template's JSON on several lines (members in their order, numbers as written), when it is JSON.
QString readable(const QString &json)
{
    if (json.contains(QLatin1Char('\n')) || !QJsonDocument::fromJson(json.toUtf8()).isObject())
        return json;
    return JsonReindent::pretty(json.toUtf8());
}

QString issueLines(const QList<DraftIssue> &issues)
{
    QStringList lines;
    for (const DraftIssue &i : issues)
        lines << JsonDraftEditor::describe(i);
    return lines.join(QLatin1Char('\n'));
}
} // namespace

CorrectionComposer::CorrectionComposer(CorrectionSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_validateTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("correctionComposer"));
    m_validateTimer->setSingleShot(true);
    m_validateTimer->setInterval(kValidateDelayMs);
    connect(m_validateTimer, &QTimer::timeout, this, &CorrectionComposer::requestValidation);
    buildLayout();

    connect(session, &CorrectionSession::loadProgress, this,
            [this](quint64 read) { m_loadBar->setFormat(tr("%L1 events read").arg(read)); });
    connect(session, &CorrectionSession::loadFinished, this, &CorrectionComposer::onLoaded);
    connect(session, &CorrectionSession::targetChanged, this, &CorrectionComposer::onTargetChanged);
    connect(session, &CorrectionSession::validated, this, &CorrectionComposer::onValidated);
    connect(session, &CorrectionSession::dryRunReady, this, &CorrectionComposer::onDryRun);
    connect(session, &CorrectionSession::appendFinished, this, &CorrectionComposer::onAppendFinished);
    connect(session, &CorrectionSession::readBackFinished, this, &CorrectionComposer::onReadBack);
    connect(session, &CorrectionSession::writingChanged, this, [this](bool writing) {
        m_outcome->setBusy(writing);
        updateActions();
    });
    connect(session, &CorrectionSession::draftSaved, this, [this](const QUuid &id, const QString &error) {
        if (id != m_draft.draftId)
            return;
        m_savedLabel->setText(error.isEmpty()
                                  ? tr("Draft saved %1").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")))
                                  : tr("Draft NOT saved: %1").arg(error));
        m_savedLabel->setToolTip(error.isEmpty() ? m_session->drafts()->fileFor(id) : error);
    });
    if (const WriteGuard *guard = session->guard())
        connect(guard, &WriteGuard::changed, this, &CorrectionComposer::updateActions);
    connect(m_cancelLoad, &QPushButton::clicked, session, &CorrectionSession::cancelLoad);
    connect(m_type, &QComboBox::editTextChanged, this, &CorrectionComposer::edited);
    connect(m_data, &JsonDraftEditor::edited, this, &CorrectionComposer::edited);
    connect(m_metadata, &JsonDraftEditor::edited, this, &CorrectionComposer::edited);
    connect(m_profileName, &QLineEdit::textChanged, this, &CorrectionComposer::updateActions);
    connect(m_unlock, &QPushButton::clicked, this, &CorrectionComposer::unlockRequested);
    connect(m_dryRunButton, &QPushButton::clicked, this, &CorrectionComposer::runDryRun);
    connect(m_appendButton, &QPushButton::clicked, this, &CorrectionComposer::append);
    connect(m_discardButton, &QPushButton::clicked, this, &CorrectionComposer::discard);
    connect(m_outcome, &AppendOutcomeView::repinRequested, this, &CorrectionComposer::repin);
    connect(m_outcome, &AppendOutcomeView::readBackRequested, this, [this] { m_session->readBack(m_draft); });
    connect(m_outcome, &AppendOutcomeView::retryRequested, this, &CorrectionComposer::append);
    connect(m_templateMenu, &QMenu::aboutToShow, this, &CorrectionComposer::rebuildTemplateMenu);
    connect(m_draftsMenu, &QMenu::aboutToShow, this, &CorrectionComposer::rebuildDraftsMenu);
    updatePin();
    updateActions();
}

CorrectionComposer::~CorrectionComposer()
{
    if (m_session)
        m_session->flushDraft(); // what was typed is on its way to disk
}

void CorrectionComposer::openNew(const QByteArray &stream, std::optional<ExpectedState> inspected)
{
    m_like.reset();
    startLoad(CorrectionRequest{stream, m_reducerFile, std::nullopt, inspected});
}

void CorrectionComposer::openLike(const QByteArray &stream, quint64 revision, std::optional<ExpectedState> inspected)
{
    m_like.reset();
    startLoad(CorrectionRequest{stream, m_reducerFile, revision, inspected});
}

void CorrectionComposer::openDraft(const EventDraft &draft)
{
    m_like.reset();
    m_openingDraft = draft;
    startLoad(CorrectionRequest{draft.stream.toUtf8(), m_reducerFile, std::nullopt, draft.expected});
}

void CorrectionComposer::startLoad(const CorrectionRequest &request)
{
    m_session->flushDraft();
    m_loading.reset();
    m_session->cancelLoad(); // its answer (cancelled) is not this load's
    if (!m_openingDraft || m_openingDraft->stream.toUtf8() != request.stream)
        m_openingDraft.reset();
    m_loading = request;
    m_hasDraft = false;
    m_done = false;
    m_uncertain = false;
    m_repinPending = false;
    m_preview.reset();
    m_templates.clear();
    m_outcome->clear();
    m_stream->setText(QString::fromUtf8(request.stream));
    m_loadBar->setFormat(tr("Loading…"));
    m_loadBar->setVisible(true);
    m_cancelLoad->setVisible(true);
    m_session->load(request);
    updatePin();
    updateActions();
}

void CorrectionComposer::onLoaded(const CorrectionLoaded &loaded)
{
    if (!m_loading)
        return;
    const CorrectionRequest request = *std::exchange(m_loading, std::nullopt);
    m_loadBar->setVisible(false);
    m_cancelLoad->setVisible(false);
    if (!loaded.ok()) {
        m_general->setText(
            loaded.cancelled
                ? tr("Loading %1 was cancelled: load it again to compose a correction.")
                      .arg(QString::fromUtf8(request.stream))
                : tr("Loading %1 failed: %2").arg(QString::fromUtf8(request.stream), loaded.error.toString()));
        m_general->setVisible(true);
        updatePin();
        updateActions();
        return;
    }
    const CorrectionTargetInfo &target = loaded.target;
    m_reducer->setText(
        target.reducerName.isEmpty()
            ? (target.reducerNote.isEmpty() ? tr("Folded with the merge reducer: no invariants") : target.reducerNote)
            : tr("Folded with %1: its schemas and invariants are checked").arg(target.reducerName));
    m_type->blockSignals(true);
    m_type->clear();
    m_type->addItems(target.knownTypes);
    m_type->blockSignals(false);
    m_templates = loaded.templates;
    m_like = loaded.likeEvent;
    const ExpectedState pin = request.inspected.value_or(target.headExpected);
    if (m_openingDraft) {
        setDraft(*std::exchange(m_openingDraft, std::nullopt));
    } else if (loaded.likeEvent) {
        EventDraft like = EventDraft::likeEvent(*loaded.likeEvent, pin);
        like.data = readable(like.data);
        setDraft(like);
    } else {
        setDraft(EventDraft::create(QString::fromUtf8(request.stream), pin));
    }
    if (!loaded.likeError.isEmpty())
        Q_EMIT statusMessage(loaded.likeError);
    if (!loaded.unseen.isEmpty() && target.headRevision) {
        m_repinPending = true;
        m_outcome->showUnseen(loaded.unseen, pin, *target.headRevision, false);
    }
    updatePin();
    updateActions();
}

void CorrectionComposer::setDraft(const EventDraft &draft)
{
    m_draft = draft;
    m_hasDraft = true;
    m_done = false;
    ++m_editSerial;
    m_preview.reset();
    m_type->blockSignals(true);
    m_type->setEditText(draft.eventType);
    m_type->blockSignals(false);
    m_data->setText(draft.data);
    m_metadata->setText(draft.customMetadata);
    showMetadataIfAny(draft.customMetadata);
    if (!draft.correctsEventId.isNull()) {
        const QString of = m_like
            ? tr(" (%1 at revision %2)").arg(QString::fromUtf8(m_like->type)).arg(m_like->revision)
            : QString();
        m_corrects->setText(tr("Corrects event %1%2; correlation id %3 kept")
                                .arg(draft.correctsEventId.toString(QUuid::WithoutBraces), of,
                                     draft.correlationId.isEmpty() ? tr("(none)") : draft.correlationId));
    } else {
        m_corrects->setText(tr("A new event: it corrects no particular event"));
    }
    m_previewLabel->setText(tr("Run the dry run to see the state after the correction."));
    m_validation = DraftValidation{};
    showIssues(m_validation);
    requestValidation();
    updatePin();
    updateActions();
}

/// After an append succeeded the draft is done; the next edit starts a new one like it (new ids),
/// pinned to the head, which now holds the correction just made.
void CorrectionComposer::startFreshDraft()
{
    EventDraft next = EventDraft::create(m_draft.stream, m_session->target().headExpected);
    next.correctsEventId = m_draft.correctsEventId;
    next.correlationId = m_draft.correlationId;
    next.eventType = m_type->currentText();
    next.data = m_data->text();
    next.customMetadata = m_metadata->text();
    m_draft = next;
    m_done = false;
    m_uncertain = false;
    m_outcome->clear();
}

void CorrectionComposer::edited()
{
    if (!m_hasDraft)
        return;
    if (m_done)
        startFreshDraft();
    m_draft.eventType = m_type->currentText();
    m_draft.data = m_data->text();
    m_draft.customMetadata = m_metadata->text();
    m_draft.touch();
    ++m_editSerial;
    m_session->draftEdited(m_draft);
    m_validateTimer->start();
    if (m_preview)
        m_previewLabel->setText(tr("The draft changed since the dry run: run it again before you append."));
    updateActions();
}

void CorrectionComposer::setDataText(const QString &text)
{
    m_data->editor()->setPlainText(text); // through the editor: an edit like typing
}

CorrectionTemplate CorrectionComposer::likeTemplate() const
{
    CorrectionTemplate like;
    if (!m_like)
        return like;
    const EventDraft d = EventDraft::likeEvent(*m_like, std::nullopt);
    like.name = tr("Like this event (%1, revision %2)").arg(QString::fromUtf8(m_like->type)).arg(m_like->revision);
    like.eventType = QString::fromUtf8(m_like->type);
    like.data = readable(d.data);
    like.customMetadata = d.customMetadata;
    return like;
}

void CorrectionComposer::applyTemplate(const CorrectionTemplate &t)
{
    if (!m_hasDraft)
        return;
    m_type->setEditText(t.eventType);
    m_data->editor()->setPlainText(t.data);
    m_metadata->editor()->setPlainText(t.customMetadata);
    showMetadataIfAny(t.customMetadata);
    edited();
}

void CorrectionComposer::showMetadataIfAny(const QString &metadata)
{
    const QString compact = metadata.simplified().remove(QLatin1Char(' '));
    m_metaToggle->setChecked(!compact.isEmpty() && compact != QLatin1String("{}"));
}

void CorrectionComposer::requestValidation()
{
    m_validateTimer->stop();
    if (m_hasDraft && m_session->target().loaded && !m_loading) {
        m_validatingSerial = m_editSerial;
        m_validateRequest = m_session->validate(checkedDraft());
    }
}

void CorrectionComposer::onValidated(quint64 id, const DraftValidation &validation)
{
    if (id != m_validateRequest || !m_hasDraft)
        return;
    m_validation = validation;
    m_validationSerial = m_validatingSerial;
    showIssues(validation);
    updateActions();
}

void CorrectionComposer::showIssues(const DraftValidation &v)
{
    m_data->setIssues(v.forField(DraftIssue::Field::Data));
    m_metadata->setIssues(v.forField(DraftIssue::Field::Metadata));
    if (!v.forField(DraftIssue::Field::Metadata).isEmpty())
        m_metaToggle->setChecked(true); // an issue is never folded away
    QString schema;
    switch (v.schemaSource) {
    case DraftValidation::SchemaSource::ReducerFile: schema = tr("schema: the reducer file's"); break;
    case DraftValidation::SchemaSource::Inferred:
        schema = tr("schema: inferred from %n event(s) of this type", nullptr, v.inferredFrom);
        break;
    case DraftValidation::SchemaSource::None: schema = tr("no schema for this type"); break;
    }
    const QList<DraftIssue> dataIssues = v.forField(DraftIssue::Field::Data);
    if (std::any_of(dataIssues.cbegin(), dataIssues.cend(),
                    [](const DraftIssue &i) { return i.stage == DraftIssue::Stage::Syntax && i.isError(); }))
        schema = tr("schema not checked yet: the data is not JSON");
    const QString typeIssues = issueLines(v.forField(DraftIssue::Field::EventType));
    m_typeIssues->setText(typeIssues.isEmpty() ? schema : typeIssues);
    m_typeIssues->setProperty("problem", !typeIssues.isEmpty());
    QList<DraftIssue> general = v.forField(DraftIssue::Field::Stream);
    general << v.forField(DraftIssue::Field::ExpectedRevision) << v.forField(DraftIssue::Field::Reason);
    m_general->setText(issueLines(general));
    m_general->setVisible(!general.isEmpty());
}

// While the user has not seen what came past the pin, the draft is checked and previewed against
// the head as it is now (a copy pinned there); the draft itself moves only when the user re-pins.
EventDraft CorrectionComposer::checkedDraft() const
{
    EventDraft d = m_draft;
    if (m_repinPending && m_session->target().loaded)
        d.expected = m_session->target().headExpected;
    return d;
}

bool CorrectionComposer::pinnedAtHead() const
{
    const CorrectionTargetInfo &t = m_session->target();
    return m_hasDraft && t.loaded && m_draft.expected && *m_draft.expected == t.headExpected;
}

bool CorrectionComposer::dryRunIsCurrent() const
{
    return m_preview && m_dryRunSerial == m_editSerial && pinnedAtHead() && !m_repinPending;
}

void CorrectionComposer::runDryRun()
{
    if (!m_hasDraft || !m_session->target().loaded)
        return;
    m_dryRunEditSerial = m_editSerial;
    m_dryRunRequest = m_session->dryRun(checkedDraft());
    m_previewLabel->setText(tr("Dry run…"));
}

void CorrectionComposer::onDryRun(quint64 id, const CorrectionPreview &preview)
{
    if (id != m_dryRunRequest)
        return;
    m_preview = preview;
    m_dryRunSerial = m_dryRunEditSerial;
    const DryRun &d = preview.dryRun;
    if (m_dryRunSerial == m_editSerial) {
        m_validation = d.validation;
        m_validationSerial = m_dryRunSerial;
        showIssues(d.validation);
    }
    const int broken = int(
        std::count_if(d.validation.issues.cbegin(), d.validation.issues.cend(),
                      [](const DraftIssue &i) { return i.stage == DraftIssue::Stage::Invariant && i.isError(); }));
    const QString against = d.expected.kind == ExpectedState::Kind::Revision
        ? tr("revision %1").arg(d.expected.revision)
        : tr("the empty stream");
    QString invariants;
    if (d.validation.invariantsChecked == 0)
        invariants = d.validation.folded ? tr("no invariants to check")
                                         : tr("invariants not checked (fix the errors first)");
    else if (broken == 0)
        invariants = tr("%n invariant(s) checked, none broken", nullptr, d.validation.invariantsChecked);
    else
        invariants = tr("%1 of %n invariant(s) broken", nullptr, d.validation.invariantsChecked).arg(broken);
    const int changes = preview.diff.summary.changes();
    m_previewLabel->setText(
        tr("Dry run against %1: %n change(s) to the state (in the diff pane); %2%3", nullptr, changes)
            .arg(against, invariants,
                 d.canAppend() ? QString() : tr(". It cannot be appended: see the errors above.")));
    Q_EMIT previewReady(preview, tr("Dry run of %1 on %2 at %3").arg(m_draft.eventType, m_draft.stream, against));
    updateActions();
}

void CorrectionComposer::append()
{
    if (!m_hasDraft || m_session->isWriting())
        return;
    if (const WriteGuard *guard = m_session->guard())
        m_draft.reason = guard->reason();
    m_session->flushDraft();
    m_outcome->clear();
    m_session->append(m_draft, m_profileName->text().trimmed());
    updateActions();
}

void CorrectionComposer::onAppendFinished(const AppendOutcome &outcome)
{
    m_outcome->showOutcome(outcome, false);
    m_uncertain = outcome.isUncertain();
    showConflict(outcome);
    if (outcome.isSuccess()) {
        m_done = true;
        m_saved.erase(std::remove_if(m_saved.begin(), m_saved.end(),
                                     [this](const EventDraft &d) { return d.draftId == m_draft.draftId; }),
                      m_saved.end());
        rebuildDraftsMenu();
    }
    if (outcome.kind == AppendOutcome::Kind::RefusedByValidation) {
        m_validation = outcome.validation;
        showIssues(outcome.validation);
    }
    updatePin();
    updateActions();
    Q_EMIT appendFinished(outcome);
}

void CorrectionComposer::showConflict(const AppendOutcome &outcome)
{
    if (outcome.kind != AppendOutcome::Kind::Conflict || !m_session->target().headRevision)
        return;
    // The user sees what came before the draft moves past it; meanwhile it is checked against it.
    m_repinPending = true;
    m_outcome->showUnseen(outcome.newEvents, m_draft.expected.value_or(ExpectedState::noStream()),
                          *m_session->target().headRevision, true);
    ++m_editSerial;
    requestValidation();
    runDryRun();
}

void CorrectionComposer::onReadBack(const AppendOutcome &outcome)
{
    m_outcome->showOutcome(outcome, true);
    m_uncertain = outcome.isUncertain(); // the check itself may go unanswered: check again
    if (outcome.isSuccess())
        m_done = true;
    showConflict(outcome);
    updatePin();
    updateActions();
}

void CorrectionComposer::onTargetChanged(const CorrectionTargetInfo &target, const QList<RecordedEvent> &newEvents)
{
    Q_UNUSED(newEvents);
    Q_UNUSED(target);
    ++m_editSerial; // a preview of the old head is not current
    updatePin();
    updateActions();
}

void CorrectionComposer::discard()
{
    if (!m_hasDraft || m_session->isWriting())
        return;
    m_session->discardDraft(m_draft.draftId);
    m_saved.erase(std::remove_if(m_saved.begin(), m_saved.end(),
                                 [this](const EventDraft &d) { return d.draftId == m_draft.draftId; }),
                  m_saved.end());
    rebuildDraftsMenu();
    m_hasDraft = false;
    m_preview.reset();
    m_outcome->clear();
    m_type->blockSignals(true);
    m_type->setEditText(QString());
    m_type->blockSignals(false);
    m_data->setText(QString());
    m_metadata->setText(QString());
    m_data->setIssues({});
    m_metadata->setIssues({});
    m_savedLabel->setText(tr("Draft discarded"));
    m_previewLabel->clear();
    updatePin();
    updateActions();
}

void CorrectionComposer::repin()
{
    const CorrectionTargetInfo &t = m_session->target();
    if (!m_hasDraft || !t.loaded)
        return;
    m_draft.expected = t.headExpected;
    m_repinPending = false;
    m_draft.touch();
    ++m_editSerial;
    m_session->draftEdited(m_draft);
    m_outcome->markRepinned(t.headRevision.value_or(0));
    requestValidation();
    runDryRun(); // of the draft as it is now pinned: Append waits for it
    updatePin();
    updateActions();
}

} // namespace chronoscope
