#pragma once

#include <QToolButton>

namespace chronoscope {
class WriteGuard;
}

namespace chronoscope::views {

/// The status bar's word on write mode, always visible: "Read-only", "Writes locked" or
/// "Writes unlocked" (coloured, with the reason as tooltip). A click asks to unlock, or offers to lock.
class WriteModeIndicator : public QToolButton
{
    Q_OBJECT
public:
    WriteModeIndicator(WriteGuard *guard, QWidget *parent = nullptr);

Q_SIGNALS:
    void unlockRequested();

private:
    void refresh();

    WriteGuard *m_guard;
};

} // namespace chronoscope::views
