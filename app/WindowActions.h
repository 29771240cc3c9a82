#pragma once

#include "common/AboutDialog.h"

#include <QList>
#include <QObject>

class QAction;
class QMenu;

namespace chronoscope {

class MainWindow;

/// The main window's menus and keyboard shortcuts: File ▸ Quit, Streams, View (every dock's
/// toggle, Theme, UTC/local time, Reset Layout), Go (cursor navigation, markers, cancel) and Help
/// (Keyboard Shortcuts, About). Built once the docks exist.
class WindowActions : public QObject
{
    Q_OBJECT
public:
    WindowActions(MainWindow *window, QMenu *file);

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
    void focusDock(const char *name);
    void clickThrough(QMenu *menu, const QString &text, const QKeySequence &key, const char *widgetName,
                      const char *name);

    MainWindow *m_window;
    QList<QAction *> m_actions;
};

} // namespace chronoscope
