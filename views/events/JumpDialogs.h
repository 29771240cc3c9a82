#pragma once

#include <QDateTime>

#include <functional>

class QWidget;

namespace chronoscope::views {

/// The small non-modal dialogs behind "Jump to Revision" (Ctrl+G; "Jump to Position" in `$all`)
/// and "Jump to Time" (Ctrl+T). They delete themselves when closed; findable by objectName
/// ("jumpToRevisionDialog" with a "revisionEdit", "jumpToPositionDialog" with a "positionEdit",
/// "jumpToTimeDialog" with a "timeEdit" and a "timeZoneCombo").
class JumpDialogs
{
public:
    static void openRevision(QWidget *parent, std::function<void(quint64)> onAccepted);
    /// A commit position in `$all`.
    static void openPosition(QWidget *parent, std::function<void(quint64)> onAccepted);
    /// `initial` is shown in UTC or local time (`utc`); the user can switch.
    static void openTime(QWidget *parent, const QDateTime &initial, bool utc,
                         std::function<void(const QDateTime &)> onAccepted);
    /// "Time Range" ("timeRangeDialog" with "fromEdit", "toEdit", "timeZoneCombo"): two times,
    /// shown in UTC or local time; OK only while From is not after To.
    static void openTimeRange(QWidget *parent, const QDateTime &from, const QDateTime &to, bool utc,
                              std::function<void(const QDateTime &, const QDateTime &)> onAccepted);
};

} // namespace chronoscope::views
