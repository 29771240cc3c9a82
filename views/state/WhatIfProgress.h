#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QTimer;
class QToolButton;

namespace chronoscope {

class FoldController;

/// A running what-if's progress (events folded of those needed) and its Cancel button, a strip
/// above the diff pane. It appears only when the fold takes longer than a moment (~200 ms), and
/// after a cancel it says for a few seconds that the what-if was cancelled and the panes kept what
/// they showed. Hidden otherwise.
class WhatIfProgress : public QWidget
{
    Q_OBJECT
public:
    explicit WhatIfProgress(FoldController *controller, QWidget *parent = nullptr);

    QProgressBar *bar() const { return m_bar; }
    QToolButton *cancelButton() const { return m_cancel; }
    QString text() const;

    /// How the end of a what-if without a result is said (here and in the What-if dialog).
    static QString endedText(const QString &reason);

private:
    void showRunning(bool running);

    FoldController *m_controller;
    QLabel *m_label;
    QProgressBar *m_bar;
    QToolButton *m_cancel;
    QTimer *m_appear;
    QTimer *m_linger;
};

} // namespace chronoscope
