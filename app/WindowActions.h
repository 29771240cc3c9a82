#pragma once

#include "Panes.h"
#include "common/AboutDialog.h"

#include <QList>
#include <QObject>

class QAction;
class QDockWidget;
class QMenu;
class QWidget;

namespace chronoscope {

class MainWindow;

/// The main window's menus and keyboard shortcuts: File ▸ Quit, Streams, View (every dock's
/// toggle, Theme, UTC/local time, Reset Layout), Go (cursor navigation, markers, cancel) and Help
/// (Keyboard Shortcuts, About). Built once the docks exist.
class WindowActions : public QObject
{
    Q_OBJECT
public:
    /// `panes` are the window's docks (their actions and widgets get window-wide keys).
    WindowActions(MainWindow *window, const Panes &panes, QMenu *file);

    /// Everything Help ▸ Keyboard Shortcuts lists: the menu shortcuts and the keys of the views.
    QList<views::ShortcutsDialog::Entry> shortcuts() const;
    void showShortcuts();
    void showAbout();

private:
    QAction *add(QMenu *menu, const QString &text, const QList<QKeySequence> &keys, const char *name);
    void buildStreams();
    void buildView();
    void buildGo();
    void buildHelp();
    void focusDock(QDockWidget *dock);
    void clickThrough(QMenu *menu, const QString &text, const QKeySequence &key, QWidget *target, const char *name);

    MainWindow *m_window;
    Panes m_panes;
    QList<QAction *> m_actions;
};

} // namespace chronoscope
