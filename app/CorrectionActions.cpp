#include "CorrectionActions.h"

#include "InspectorDocks.h"
#include "MainWindow.h"
#include "StateDocks.h"
#include "Workspace.h"
#include "correct/AppendOutcomeView.h"
#include "correct/CorrectionComposer.h"
#include "events/EventListView.h"
#include "inspector/EventInspector.h"
#include "state/DiffPane.h"
#include "timeline/TimelineIndex.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QScrollArea>
#include <QToolButton>

namespace chronoscope {

CorrectionActions::CorrectionActions(MainWindow *window, Workspace *workspace, const Panes &panes, QMenu *menu)
    : QObject(window)
    , m_window(window)
    , m_workspace(workspace)
    , m_panes(panes)
    , m_session(new CorrectionSession(workspace->client(), workspace->auditLog(), workspace->writeGuard(),
                                      workspace->drafts(), workspace->auditOperator(), this))
    , m_composer(new CorrectionComposer(m_session))
    , m_dock(new QDockWidget(tr("Correction"), window))
    , m_new(new QAction(tr("&New Correction…"), this))
    , m_like(new QAction(tr("Correct &Like This Event…"), this))
{
    m_dock->setObjectName(QStringLiteral("composerDock"));
    // Scrolls rather than squeezes its editors when the dock is short.
    auto *scroll = new QScrollArea(m_dock);
    scroll->setObjectName(QStringLiteral("composerScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_composer);
    m_dock->setWidget(scroll);
    m_new->setObjectName(QStringLiteral("newCorrectionAction"));
    m_new->setToolTip(tr("Compose a corrective event for the stream on the timeline"));
    m_like->setObjectName(QStringLiteral("correctLikeAction"));
    m_like->setIconText(tr("Correct…")); // the inspector's button: its bar must stay narrow
    m_like->setToolTip(tr("Compose a corrective event like the event at the cursor: its type, data and metadata as "
                          "a template, pinned to the stream's head as loaded"));
    menu->addAction(m_new);
    menu->addAction(m_like);
    menu->addSeparator();
    menu->addAction(m_dock->toggleViewAction());
    panes.events->list()->addRowAction(m_like);
    panes.inspector->inspector()->addEventAction(m_like)->setObjectName(QStringLiteral("correctLikeButton"));

    connect(m_new, &QAction::triggered, this, &CorrectionActions::newCorrection);
    connect(m_like, &QAction::triggered, this, &CorrectionActions::correctLikeCursor);
    connect(m_composer, &CorrectionComposer::unlockRequested, this, &CorrectionActions::unlockRequested);
    connect(m_composer, &CorrectionComposer::statusMessage, window,
            [window](const QString &m) { window->showStatus(m, 8000); });
    connect(m_composer, &CorrectionComposer::previewReady, this,
            [this](const CorrectionPreview &preview, const QString &title) {
                m_panes.diff->pane()->showCorrection(preview.diff, title);
                m_panes.diff->reveal();
            });
    connect(m_composer, &CorrectionComposer::appendFinished, this, [this, scroll](const AppendOutcome &outcome) {
        scroll->ensureWidgetVisible(m_composer->outcomeView()); // it is by the pin, above the button pressed
        const QString text = outcome.message.startsWith(outcome.title())
            ? outcome.message
            : QString(outcome.title() + QStringLiteral(": ") + outcome.message);
        m_window->showStatus(text, 15000);
    });
    auto useClient = [this] { m_session->setClient(m_workspace->client(), m_workspace->auditOperator()); };
    connect(workspace, &Workspace::connected, this, useClient);
    connect(workspace, &Workspace::archiveOpened, this, useClient); // none: nothing to append to
    connect(workspace->fold(), &FoldController::reducerChanged, this, &CorrectionActions::syncReducer);
    TimelineSession *session = workspace->session();
    connect(workspace->writeGuard(), &WriteGuard::changed, this, &CorrectionActions::syncActions);
    connect(session->cursor(), &TimeCursor::positionChanged, this, &CorrectionActions::syncActions);
    connect(session, &TimelineSession::reset, this, &CorrectionActions::syncActions);
    connect(m_session, &CorrectionSession::draftsListed, this, &CorrectionActions::onDraftsListed);
    syncActions();
    syncReducer();
    m_session->listDrafts(); // what a crash or a restart left is offered back
}

void CorrectionActions::syncReducer()
{
    const ReducerChoice choice = m_workspace->fold()->reducer();
    m_composer->setReducerFile(choice.merge ? QString() : choice.file);
}

void CorrectionActions::syncActions()
{
    TimelineSession *session = m_workspace->session();
    // An archive can never be written to: its actions say so instead of opening a composer.
    const WriteGuard *guard = m_workspace->writeGuard();
    const bool archive = guard->state() == WriteGuard::State::ReadOnlyProfile && !guard->readOnlyWhy().isEmpty();
    m_like->setEnabled(!archive && session->cursor()->position() >= 0);
    m_new->setEnabled(!archive && !session->stream().isEmpty() && !session->isAll());
    m_new->setText(archive ? tr("&New Correction… (an archive is read-only)") : tr("&New Correction…"));
    m_like->setStatusTip(archive ? guard->readOnlyReason() : QString());
    m_new->setStatusTip(m_like->statusTip());
}

std::optional<ExpectedState> CorrectionActions::inspectedHead(const QByteArray &stream) const
{
    TimelineSession *session = m_workspace->session();
    if (session->stream() != stream || session->spansStreams() || session->isLoading())
        return std::nullopt; // the composer pins to the head it loads, and says so
    const engine::TimelineIndex &index = session->index();
    if (index.size() == 0)
        return ExpectedState::noStream();
    return ExpectedState::at(index.revision(index.size() - 1));
}

void CorrectionActions::newCorrection()
{
    const QByteArray stream = m_workspace->session()->stream();
    if (stream.isEmpty() || m_workspace->session()->isAll())
        return;
    syncReducer();
    m_composer->openNew(stream, inspectedHead(stream));
    reveal();
}

void CorrectionActions::correctLikeCursor()
{
    TimelineSession *session = m_workspace->session();
    const qint64 position = session->cursor()->position();
    if (position < 0 || quint64(position) >= session->index().size())
        return;
    const QByteArray stream = session->index().streamName(quint64(position));
    const quint64 revision = session->index().revision(quint64(position));
    syncReducer();
    m_composer->openLike(stream, revision, inspectedHead(stream));
    reveal();
}

void CorrectionActions::reveal()
{
    m_dock->show();
    m_dock->raise();
    // The composer wants height: the event list above it gives some.
    if (m_panes.events && !m_dock->isFloating() && m_window->dockWidgetArea(m_dock) != Qt::NoDockWidgetArea)
        m_window->resizeDocks({m_panes.events, m_dock}, {m_window->height() / 5, m_window->height() * 3 / 5},
                              Qt::Vertical);
}

void CorrectionActions::onDraftsListed(const DraftStore::Listing &listing)
{
    m_composer->setSavedDrafts(listing.drafts);
    if (!listing.drafts.isEmpty()) {
        QStringList lines;
        for (const EventDraft &d : listing.drafts)
            lines << tr("%1 · %2 · edited %3 UTC")
                         .arg(d.stream, d.eventType,
                              d.modified.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        m_window->showError(tr("%n correction draft(s) not appended yet: the composer's Drafts menu offers them back",
                               nullptr, int(listing.drafts.size())),
                            lines.join(QLatin1Char('\n')));
        m_dock->show();
    }
    for (const DraftStore::Damaged &d : listing.damaged)
        m_window->showError(tr("A correction draft could not be read and was kept aside"),
                            tr("%1: %2\nMoved to %3").arg(d.file, d.error, d.movedTo));
    if (!listing.error.isEmpty())
        m_window->showError(tr("The correction drafts could not be listed"), listing.error);
}

} // namespace chronoscope
