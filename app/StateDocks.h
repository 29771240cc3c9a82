#pragma once

#include <QList>

class QDockWidget;
class QWidget;

namespace chronoscope {

class TimelineSession;

/// The state, diff and reducer docks (PRODUCT.md F6, F7), fully wired to `session`:
/// - `"stateDock"`: the folded state at the cursor (StatePane); its toolbar shows checkpoint
///   building (with cancel) and holds Bisect… and the what-if actions. The same actions are in
///   `stateDock->actions()` for a menu.
/// - `"diffDock"`: the diff of the event at the cursor, A vs B, what-if vs actual (DiffPane); its
///   toolbar sets markers A/B at the cursor.
/// - `"reducerDock"`: the reducer file editor and the reducer choice (ReducerEditor, findable as
///   `reducerDock->findChild<chronoscope::ReducerEditor *>()`; `openFile(path, true)` folds with a
///   file, e.g. the demo's `demo-orders.reducer.json`).
/// One FoldController (a child of the state dock) folds in a worker thread for all three.
QList<QDockWidget *> createStateDocks(TimelineSession *session, QWidget *parent);

} // namespace chronoscope
