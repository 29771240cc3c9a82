#pragma once

#include <QList>

class QDockWidget;

namespace chronoscope {

class DiffDock;
class EventsDock;
class InspectorDock;
class ReducerDock;
class StateDock;

/// The window's docks, made by MainWindow and handed to whoever needs one (menus, exports, the
/// command line's --pane): nobody looks a dock up by its name.
struct Panes
{
    QDockWidget *streams = nullptr;
    QDockWidget *timeline = nullptr;
    EventsDock *events = nullptr;
    InspectorDock *inspector = nullptr;
    StateDock *state = nullptr;
    DiffDock *diff = nullptr;
    ReducerDock *reducer = nullptr;
    QDockWidget *composer = nullptr; ///< the correction composer (CorrectionActions)
    QDockWidget *audit = nullptr;    ///< the audit log of corrections (WriteModeActions)
    QDockWidget *readModelLag = nullptr;  ///< the read models' lag chart (ReadModelLagDock)
    QDockWidget *readModel = nullptr;     ///< the read-model row beside the fold (ReadModelDocks)
    QDockWidget *drift = nullptr;         ///< the drift report (ReadModelDocks)
    QDockWidget *subscriptions = nullptr; ///< persistent subscription groups (SubscriptionsActions)
    QDockWidget *projections = nullptr;   ///< the server's projections (ProjectionDock)

    /// In the View menu's order (the Panes submenu).
    QList<QDockWidget *> all() const;
    /// In the order of the focus keys Ctrl+1 … Ctrl+7.
    QList<QDockWidget *> focusOrder() const;
    /// By the short name the command line uses ("streams", "events", … "reducer", "composer", "audit",
    /// "subscriptions"); null if none.
    QDockWidget *named(const QString &shortName) const;
};

} // namespace chronoscope
