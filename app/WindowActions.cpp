#include "WindowActions.h"

#include "InspectorDocks.h"
#include "MainWindow.h"
#include "ThemeManager.h"
#include "events/EventListView.h"
#include "inspector/EventInspector.h"
#include "streams/StreamBrowser.h"
#include "timeline/TimelineView.h"

#include <QAbstractButton>
#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QToolButton>

namespace chronoscope {

WindowActions::WindowActions(MainWindow *window, const Panes &panes, QMenu *file)
    : QObject(window), m_window(window), m_panes(panes)
{
    add(file, tr("&Quit"), {QKeySequence::Quit}, "quitAction");
    connect(m_actions.back(), &QAction::triggered, window, &QWidget::close);
    buildStreams();
    buildView();
    buildGo();
    buildHelp();
}

QAction *WindowActions::add(QMenu *menu, const QString &text, const QList<QKeySequence> &keys, const char *name)
{
    QAction *action = menu->addAction(text);
    action->setObjectName(QLatin1String(name));
    action->setShortcuts(keys);
    m_actions << action;
    return action;
}

void WindowActions::buildStreams()
{
    QMenu *menu = m_window->menuBar()->addMenu(tr("&Streams"));
    connect(add(menu, tr("&Filter Streams"), {QKeySequence::Find, QKeySequence(Qt::CTRL | Qt::Key_L)}, "filterStreams"),
            &QAction::triggered, m_window->streamBrowser(), &views::StreamBrowser::focusFilter);
    // The browser owns the action (its shortcut works wherever the browser is docked).
    QAction *goTo = m_window->streamBrowser()->goToStreamAction();
    menu->addAction(goTo);
    m_actions << goTo;
    connect(add(menu, tr("&Reload Stream List"), {QKeySequence::Refresh}, "reloadStreams"), &QAction::triggered,
            m_window, &MainWindow::rescan);
    menu->addSeparator();
    connect(add(menu, tr("&Cancel Loading"), {QKeySequence(Qt::Key_Escape)}, "cancelLoading"), &QAction::triggered,
            m_window, &MainWindow::cancelLoading);
}

void WindowActions::buildView()
{
    QMenu *menu = m_window->menuBar()->addMenu(tr("&View"));
    QMenu *panes = menu->addMenu(tr("&Panes"));
    for (QDockWidget *dock : m_panes.all())
        panes->addAction(dock->toggleViewAction());
    const QList<QDockWidget *> docks = m_panes.focusOrder();
    const char *names[] = {"focusStreams", "focusEvents", "focusTimeline", "focusInspector",
                           "focusState",   "focusDiff",   "focusReducer"};
    const QString titles[] = {tr("Focus &Streams"),   tr("Focus &Events"), tr("Focus &Timeline"),
                              tr("Focus &Inspector"), tr("Focus St&ate"),  tr("Focus &Diff"),
                              tr("Focus Re&ducer")};
    menu->addSeparator();
    for (int i = 0; i < 7; ++i) {
        QDockWidget *dock = docks.at(i);
        connect(add(menu, titles[i], {QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i))}, names[i]), &QAction::triggered,
                this, [this, dock]() { focusDock(dock); });
    }
    connect(add(menu, tr("&Notices…"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N)}, "noticesAction"),
            &QAction::triggered, m_window, &MainWindow::showNotices);
    menu->addSeparator();
    menu->addMenu(m_window->themes()->createMenu(menu));
    QAction *utc = add(menu, tr("Times in &UTC"), {QKeySequence(Qt::CTRL | Qt::Key_U)}, "utcAction");
    utc->setCheckable(true);
    utc->setChecked(m_window->timelineView()->isUtc());
    connect(utc, &QAction::toggled, m_window->timelineView(), &views::TimelineView::setUtc);
    connect(m_window->timelineView(), &views::TimelineView::utcChanged, utc, &QAction::setChecked);
    // The timeline's own action (checkable, window-wide key): one action, so menu and chart agree.
    menu->addAction(m_window->timelineView()->throughputAction());
    m_actions << m_window->timelineView()->throughputAction();
    menu->addSeparator();
    connect(add(menu, tr("&Reset Layout"), {}, "resetLayout"), &QAction::triggered, m_window, &MainWindow::resetLayout);
}

void WindowActions::buildGo()
{
    QMenu *menu = m_window->menuBar()->addMenu(tr("&Go"));
    TimeCursor *cursor = m_window->session()->cursor();
    views::TimelineView *timeline = m_window->timelineView();
    connect(add(menu, tr("&Previous Event"), {QKeySequence(Qt::ALT | Qt::Key_Left)}, "previousEvent"),
            &QAction::triggered, cursor, [cursor]() { cursor->step(-1); });
    connect(add(menu, tr("&Next Event"), {QKeySequence(Qt::ALT | Qt::Key_Right)}, "nextEvent"),
            &QAction::triggered, cursor, [cursor]() { cursor->step(1); });
    connect(add(menu, tr("Page &Back in Time"), {QKeySequence(Qt::ALT | Qt::Key_PageUp)}, "pageBack"),
            &QAction::triggered, timeline, [timeline]() { timeline->pageStep(-1); });
    connect(add(menu, tr("Page &Forward in Time"), {QKeySequence(Qt::ALT | Qt::Key_PageDown)}, "pageForward"),
            &QAction::triggered, timeline, [timeline]() { timeline->pageStep(1); });
    connect(add(menu, tr("&First Event"), {QKeySequence(Qt::ALT | Qt::Key_Home)}, "firstEvent"),
            &QAction::triggered, cursor, &TimeCursor::toStart);
    connect(add(menu, tr("&Last Event"), {QKeySequence(Qt::ALT | Qt::Key_End)}, "lastEvent"),
            &QAction::triggered, cursor, &TimeCursor::toEnd);
    menu->addSeparator();
    connect(add(menu, tr("Set Marker &A at Cursor"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A)}, "markerA"),
            &QAction::triggered, cursor, [cursor]() { cursor->setMarkerA(cursor->position()); });
    connect(add(menu, tr("Set Marker &B at Cursor"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B)}, "markerB"),
            &QAction::triggered, cursor, [cursor]() { cursor->setMarkerB(cursor->position()); });
    connect(add(menu, tr("S&wap Markers"), {}, "swapMarkers"), &QAction::triggered, cursor, &TimeCursor::swapMarkers);
    connect(add(menu, tr("&Clear Markers"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X)}, "clearMarkers"),
            &QAction::triggered, cursor, &TimeCursor::clearMarkers);
    menu->addSeparator();
    // The event list's and the inspector's own navigation, offered window-wide.
    const QList<QAction *> navigation = m_panes.events->list()->navigationActions();
    for (QAction *action : navigation) {
        menu->addAction(action);
        m_actions << action;
    }
    const views::EventInspector *inspector = m_panes.inspector->inspector();
    clickThrough(menu, tr("Go to &Cause"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G), inspector->causationButton(),
                 "goToCauseAction");
    clickThrough(menu, tr("C&orrelation Chain"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
                 inspector->correlationButton(), "correlationAction");
    clickThrough(menu, tr("&Search Payloads"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F),
                 m_panes.events->list()->searchField(), "searchPayloadsAction");
    menu->addSeparator();
    connect(add(menu, tr("&Zoom to Whole Timeline"), {QKeySequence(Qt::CTRL | Qt::Key_0)}, "fitTimeline"),
            &QAction::triggered, timeline, &views::TimelineView::fitAll);
    menu->addSeparator(); // the list's own action: one shortcut
    menu->addAction(m_panes.events->list()->followLiveAction());
    m_actions << m_panes.events->list()->followLiveAction();
}

void WindowActions::buildHelp()
{
    QMenu *menu = m_window->menuBar()->addMenu(tr("&Help"));
    connect(add(menu, tr("&Keyboard Shortcuts"), {QKeySequence(Qt::CTRL | Qt::Key_Slash), QKeySequence(Qt::Key_F1)},
                "shortcutsAction"),
            &QAction::triggered, this, &WindowActions::showShortcuts);
    connect(add(menu, tr("&About Chronoscope"), {}, "aboutAction"), &QAction::triggered, this,
            &WindowActions::showAbout);
}

// A menu action for a pane's own button (or field): clicks it when it is enabled (focuses a field),
// raising its dock first, so that the pane's action has a window-wide key.
void WindowActions::clickThrough(QMenu *menu, const QString &text, const QKeySequence &key, QWidget *target,
                                 const char *name)
{
    connect(add(menu, text, {key}, name), &QAction::triggered, this, [w = QPointer<QWidget>(target)]() {
        if (!w || !w->isEnabled())
            return;
        for (QWidget *p = w->parentWidget(); p; p = p->parentWidget()) {
            if (auto *dock = qobject_cast<QDockWidget *>(p)) {
                dock->show();
                dock->raise();
                break;
            }
        }
        if (auto *button = qobject_cast<QAbstractButton *>(w))
            button->click();
        else
            w->setFocus(Qt::ShortcutFocusReason);
    });
}

void WindowActions::focusDock(QDockWidget *dock)
{
    dock->show();
    dock->raise();
    if (QWidget *w = dock->widget()) {
        // Focus the first widget that takes it (the list inside a pane rather than the pane).
        QWidget *target = w->focusPolicy() != Qt::NoFocus ? w : w->nextInFocusChain();
        if (dock == m_panes.streams)
            target = m_window->streamBrowser()->listWidget();
        (target ? target : w)->setFocus(Qt::ShortcutFocusReason);
    }
}

QList<views::ShortcutsDialog::Entry> WindowActions::shortcuts() const
{
    QList<views::ShortcutsDialog::Entry> out;
    for (const QAction *a : m_actions) {
        if (a->shortcuts().isEmpty())
            continue;
        QStringList keys;
        const auto list = a->shortcuts();
        for (const QKeySequence &k : list)
            keys << k.toString(QKeySequence::NativeText);
        QString text = a->text();
        text.remove(QLatin1Char('&'));
        out.append({tr("Menus"), keys.join(QStringLiteral(", ")), text});
    }
    const QList<QAction *> listActions = m_panes.events->list()->actions();
    for (const QAction *a : listActions) {
        if (a->shortcutContext() == Qt::WidgetWithChildrenShortcut && !a->shortcut().isEmpty())
            out.append({tr("Event list (when focused)"), a->shortcut().toString(QKeySequence::NativeText),
                        a->text().remove(QChar(u'…'))});
    }
    const QString t = tr("Timeline (when focused)");
    out.append({t, tr("Left / Right"), tr("Previous / next event")});
    out.append({t, tr("PageUp / PageDown"), tr("Back / forward a tenth of the visible time")});
    out.append({t, tr("Home / End"), tr("First / last event")});
    out.append({t, tr("A / B"), tr("Set marker A / B at the cursor")});
    out.append({t, tr("X"), tr("Clear the markers")});
    out.append({t, tr("+ / -"), tr("Zoom in / out around the cursor")});
    out.append({t, tr("F"), tr("Show the whole timeline")});
    out.append({t, tr("T"), tr("Switch between density by type and throughput (events/s)")});
    out.append({t, tr("Click, drag the cursor line"), tr("Move the cursor, scrub")});
    out.append({t, tr("Drag, mouse wheel"), tr("Pan, zoom around the mouse")});
    return out;
}

void WindowActions::showShortcuts()
{
    views::ShortcutsDialog dialog(shortcuts(), m_window);
    dialog.exec();
}

void WindowActions::showAbout()
{
    views::AboutDialog dialog(m_window);
    dialog.exec();
}

} // namespace chronoscope
