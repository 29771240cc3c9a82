#include "common/StatusMessage.h"

namespace chronoscope::views {

StatusMessage::StatusMessage(QWidget *parent) : QLabel(parent)
{
    setObjectName(QStringLiteral("statusMessage"));
    setTextFormat(Qt::PlainText);
    // Long messages are cut rather than widening the window.
    setMinimumWidth(0);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &StatusMessage::clearMessage);
}

void StatusMessage::showMessage(const QString &text, int timeoutMs)
{
    setText(text);
    setToolTip(text);
    if (timeoutMs > 0)
        m_timer.start(timeoutMs);
    else
        m_timer.stop();
}

void StatusMessage::clearMessage()
{
    m_timer.stop();
    clear();
    setToolTip({});
}

} // namespace chronoscope::views
