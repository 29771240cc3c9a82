#pragma once

#include <QDockWidget>
#include <QList>

class QAction;

namespace chronoscope {

class FoldController;
class TimelineSession;

class DiffPane;
class ReducerEditor;
class StatePane;

/// The state dock ("stateDock", PRODUCT.md F6): the folded state at the cursor (StatePane) under a
/// strip that shows checkpoint building (with Stop), and a toolbar with Bisect… and the what-if
/// actions — the same actions are the dock's actions(), for a menu. A what-if's result goes to the
/// diff pane: whatIfStarted() says so, for whoever shows that pane.
class StateDock : public QDockWidget
{
    Q_OBJECT
public:
    StateDock(FoldController *fold, TimelineSession *session, QWidget *parent = nullptr);
    StatePane *pane() const { return m_pane; }
    QAction *bisectAction() const { return m_bisect; }

Q_SIGNALS:
    void whatIfStarted();

private:
    void showBisect();
    void showWhatIf();
    void syncActions();

    FoldController *m_fold;
    TimelineSession *m_session;
    StatePane *m_pane;
    QAction *m_bisect;
    QAction *m_whatIfHere;
    QAction *m_whatIfSome;
    QWidget *m_bisectDialog = nullptr;
    QWidget *m_whatIfDialog = nullptr;
};

/// The diff dock ("diffDock", F7): the diff of the event at the cursor, A vs B, what-if vs actual
/// (DiffPane), with a toolbar that sets markers A/B at the cursor and the what-if's progress above
/// the pane. Whoever completes the pair of markers (these buttons, the Go menu, the timeline's keys,
/// the demo's landing) gets the A vs B comparison.
class DiffDock : public QDockWidget
{
    Q_OBJECT
public:
    DiffDock(FoldController *fold, TimelineSession *session, QWidget *parent = nullptr);
    DiffPane *pane() const { return m_pane; }
    /// Shows and raises the dock (a what-if's result is on its way).
    void reveal();

private:
    DiffPane *m_pane;
    bool m_hadPair = false;
};

/// The reducer dock ("reducerDock", F6): the reducer file editor and the reducer choice;
/// `editor()->openFile(path, true)` folds with a file, e.g. the demo's `demo-orders.reducer.json`.
class ReducerDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit ReducerDock(FoldController *fold, QWidget *parent = nullptr);
    ReducerEditor *editor() const { return m_editor; }

private:
    ReducerEditor *m_editor;
};

/// The three docks over one fold controller, wired to each other (a what-if shows the diff dock).
struct StateDocks
{
    StateDock *state;
    DiffDock *diff;
    ReducerDock *reducer;
    QList<QDockWidget *> docks() const { return {state, diff, reducer}; }
};
StateDocks createStateDocks(FoldController *fold, TimelineSession *session, QWidget *parent);

} // namespace chronoscope
