#pragma once

#include "Panes.h"
#include "correct/CorrectionSession.h"

#include <QObject>

class QAction;
class QDockWidget;
class QMenu;

namespace chronoscope {

class CorrectionComposer;
class MainWindow;
class Workspace;

/// Corrections in the window (F9): the composer dock ("composerDock") over a CorrectionSession,
/// the Corrections menu (New Correction…, Correct Like This Event…), the same action in the event
/// list's context menu and the inspector, the dry run's diff in the diff pane, and the drafts a
/// crash or restart left, offered back (a notice, and the composer's Drafts menu).
///
/// The write guard, audit log and drafts are the workspace's: handed in, never made here.
/// Unlocking writes is the app's dialog: unlockRequested() asks for it.
class CorrectionActions : public QObject
{
    Q_OBJECT
public:
    CorrectionActions(MainWindow *window, Workspace *workspace, const Panes &panes, QMenu *menu);

    QDockWidget *dock() const { return m_dock; }
    CorrectionComposer *composer() const { return m_composer; }
    CorrectionSession *session() const { return m_session; }
    QAction *newAction() const { return m_new; }
    QAction *likeAction() const { return m_like; }

    /// The composer on a new draft for the stream at the cursor (pinned to its head as loaded).
    void newCorrection();
    /// The composer on a draft like the event at the cursor, pinned to the stream's head as loaded.
    void correctLikeCursor();
    /// Shows and raises the composer.
    void reveal();

Q_SIGNALS:
    /// The composer's "Unlock Writes…": the app shows its write-mode dialog.
    void unlockRequested();

private:
    void syncActions();
    void syncReducer();
    /// The head of `stream` as the timeline shows it, when the timeline is that stream, fully loaded.
    std::optional<ExpectedState> inspectedHead(const QByteArray &stream) const;
    void onDraftsListed(const DraftStore::Listing &listing);

    MainWindow *m_window;
    Workspace *m_workspace;
    Panes m_panes;
    CorrectionSession *m_session;
    CorrectionComposer *m_composer;
    QDockWidget *m_dock;
    QAction *m_new;
    QAction *m_like;
};

} // namespace chronoscope
