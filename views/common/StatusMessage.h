#pragma once

#include <QLabel>
#include <QTimer>

namespace chronoscope::views {

/// A status-bar line for passing messages that, unlike QStatusBar::showMessage(), hides none of
/// the bar's other widgets (the connection state, a load's Cancel button).
class StatusMessage : public QLabel
{
    Q_OBJECT
public:
    explicit StatusMessage(QWidget *parent = nullptr);

    /// Shows `text`, cleared after `timeoutMs` (0: until the next message).
    void showMessage(const QString &text, int timeoutMs = 0);
    void clearMessage();

private:
    QTimer m_timer;
};

} // namespace chronoscope::views
