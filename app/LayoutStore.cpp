#include "LayoutStore.h"

#include <QDockWidget>

#include <algorithm>
#include <QMainWindow>
#include <QSettings>

namespace chronoscope {

namespace {
const QString kGeometry = QStringLiteral("mainWindow/geometry");
const QString kState = QStringLiteral("mainWindow/dockState");
} // namespace

QStringList LayoutStore::dockNames()
{
    return {QStringLiteral("streamsDock"),    QStringLiteral("timelineDock"), QStringLiteral("eventsDock"),
            QStringLiteral("inspectorDock"),  QStringLiteral("stateDock"),    QStringLiteral("diffDock"),
            QStringLiteral("reducerDock"),    QStringLiteral("composerDock"), QStringLiteral("auditDock"),
            QStringLiteral("projectionsDock")};
}

void LayoutStore::applyDefault()
{
    QMainWindow *w = m_window;
    auto dock = [w](const char *name) { return w->findChild<QDockWidget *>(QLatin1String(name)); };
    QDockWidget *streams = dock("streamsDock"), *timeline = dock("timelineDock"), *events = dock("eventsDock");
    QDockWidget *inspector = dock("inspectorDock"), *state = dock("stateDock"), *diff = dock("diffDock");
    QDockWidget *reducer = dock("reducerDock"), *composer = dock("composerDock"), *audit = dock("auditDock");
    // Out of the layout first, then placed by splits from the streams dock: never all stacked in one
    // column on the way, whose summed minimum heights would grow the window past the screen.
    const QList<QDockWidget *> all = w->findChildren<QDockWidget *>(Qt::FindDirectChildrenOnly);
    for (QDockWidget *d : all) {
        d->setFloating(false);
        w->removeDockWidget(d);
    }
    QDockWidget *root = streams ? streams : (all.isEmpty() ? nullptr : all.front());
    if (root)
        w->addDockWidget(Qt::LeftDockWidgetArea, root); // everything nests in one area: predictable splits
    // Splits are relative to docks already placed; each step only runs when both exist.
    auto split = [w](QDockWidget *a, QDockWidget *b, Qt::Orientation o) {
        if (a && b)
            w->splitDockWidget(a, b, o);
    };
    // Streams | timeline across the top; below it the event list over the inspector, and the state
    // (with diff and reducer as tabs) at full height beside them: the fold is what is scrubbed.
    split(streams, timeline, Qt::Horizontal);
    split(timeline, events, Qt::Vertical);
    split(events, state, Qt::Horizontal);
    split(events, inspector, Qt::Vertical);
    if (state && diff)
        w->tabifyDockWidget(state, diff);
    if ((diff || state) && reducer)
        w->tabifyDockWidget(diff ? diff : state, reducer);
    // The composer beside the inspector, so that its dry run's diff (in the state column) shows with it.
    if (inspector && composer)
        w->tabifyDockWidget(inspector, composer);
    if (reducer && audit) // the audit log is a tab beside the reducer: near the state it explains
        w->tabifyDockWidget(reducer, audit);
    if (QDockWidget *lag = dock("readModelLagDock"); lag && timeline) // a chart over time, like the timeline
        w->tabifyDockWidget(timeline, lag);
    // Read models: tabs beside the inspector, so that the row and the diff pane (state column) show together.
    for (const char *name : {"readModelDock", "driftDock"})
        if (QDockWidget *d = dock(name); d && inspector)
            w->tabifyDockWidget(inspector, d);
    // The subscriptions at full height beside the events, where opening parked messages leaves the list in view.
    if (QDockWidget *subscriptions = dock("subscriptionsDock"); subscriptions && state)
        w->tabifyDockWidget(audit ? audit : state, subscriptions);
    // The projections are a tab of the state column too: full height for the list and a partition's state.
    if (QDockWidget *projections = dock("projectionsDock"); projections && (audit || reducer || state))
        w->tabifyDockWidget(audit ? audit : (reducer ? reducer : state), projections);
    for (QDockWidget *d : all) {
        if (w->dockWidgetArea(d) == Qt::NoDockWidgetArea) // a pane the plan above does not name
            w->addDockWidget(Qt::LeftDockWidgetArea, d);
        d->show();
    }
    if (state)
        state->raise();
    if (inspector)
        inspector->raise();
    if (timeline)
        timeline->raise();

    const int width = w->width(), height = w->height();
    if (streams)
        w->resizeDocks({streams}, {std::clamp(width / 5, 220, 340)}, Qt::Horizontal);
    if (timeline)
        w->resizeDocks({timeline}, {std::clamp(height * 3 / 10, 200, 360)}, Qt::Vertical);
    if (events && state)
        w->resizeDocks({events, state}, {width * 2 / 5, width * 2 / 5}, Qt::Horizontal);
    if (events && inspector)
        w->resizeDocks({events, inspector}, {height / 4, height / 3}, Qt::Vertical);
}

bool LayoutStore::restore()
{
    QSettings settings;
    if (!m_window->restoreGeometry(settings.value(kGeometry).toByteArray()))
        m_window->resize(1280, 800); // the window manager fits it on smaller screens
    applyDefault(); // also places docks the saved state does not know
    return m_window->restoreState(settings.value(kState).toByteArray(), kVersion);
}

void LayoutStore::save() const
{
    QSettings settings;
    settings.setValue(kGeometry, m_window->saveGeometry());
    settings.setValue(kState, m_window->saveState(kVersion));
}

} // namespace chronoscope
