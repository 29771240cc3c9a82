#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace chronoscope {

class FoldController;
struct BisectOutcome;

/// Bisect from the UI: a predicate on the folded state (a JavaScript expression over `state`, or
/// "value at a JSON Pointer compared with a literal"), run in the fold worker with progress and
/// cancel. Reports the first event after which it holds, and whether a binary search (the
/// predicate stays true once it holds) or a linear scan found it, and moves the cursor there.
/// Not modal: the panes stay usable while it runs.
class BisectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit BisectDialog(FoldController *controller, QWidget *parent = nullptr);

    QRadioButton *scriptMode() const { return m_script; }
    QRadioButton *pathMode() const { return m_path; }
    QLineEdit *expressionEdit() const { return m_expression; }
    QLineEdit *pointerEdit() const { return m_pointer; }
    QComboBox *opBox() const { return m_op; }
    QLineEdit *valueEdit() const { return m_value; }
    QCheckBox *monotoneBox() const { return m_monotone; }
    QPushButton *runButton() const { return m_run; }
    QLabel *resultLabel() const { return m_result; }

    void run();

Q_SIGNALS:
    void found(qint64 ordinal);

private:
    void finished(const BisectOutcome &outcome);
    void setRunning(bool running);

    FoldController *m_controller;
    QRadioButton *m_script;
    QRadioButton *m_path;
    QLineEdit *m_expression;
    QLineEdit *m_pointer;
    QComboBox *m_op;
    QLineEdit *m_value;
    QCheckBox *m_monotone;
    QProgressBar *m_progress;
    QLabel *m_result;
    QPushButton *m_run;
    QPushButton *m_cancel;
    bool m_running = false;
};

} // namespace chronoscope
