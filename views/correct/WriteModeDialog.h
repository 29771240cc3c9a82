#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace chronoscope {
class WriteGuard;
}

namespace chronoscope::views {

/// Unlocks write mode (F9): says what unlocking means for this connection, asks for the reason
/// (it goes into every appended event and the audit log) and hands it to the WriteGuard, which
/// decides. A refusal (read-only profile, reason too short) is shown in the dialog, which stays open.
class WriteModeDialog : public QDialog
{
    Q_OBJECT
public:
    WriteModeDialog(WriteGuard *guard, QWidget *parent = nullptr);

    QLineEdit *reasonEdit() const { return m_reason; }
    /// The guard's last refusal shown; empty when none.
    QString errorText() const;

    void accept() override;

private:
    void refresh();

    WriteGuard *m_guard;
    QLabel *m_explanation;
    QLineEdit *m_reason;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace chronoscope::views
