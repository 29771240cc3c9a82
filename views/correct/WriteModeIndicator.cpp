#include "correct/WriteModeIndicator.h"

#include "correct/WriteGuard.h"

#include <QMenu>

namespace chronoscope::views {

WriteModeIndicator::WriteModeIndicator(WriteGuard *guard, QWidget *parent) : QToolButton(parent), m_guard(guard)
{
    setObjectName(QStringLiteral("writeModeIndicator"));
    setAutoRaise(true);
    connect(guard, &WriteGuard::changed, this, &WriteModeIndicator::refresh);
    connect(this, &QToolButton::clicked, this, [this] {
        if (m_guard->isUnlocked())
            m_guard->lock();
        else
            Q_EMIT unlockRequested();
    });
    refresh();
}

void WriteModeIndicator::refresh()
{
    switch (m_guard->state()) {
    case WriteGuard::State::ReadOnlyProfile:
        setText(tr("Read-only"));
        setToolTip(m_guard->readOnlyWhy().isEmpty()
                       ? tr("This connection's profile is read-only: no corrections can be appended.")
                       : tr("No corrections can be appended: %1.").arg(m_guard->readOnlyReason()));
        setStyleSheet(QString());
        break;
    case WriteGuard::State::Locked:
        setText(tr("Writes locked"));
        setToolTip(tr("Click to unlock writes with a reason."));
        setStyleSheet(QString());
        break;
    case WriteGuard::State::Unlocked:
        setText(tr("Writes unlocked"));
        setToolTip(tr("Reason: %1\nClick to lock writes again.").arg(m_guard->reason()));
        // Amber, readable on light and dark themes: unlocked is a state to notice, not an error.
        setStyleSheet(QStringLiteral("QToolButton { color: #ffffff; background: #b45309; border-radius: 3px; "
                                     "padding: 1px 6px; }"));
        break;
    }
}

} // namespace chronoscope::views
