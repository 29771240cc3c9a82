#pragma once

#include "correct/CorrectionSession.h"
#include "correct/EventDraft.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QTimer;
class QToolButton;

namespace chronoscope {

class AppendOutcomeView;
class JsonDraftEditor;

/// The composer of a corrective event (F9): the target stream and the revision the draft is pinned
/// to, said plainly; the event type (the stream's types, or a new one); data and custom-metadata
/// JSON editors, validated as the user types with each issue at its field; templates; Dry run
/// (the diff goes to the diff pane through previewReady()); Append, enabled only when writes are
/// unlocked, the dry run is of the draft as it is now against the head it is pinned to, and has no
/// errors; the outcome in plain words. Every edit autosaves the draft.
///
/// It works through a CorrectionSession (never blocks) and reads the session's WriteGuard; unlocking
/// is someone else's dialog (unlockRequested()).
class CorrectionComposer : public QWidget
{
    Q_OBJECT
public:
    explicit CorrectionComposer(CorrectionSession *session, QWidget *parent = nullptr);
    ~CorrectionComposer() override;

    /// The reducer file the target folds with (the fold's, so the state matches the state pane).
    void setReducerFile(const QString &path) { m_reducerFile = path; }
    QString reducerFile() const { return m_reducerFile; }

    /// A new, empty draft for `stream`, pinned to `inspected` (none: the head as loaded now).
    void openNew(const QByteArray &stream, std::optional<ExpectedState> inspected = std::nullopt);
    /// A draft "like" the event at `revision` of `stream`: its type, data and metadata as a template,
    /// its id as the corrected event, its correlation id kept; pinned to `inspected`.
    void openLike(const QByteArray &stream, quint64 revision, std::optional<ExpectedState> inspected = std::nullopt);
    /// A saved draft (after a crash or restart), exactly as it was.
    void openDraft(const EventDraft &draft);
    /// Drafts found on disk, offered in the Drafts menu.
    void setSavedDrafts(const QList<EventDraft> &drafts);
    QList<EventDraft> savedDrafts() const { return m_saved; }

    bool hasDraft() const { return m_hasDraft; }
    const EventDraft &draft() const { return m_draft; }
    CorrectionSession *session() const { return m_session; }
    /// The last validation shown, and whether the dry run is current (of this draft at this head).
    const DraftValidation &validation() const { return m_validation; }
    bool dryRunIsCurrent() const;
    /// The validation shown is of the draft as it is now.
    bool validationIsCurrent() const { return m_hasDraft && m_validationSerial == m_editSerial; }
    const std::optional<CorrectionPreview> &preview() const { return m_preview; }
    const QList<CorrectionTemplate> &templates() const { return m_templates; }
    /// Applies a template (type, data, metadata) to the draft as an edit.
    void applyTemplate(const CorrectionTemplate &t);
    /// The user's edit, as if typed (for scripted runs and tests).
    void setDataText(const QString &text);

    QLabel *streamLabel() const { return m_stream; }
    QLabel *pinLabel() const { return m_pin; }
    QLabel *reducerLabel() const { return m_reducer; }
    QComboBox *typeBox() const { return m_type; }
    QLabel *typeIssuesLabel() const { return m_typeIssues; }
    QLabel *generalIssuesLabel() const { return m_general; }
    JsonDraftEditor *dataEditor() const { return m_data; }
    JsonDraftEditor *metadataEditor() const { return m_metadata; }
    /// Shows or folds the custom-metadata editor (open when the draft has some, or issues there).
    QToolButton *metadataToggle() const { return m_metaToggle; }
    QToolButton *templateButton() const { return m_templateButton; }
    QMenu *templateMenu() const { return m_templateMenu; }
    QToolButton *draftsButton() const { return m_draftsButton; }
    QLabel *guardLabel() const { return m_guardLabel; }
    QPushButton *unlockButton() const { return m_unlock; }
    QLineEdit *profileNameEdit() const { return m_profileName; }
    QPushButton *dryRunButton() const { return m_dryRunButton; }
    QPushButton *discardButton() const { return m_discardButton; }
    QPushButton *appendButton() const { return m_appendButton; }
    QLabel *previewLabel() const { return m_previewLabel; }
    QLabel *savedLabel() const { return m_savedLabel; }
    QProgressBar *loadBar() const { return m_loadBar; }
    QPushButton *cancelLoadButton() const { return m_cancelLoad; }
    AppendOutcomeView *outcomeView() const { return m_outcome; }

public Q_SLOTS:
    void runDryRun();
    void append();
    /// Pins the draft to the stream's head (after the user has seen the events that came).
    void repin();
    /// The user gives the draft up: it is deleted from disk and the composer is empty.
    void discard();

Q_SIGNALS:
    /// The write guard is locked: the user asked to unlock writes (the app's dialog).
    void unlockRequested();
    /// A dry run's state diff, for the diff pane.
    void previewReady(const chronoscope::CorrectionPreview &preview, const QString &title);
    /// An append ended (Appended, Already appended, Conflict, an error).
    void appendFinished(const chronoscope::AppendOutcome &outcome);
    /// A message for the status bar.
    void statusMessage(const QString &message);

private:
    void buildLayout(); // CorrectionComposerLayout.cpp
    void startFreshDraft();
    void startLoad(const CorrectionRequest &request);
    void onLoaded(const CorrectionLoaded &loaded);
    void onTargetChanged(const CorrectionTargetInfo &target, const QList<RecordedEvent> &newEvents);
    void onValidated(quint64 id, const DraftValidation &validation);
    void onDryRun(quint64 id, const CorrectionPreview &preview);
    void onAppendFinished(const AppendOutcome &outcome);
    void onReadBack(const AppendOutcome &outcome);
    /// After a conflict: lists what came past the pin and checks the draft against the new head.
    void showConflict(const AppendOutcome &outcome);
    void setDraft(const EventDraft &draft);
    void edited();
    void requestValidation();
    void showIssues(const DraftValidation &validation);
    void rebuildTemplateMenu();
    void rebuildDraftsMenu();
    void updatePin();
    void updateActions();
    bool pinnedAtHead() const;
    EventDraft checkedDraft() const;
    void showMetadataIfAny(const QString &metadata);
    /// "Like this event": the corrected event's type, data and metadata (empty without one).
    CorrectionTemplate likeTemplate() const;

    QPointer<CorrectionSession> m_session;
    QString m_reducerFile;
    EventDraft m_draft;
    bool m_hasDraft = false;
    std::optional<RecordedEvent> m_like;
    QList<CorrectionTemplate> m_templates;
    QList<EventDraft> m_saved;
    std::optional<CorrectionRequest> m_loading;
    std::optional<EventDraft> m_openingDraft; ///< openDraft(): shown as soon as its stream is loaded
    quint64 m_editSerial = 0;
    quint64 m_dryRunSerial = 0; ///< the edit the current preview is of
    quint64 m_dryRunRequest = 0;
    quint64 m_validateRequest = 0;
    quint64 m_validatingSerial = 0; ///< the edit the running validation is of
    quint64 m_validationSerial = 0; ///< the edit the shown validation is of
    quint64 m_dryRunEditSerial = 0; ///< the edit the running dry run is of
    DraftValidation m_validation;
    std::optional<CorrectionPreview> m_preview;
    bool m_done = false;
    bool m_uncertain = false; ///< the last answer was lost: check whether it landed before anything else         ///<
                              ///< the draft was appended: the next edit starts a new one
    bool m_repinPending = false; ///< events came past the pin: the user must re-pin first
    QTimer *m_validateTimer;

    QLabel *m_stream;
    QLabel *m_pin;
    QLabel *m_reducer;
    QLabel *m_general;
    QProgressBar *m_loadBar;
    QPushButton *m_cancelLoad;
    QToolButton *m_draftsButton;
    QMenu *m_draftsMenu;
    QComboBox *m_type;
    QLabel *m_typeIssues;
    QToolButton *m_templateButton;
    QMenu *m_templateMenu;
    JsonDraftEditor *m_data;
    JsonDraftEditor *m_metadata;
    QToolButton *m_metaToggle;
    QLabel *m_corrects;
    QLabel *m_guardLabel;
    QPushButton *m_unlock;
    QLabel *m_profileLabel;
    QLineEdit *m_profileName;
    QPushButton *m_dryRunButton;
    QPushButton *m_discardButton;
    QPushButton *m_appendButton;
    QLabel *m_previewLabel;
    QLabel *m_savedLabel;
    AppendOutcomeView *m_outcome;
};

} // namespace chronoscope
