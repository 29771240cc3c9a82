#pragma once

#include <QDateTime>

#include <functional>

class QWidget;

namespace chronoscope::views {

/// The small non-modal dialogs behind "Jump to Revision" (Ctrl+G) and "Jump to Time" (Ctrl+T).
/// They delete themselves when closed; findable by objectName ("jumpToRevisionDialog" with a
/// "revisionEdit", "jumpToTimeDialog" with a "timeEdit" and a "timeZoneCombo").
class JumpDialogs
{
public:
    static void openRevision(QWidget *parent, std::function<void(quint64)> onAccepted);
    /// `initial` is shown in UTC or local time (`utc`); the user can switch.
    static void openTime(QWidget *parent, const QDateTime &initial, bool utc,
                         std::function<void(const QDateTime &)> onAccepted);
};

} // namespace chronoscope::views
