#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace chronoscope {

class FoldController;
class TimelineSession;
struct WhatIfOutcome;

/// What-if from the UI: leave chosen events out of the timeline and/or insert a hypothetical event
/// after the cursor (a type and its JSON data, checked as typed), fold, and compare with reality in
/// the diff pane. Not modal: the cursor can move while it is open; an insertion follows it. While
/// the fold runs the message counts the events folded and Cancel stops it (the panes stay as they were).
class WhatIfDialog : public QDialog
{
    Q_OBJECT
public:
    WhatIfDialog(FoldController *controller, TimelineSession *session, QWidget *parent = nullptr);

    QLineEdit *excludeEdit() const { return m_exclude; }
    QCheckBox *insertBox() const { return m_insert; }
    QComboBox *typeBox() const { return m_type; }
    QPlainTextEdit *dataEdit() const { return m_data; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *cancelButton() const { return m_cancel; }
    QLabel *messageLabel() const { return m_message; }

    /// "3, 7-9 #12" → {3, 7, 8, 9, 12} within [0, count); false on anything else.
    static bool parseOrdinals(const QString &text, quint64 count, QList<quint64> *out);

    /// Checks the form and asks the fold worker; false (with the reason shown) when the form is wrong.
    bool run();

Q_SIGNALS:
    /// A what-if was asked for (the window shows the diff pane).
    void started();

private:
    void validate();
    void updateInsertLabel();
    void fillTypes();

    FoldController *m_controller;
    TimelineSession *m_session;
    QLineEdit *m_exclude;
    QCheckBox *m_insert;
    QLabel *m_insertAt;
    QComboBox *m_type;
    QPlainTextEdit *m_data;
    QLabel *m_message;
    QPushButton *m_run;
    QPushButton *m_cancel;
};

} // namespace chronoscope
