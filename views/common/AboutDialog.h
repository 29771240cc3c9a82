#pragma once

#include <QDialog>
#include <QList>
#include <QPair>

namespace chronoscope::views {

/// Help ▸ About: what Chronoscope is, and the versions of the libraries it runs with (for bug
/// reports: selectable text, and a button that copies them).
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    /// Core's libraries plus the GUI's (Qt Widgets style, QCustomPlot).
    static QList<QPair<QString, QString>> versions();
    static QString versionsText();
};

/// Help ▸ Keyboard Shortcuts: a two-column table (keys, what they do), grouped.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT
public:
    struct Entry
    {
        QString group;
        QString keys;
        QString action;
    };
    ShortcutsDialog(const QList<Entry> &entries, QWidget *parent = nullptr);
};

} // namespace chronoscope::views
