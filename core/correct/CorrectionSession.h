#pragma once

#include "correct/AuditEntry.h"
#include "correct/Corrector.h"
#include "correct/DraftStore.h"
#include "correct/WriteGuard.h"
#include "json/JsonDiff.h"
#include "model/ClientError.h"
#include "model/Types.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>

namespace chronoscope {

class AuditLog;
class StreamsClient;

/// What the GUI thread knows of the target stream (a copy: the target itself lives in the worker).
struct CorrectionTargetInfo
{
    QByteArray stream;
    bool loaded = false;
    std::optional<quint64> headRevision; ///< none: the stream does not exist
    ExpectedState headExpected = ExpectedState::noStream();
    bool deleted = false;
    quint64 eventCount = 0;
    QStringList knownTypes; ///< most recent first
    QString reducerName;    ///< the reducer file folding the state; empty: the merge reducer
    QString reducerNote;    ///< why the reducer file is not used (does not apply, failed to load)
    QString arrayIdKey;     ///< the reducer file's, for the dry run's diff
    QJsonValue headState;   ///< the state at the head
};

/// What to load: the stream, the reducer file, and what the user inspected.
struct CorrectionRequest
{
    QByteArray stream;
    QString reducerFile;                    ///< path of a *.reducer.json; empty: the merge reducer
    std::optional<quint64> likeRevision;    ///< "like this event": read the event at this revision
    std::optional<ExpectedState> inspected; ///< the head the user inspected; none: the head as loaded
};

/// A starting point for a draft: a per-type template of the reducer file, or "like this event".
struct CorrectionTemplate
{
    QString name;        ///< what the menu says
    QString description; ///< a line more
    QString eventType;
    QString data;           ///< JSON text
    QString customMetadata; ///< JSON text; empty: none
    bool suggested = false; ///< the natural correction of the corrected event (offered first)
};

/// A load's end: the target, and what the user has not seen yet.
struct CorrectionLoaded
{
    CorrectionTargetInfo target;
    ClientError error;
    bool cancelled = false;
    std::optional<RecordedEvent> likeEvent; ///< the event asked for by likeRevision, when found
    QString likeError;                      ///< why it was not
    QList<CorrectionTemplate> templates;    ///< the reducer file's, filled from likeEvent when there is one
    /// Events after the inspected revision (someone appended since the user looked): at most
    /// kMaxUnseen, oldest first. The user sees them before a draft is pinned past them.
    QList<RecordedEvent> unseen;
    bool ok() const { return !error && !cancelled; }
};

/// A dry run and its state diff (computed in the worker, for the diff pane).
struct CorrectionPreview
{
    DryRun dryRun;
    engine::DiffResult diff;
};

/// The composer's write path, off the GUI thread (F9): one CorrectionTarget and one Corrector in ONE
/// worker thread (the target and its script reducer are single-threaded), requests queued to it,
/// answers as signals on the owner's thread. The GUI never waits.
///
/// - load(): reads the stream into a fresh target (progress, cancel).
/// - validate() / dryRun(): latest request wins — a request older than the latest of its kind is
///   skipped in the worker, and its answer dropped if it was already running. Every answer carries
///   the id its request returned, so the caller can tell whether it is current.
/// - append() / readBack(): never dropped, run in order. A conflict catches the target up
///   (targetChanged()); so does a success (the appended event becomes the head).
/// - Drafts: draftEdited() autosaves through the DraftStore, debounced, in a save thread of its own
///   (one at a time, in order); an appended draft (Appended / AlreadyAppended) is removed.
///
/// The write guard is read on the owner's thread at each append and handed to the worker as a copy,
/// so the worker never reads an object the GUI is changing.
class CorrectionSession : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxUnseen = 100;
    static constexpr int kAutosaveDelayMs = 400;

    /// `auditLog`, `guard` and `drafts` are not owned and must outlive the session. `client` may be
    /// null until setClient().
    CorrectionSession(std::shared_ptr<const StreamsClient> client, const AuditLog *auditLog, const WriteGuard *guard,
                      const DraftStore *drafts, const AuditOperator &op, QObject *parent = nullptr);
    ~CorrectionSession() override;

    /// A new connection (the target is dropped: load again).
    void setClient(std::shared_ptr<const StreamsClient> client, const AuditOperator &op);
    const WriteGuard *guard() const { return m_guard; }
    const DraftStore *drafts() const { return m_drafts; }

    void load(const CorrectionRequest &request);
    void cancelLoad();
    bool isLoading() const { return m_loading; }
    /// The target as last reported (loadFinished() / targetChanged()).
    const CorrectionTargetInfo &target() const { return m_target; }

    /// Returns the request's id (validated() / dryRunReady() carry it).
    quint64 validate(const EventDraft &draft);
    quint64 dryRun(const EventDraft &draft);
    quint64 latestValidation() const { return m_latestValidate.load(); }
    quint64 latestDryRun() const { return m_latestDryRun.load(); }

    /// Appends through the Corrector (guard → pinned → validation → audit → call → audit).
    void append(const EventDraft &draft, const QString &typedProfileName = {});
    /// After an uncertain outcome: does the stream hold the draft's event? (readBackFinished())
    void readBack(const EventDraft &draft);
    bool isWriting() const { return m_writing > 0; }

    /// The user edited `draft`: it is saved after kAutosaveDelayMs without another edit.
    void draftEdited(const EventDraft &draft);
    /// Saves the pending edit now (closing the composer, quitting); returns at once.
    void flushDraft();
    /// Deletes a draft (discarded by the user).
    void discardDraft(const QUuid &draftId);
    /// Lists the drafts on disk (draftsListed()): what a crash or restart left.
    void listDrafts();

Q_SIGNALS:
    void loadStarted(const QByteArray &stream);
    void loadProgress(quint64 eventsRead);
    void loadFinished(const chronoscope::CorrectionLoaded &loaded);
    /// The target moved (a conflict's catch-up, an append): the new head, and the events that came.
    void targetChanged(const chronoscope::CorrectionTargetInfo &target,
                       const QList<chronoscope::RecordedEvent> &newEvents);
    void validated(quint64 requestId, const chronoscope::DraftValidation &validation);
    void dryRunReady(quint64 requestId, const chronoscope::CorrectionPreview &preview);
    void writingChanged(bool writing);
    void appendFinished(const chronoscope::AppendOutcome &outcome);
    void readBackFinished(const chronoscope::AppendOutcome &outcome);
    /// A draft was saved (error empty) or could not be (error says why).
    void draftSaved(const QUuid &draftId, const QString &error);
    void draftsListed(const chronoscope::DraftStore::Listing &listing);

private:
    struct Worker;
    /// The write guard as the owner's thread sees it, rebuilt in the worker as a guard of its own.
    struct GuardSnapshot
    {
        WriteProfile profile;
        QString reason; ///< empty: locked
        std::unique_ptr<WriteGuard> make() const;
    };
    GuardSnapshot guardSnapshot() const;
    /// Runs `work` in the worker thread, in order.
    void post(std::function<void(Worker &)> work);
    /// Runs `fn` on the owner's thread (unless the session is gone).
    void reply(std::function<void()> fn);
    void saveInBackground(const EventDraft &draft);
    void setWriting(int delta);
    void onWriteOutcome(const AppendOutcome &outcome, const EventDraft &draft, bool readBack,
                        const CorrectionTargetInfo &target, const QList<RecordedEvent> &newEvents, bool moved);

    std::shared_ptr<const StreamsClient> m_client;
    const AuditLog *m_auditLog;
    const WriteGuard *m_guard;
    const DraftStore *m_drafts;
    AuditOperator m_operator;

    QThread m_thread;
    QObject *m_context = nullptr;     ///< lives in m_thread: work is queued to it
    std::unique_ptr<Worker> m_worker; ///< touched only in m_thread
    std::shared_ptr<std::atomic<bool>> m_closing;
    CancellationPtr m_loadCancel;
    bool m_loading = false;
    quint64 m_loadSerial = 0;
    int m_writing = 0;
    std::atomic<quint64> m_latestValidate{0};
    std::atomic<quint64> m_latestDryRun{0};
    quint64 m_nextRequest = 0;
    CorrectionTargetInfo m_target;

    QThreadPool m_savePool; ///< one thread: saves and removals in order
    QTimer m_autosave;
    std::optional<EventDraft> m_pendingSave;
    QSet<QUuid> m_finished; ///< drafts appended: never saved again
};

} // namespace chronoscope
