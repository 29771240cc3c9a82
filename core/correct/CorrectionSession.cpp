#include "correct/CorrectionSession.h"

#include "client/StreamsClient.h"
#include "correct/CorrectionTarget.h"
#include "correct/DraftTemplates.h"
#include "fold/MergeReducer.h"
#include "script/ReducerFile.h"

#include <QElapsedTimer>

#include <algorithm>

namespace chronoscope {

struct CorrectionSession::Worker
{
    std::unique_ptr<CorrectionTarget> target;
    CorrectionTargetInfo base; ///< what the load decided: reducer name, note, id key
};

namespace {

CorrectionTargetInfo describe(const CorrectionTarget &target, const CorrectionTargetInfo &base)
{
    CorrectionTargetInfo info = base;
    info.stream = target.stream();
    info.loaded = true;
    info.headRevision = target.headRevision();
    info.headExpected = target.headExpected();
    info.deleted = target.isDeleted();
    info.eventCount = target.eventCount();
    info.knownTypes = target.knownTypes();
    info.headState = target.headState();
    return info;
}

/// The reducer for a target: the file's when it loads and applies to the stream, else the merge
/// reducer (so that a dry run still shows the state's change); `base` says which and why.
std::unique_ptr<engine::Reducer> makeReducer(const CorrectionRequest &request,
                                             std::shared_ptr<const engine::ReducerFile> *file,
                                             CorrectionTargetInfo *base)
{
    auto merge = [] { return std::make_unique<engine::MergeReducer>(); };
    if (request.reducerFile.isEmpty())
        return merge();
    engine::ReducerFile::LoadError error;
    std::optional<engine::ReducerFile> loaded = engine::ReducerFile::load(request.reducerFile, &error);
    if (!loaded) {
        base->reducerNote = QObject::tr("The reducer file did not load (%1): no invariants, the merge reducer folds")
                                .arg(error.toString());
        return merge();
    }
    if (!loaded->appliesToStream(request.stream)) {
        base->reducerNote = QObject::tr("%1 does not apply to %2: no invariants, the merge reducer folds")
                                .arg(loaded->name(), QString::fromUtf8(request.stream));
        return merge();
    }
    std::unique_ptr<engine::Reducer> reducer = loaded->createReducer(&error, merge);
    if (!reducer) {
        base->reducerNote = QObject::tr("The reducer of %1 did not build (%2): the merge reducer folds")
                                .arg(loaded->name(), error.toString());
        return merge();
    }
    base->reducerName = loaded->name();
    base->arrayIdKey = loaded->arrayIdKey();
    *file = std::make_shared<const engine::ReducerFile>(std::move(*loaded));
    return reducer;
}

/// Events after `inspected` (what the user has not seen), at most `max`.
QList<RecordedEvent> eventsAfter(const StreamsClient &client, const QByteArray &stream, const ExpectedState &inspected,
                                 int max, ClientError *error)
{
    ReadRequest request = ReadRequest::forStream(stream);
    if (inspected.kind == ExpectedState::Kind::Revision)
        request.fromRevision(inspected.revision + 1);
    request.count(quint64(max));
    const ReadResult read = client.readAll(request);
    QList<RecordedEvent> out;
    if (read.error && read.error.kind != ClientError::Kind::StreamNotFound)
        *error = read.error;
    for (const ResolvedEvent &e : read.events)
        if (e.event)
            out << *e.event;
    return out;
}

/// The reducer file's templates that fit the stream (and the corrected event, when there is one),
/// filled in; those made for the corrected event's type first: the natural correction.
QList<CorrectionTemplate> templatesFor(const engine::ReducerFile &file, const QByteArray &stream,
                                       const std::optional<RecordedEvent> &source, const ExpectedState &pin)
{
    const RecordedEvent *from = source ? &*source : nullptr;
    QList<CorrectionTemplate> out;
    for (const engine::ReducerTemplate &t : DraftTemplates::applicable(file, stream, from)) {
        const DraftTemplates::Instantiated made = DraftTemplates::instantiate(t, QString::fromUtf8(stream), pin, from);
        CorrectionTemplate c;
        c.name = t.name;
        c.description = t.description;
        if (!made.missing.isEmpty())
            c.description += QLatin1Char('\n')
                + QObject::tr("Not filled in: %1").arg(made.missing.join(QStringLiteral("; ")));
        c.eventType = QString::fromUtf8(t.eventType);
        c.data = made.draft.data;
        c.customMetadata = made.draft.customMetadata;
        c.suggested = from && !t.from.isEmpty();
        out << c;
    }
    std::stable_partition(out.begin(), out.end(), [](const CorrectionTemplate &c) { return c.suggested; });
    return out;
}

bool headIsPast(const std::optional<quint64> &head, const ExpectedState &inspected)
{
    if (!head)
        return false;
    if (inspected.kind == ExpectedState::Kind::NoStream)
        return true;
    return inspected.kind == ExpectedState::Kind::Revision && *head > inspected.revision;
}

} // namespace

CorrectionSession::CorrectionSession(std::shared_ptr<const StreamsClient> client, const AuditLog *auditLog,
                                     const WriteGuard *guard, const DraftStore *drafts, const AuditOperator &op,
                                     QObject *parent)
    : QObject(parent)
    , m_client(std::move(client))
    , m_auditLog(auditLog)
    , m_guard(guard)
    , m_drafts(drafts)
    , m_operator(op)
    , m_worker(std::make_unique<Worker>())
    , m_closing(std::make_shared<std::atomic<bool>>(false))
{
    m_thread.setObjectName(QStringLiteral("CorrectionSession"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_thread.start();
    m_savePool.setMaxThreadCount(1);
    m_autosave.setSingleShot(true);
    m_autosave.setInterval(kAutosaveDelayMs);
    connect(&m_autosave, &QTimer::timeout, this, &CorrectionSession::flushDraft);
}

CorrectionSession::~CorrectionSession()
{
    flushDraft();
    m_closing->store(true); // the work still queued is skipped…
    if (m_loadCancel)
        m_loadCancel->cancel();
    // …but not this: the target's script engine ends in the thread that made it. Not as a queued call:
    // quit() may end the thread's event loop before it runs one (the target was then destroyed here,
    // its SpiderMonkey context leaked, and the process crashed at exit). `finished` is emitted by the
    // thread itself, right before it ends.
    connect(
        &m_thread, &QThread::finished, m_context, [worker = m_worker.get()] { worker->target.reset(); },
        Qt::DirectConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_context; // its thread has ended
    m_worker.reset();
    m_savePool.waitForDone();
}

void CorrectionSession::setClient(std::shared_ptr<const StreamsClient> client, const AuditOperator &op)
{
    cancelLoad();
    m_client = std::move(client);
    m_operator = op;
    m_target = CorrectionTargetInfo{};
    post([](Worker &w) {
        w.target.reset();
        w.base = CorrectionTargetInfo{};
    });
}

void CorrectionSession::post(std::function<void(Worker &)> work)
{
    Worker *worker = m_worker.get();
    QMetaObject::invokeMethod(
        m_context,
        [work = std::move(work), worker, closing = m_closing] {
            if (!closing->load())
                work(*worker);
        },
        Qt::QueuedConnection);
}

void CorrectionSession::reply(std::function<void()> fn)
{
    QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection);
}

void CorrectionSession::load(const CorrectionRequest &request)
{
    cancelLoad();
    auto cancel = std::make_shared<Cancellation>();
    m_loadCancel = cancel;
    m_loading = true;
    const quint64 serial = ++m_loadSerial;
    Q_EMIT loadStarted(request.stream);
    post([this, request, cancel, serial, client = m_client](Worker &w) {
        CorrectionLoaded out;
        w.target.reset();
        w.base = CorrectionTargetInfo{};
        w.base.stream = request.stream;
        std::shared_ptr<const engine::ReducerFile> file;
        std::unique_ptr<engine::Reducer> reducer = makeReducer(request, &file, &w.base);
        out.target = w.base;
        if (!client) {
            out.error = ClientError::protocol(tr("Not connected"));
        } else if (!cancel->isCancelled()) {
            auto target = std::make_unique<CorrectionTarget>(request.stream, file, std::move(reducer));
            QElapsedTimer sinceReport;
            sinceReport.start();
            const CorrectionTarget::CatchUp up = target->catchUp(*client, cancel,
                                                                 [this, &sinceReport, serial](quint64 read) {
                                                                     if (sinceReport.elapsed() < 100)
                                                                         return;
                                                                     sinceReport.restart();
                                                                     reply([this, read, serial] {
                                                                         if (serial == m_loadSerial)
                                                                             Q_EMIT loadProgress(read);
                                                                     });
                                                                 });
            out.error = up.error;
            out.cancelled = up.cancelled || cancel->isCancelled();
            if (out.ok()) {
                out.target = describe(*target, w.base);
                w.target = std::move(target);
                if (request.likeRevision) {
                    const ReadResult read = client->readAll(
                        ReadRequest::forStream(request.stream).fromRevision(*request.likeRevision).count(1));
                    if (!read.events.isEmpty() && read.events.constFirst().event
                        && read.events.constFirst().event->revision == *request.likeRevision)
                        out.likeEvent = *read.events.constFirst().event;
                    else
                        out.likeError = read.error ? read.error.toString()
                                                   : tr("%1 has no event at revision %2")
                                                         .arg(QString::fromUtf8(request.stream))
                                                         .arg(*request.likeRevision);
                }
                if (const engine::ReducerFile *file = w.target->reducerFile())
                    out.templates = templatesFor(*file, request.stream, out.likeEvent,
                                                 request.inspected.value_or(out.target.headExpected));
                if (request.inspected && headIsPast(out.target.headRevision, *request.inspected)) {
                    ClientError error;
                    out.unseen = eventsAfter(*client, request.stream, *request.inspected, kMaxUnseen, &error);
                    if (error)
                        out.error = error;
                }
            }
        }
        reply([this, out, serial] {
            if (serial != m_loadSerial)
                return; // a later load replaced it
            m_loading = false;
            if (out.ok())
                m_target = out.target;
            Q_EMIT loadFinished(out);
        });
    });
}

void CorrectionSession::cancelLoad()
{
    if (m_loadCancel)
        m_loadCancel->cancel();
    if (m_loading) {
        m_loading = false;
        CorrectionLoaded out;
        out.target.stream = m_target.stream;
        out.cancelled = true;
        ++m_loadSerial; // the worker's answer is stale now
        Q_EMIT loadFinished(out);
    }
}

quint64 CorrectionSession::validate(const EventDraft &draft)
{
    const quint64 id = ++m_nextRequest;
    m_latestValidate.store(id);
    post([this, id, draft, client = m_client, op = m_operator, snapshot = guardSnapshot()](Worker &w) {
        if (m_latestValidate.load() != id)
            return; // a newer edit is queued behind
        DraftValidation validation;
        if (w.target) {
            const std::unique_ptr<WriteGuard> guard = snapshot.make();
            const Corrector corrector(client.get(), m_auditLog, guard.get(), op);
            validation = corrector.validate(draft, *w.target);
        } else {
            DraftIssue issue;
            issue.stage = DraftIssue::Stage::Draft;
            issue.field = DraftIssue::Field::Stream;
            issue.message = tr("the stream is not loaded yet");
            validation.issues << issue;
        }
        reply([this, id, validation] {
            if (id == m_latestValidate.load())
                Q_EMIT validated(id, validation);
        });
    });
    return id;
}

quint64 CorrectionSession::dryRun(const EventDraft &draft)
{
    const quint64 id = ++m_nextRequest;
    m_latestDryRun.store(id);
    post([this, id, draft, client = m_client, op = m_operator, snapshot = guardSnapshot()](Worker &w) {
        if (m_latestDryRun.load() != id)
            return;
        CorrectionPreview preview;
        if (w.target) {
            const std::unique_ptr<WriteGuard> guard = snapshot.make();
            const Corrector corrector(client.get(), m_auditLog, guard.get(), op);
            preview.dryRun = corrector.dryRun(draft, *w.target);
            const engine::DiffOptions options = w.base.arrayIdKey.isEmpty()
                ? engine::DiffOptions::byIndex()
                : engine::DiffOptions::byId({w.base.arrayIdKey});
            preview.diff = engine::JsonDiff::diff(preview.dryRun.before, preview.dryRun.after, options);
        } else {
            DraftIssue issue;
            issue.field = DraftIssue::Field::Stream;
            issue.message = tr("the stream is not loaded yet");
            preview.dryRun.validation.issues << issue;
        }
        reply([this, id, preview] {
            if (id == m_latestDryRun.load())
                Q_EMIT dryRunReady(id, preview);
        });
    });
    return id;
}

CorrectionSession::GuardSnapshot CorrectionSession::guardSnapshot() const
{
    GuardSnapshot s;
    if (m_guard) {
        s.profile = m_guard->profile();
        s.reason = m_guard->isUnlocked() ? m_guard->reason() : QString();
    }
    return s;
}

std::unique_ptr<WriteGuard> CorrectionSession::GuardSnapshot::make() const
{
    auto guard = std::make_unique<WriteGuard>(profile);
    if (!reason.isEmpty())
        guard->unlock(reason);
    return guard;
}

void CorrectionSession::setWriting(int delta)
{
    const bool was = m_writing > 0;
    m_writing += delta;
    if (was != (m_writing > 0))
        Q_EMIT writingChanged(m_writing > 0);
}

void CorrectionSession::append(const EventDraft &draft, const QString &typedProfileName)
{
    // The guard as it is now, copied for the worker (the GUI may lock it meanwhile: this append was
    // authorized when it was asked for, and the Corrector checks the copy).
    setWriting(+1);
    post([this, draft, typedProfileName, snapshot = guardSnapshot(), client = m_client, op = m_operator](Worker &w) {
        const std::unique_ptr<WriteGuard> guard = snapshot.make();
        AppendOutcome outcome;
        CorrectionTargetInfo info;
        QList<RecordedEvent> newEvents;
        bool moved = false;
        if (!w.target) {
            outcome.kind = AppendOutcome::Kind::Error;
            outcome.message = tr("The stream is not loaded: nothing was appended.");
        } else {
            const Corrector corrector(client.get(), m_auditLog, guard.get(), op);
            AppendOptions options;
            options.typedProfileName = typedProfileName;
            const std::optional<quint64> before = w.target->headRevision();
            outcome = corrector.append(draft, *w.target, options);
            newEvents = outcome.newEvents;
            if (outcome.isSuccess() && client) {
                // The appended event is the head now (the target may already know it).
                const CorrectionTarget::CatchUp up = w.target->catchUp(*client);
                newEvents << up.newEvents;
            }
            moved = w.target->headRevision() != before;
            info = describe(*w.target, w.base);
        }
        reply([this, outcome, draft, info, newEvents, moved] {
            onWriteOutcome(outcome, draft, false, info, newEvents, moved);
        });
    });
}

void CorrectionSession::readBack(const EventDraft &draft)
{
    setWriting(+1);
    post([this, draft, client = m_client, op = m_operator, snapshot = guardSnapshot()](Worker &w) {
        AppendOutcome outcome;
        CorrectionTargetInfo info;
        bool moved = false;
        if (!w.target) {
            outcome.kind = AppendOutcome::Kind::Error;
            outcome.message = tr("The stream is not loaded.");
        } else {
            const std::unique_ptr<WriteGuard> guard = snapshot.make();
            const Corrector corrector(client.get(), m_auditLog, guard.get(), op);
            const std::optional<quint64> before = w.target->headRevision();
            outcome = corrector.readBack(draft, *w.target);
            if (client && outcome.kind != AppendOutcome::Kind::NotAppended)
                w.target->catchUp(*client);
            moved = w.target->headRevision() != before;
            info = describe(*w.target, w.base);
        }
        reply([this, outcome, draft, info, moved] {
            onWriteOutcome(outcome, draft, true, info, outcome.newEvents, moved);
        });
    });
}

void CorrectionSession::onWriteOutcome(const AppendOutcome &outcome, const EventDraft &draft, bool readBack,
                                       const CorrectionTargetInfo &target, const QList<RecordedEvent> &newEvents,
                                       bool moved)
{
    if (target.loaded)
        m_target = target;
    if (outcome.isSuccess()) {
        // Appended: the draft has done its work. Nothing saves it again, whatever edits were pending.
        m_finished.insert(draft.draftId);
        if (m_pendingSave && m_pendingSave->draftId == draft.draftId)
            m_pendingSave.reset();
        discardDraft(draft.draftId);
    }
    if (moved)
        Q_EMIT targetChanged(m_target, newEvents);
    setWriting(-1);
    if (readBack)
        Q_EMIT readBackFinished(outcome);
    else
        Q_EMIT appendFinished(outcome);
}

} // namespace chronoscope
