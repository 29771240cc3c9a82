#pragma once

#include <QDateTime>
#include <QWidget>

class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;
class QToolButton;

namespace chronoscope {
class PayloadSearch;
class TimelineEventModel;
class TimelineSession;
}

namespace chronoscope::views {

/// The event list pane (F3): the session's events in a virtual table, selection tied to the
/// session's cursor both ways, type filter, payload search, jumps to a revision (Ctrl+G; to a
/// commit position in `$all`) and to a time (Ctrl+T), the "Follow live" toggle (Ctrl+Shift+L),
/// and an "N new events" button when the timeline grows out of sight (Ctrl+Shift+End shows them).
///
/// Growth follows the newest event only while the user is at the end: the newest row in view and
/// the cursor on the last event. Otherwise the view stays where it is and the new events are
/// counted on the button.
class EventListView : public QWidget
{
    Q_OBJECT
public:
    explicit EventListView(TimelineSession *session, QWidget *parent = nullptr);
    ~EventListView() override;

    TimelineEventModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    PayloadSearch *search() const { return m_search; }

    /// Moves the cursor to the event at `revision` (of the loaded stream); false when there is
    /// none, and in `$all`, whose events have revisions of their own streams only.
    bool jumpToRevision(quint64 revision);
    /// Moves the cursor to the first event at or after commit `position`; false when none is.
    bool jumpToPosition(quint64 position);
    /// Moves the cursor to the last event created at or before `time` (the first event when all
    /// are later); false when the timeline is empty.
    bool jumpToTime(const QDateTime &time);
    /// Lists only the events created from `from` to `to` (both included, to the millisecond):
    /// markers A and B on the first and last of them, "A–B only" on, the cursor on the first.
    /// False, with a status message, when no event is in the range.
    bool limitToTimeRange(const QDateTime &from, const QDateTime &to);
    void setTypeFilter(const QSet<QByteArray> &types);
    /// Starts a payload search (empty text ends it).
    void startSearch(const QString &text);
    void setFilterToMatches(bool on);
    void setNewestFirst(bool on);
    /// Events added while the end was out of sight (what the "N new events" button says).
    int unseenNewEvents() const { return m_unseen; }
    /// Whether the newest row is in view (the list follows it then).
    bool newestInView() const;
    /// The checkable "Follow live" action (Ctrl+Shift+L, window-wide), bound to the session.
    QAction *followLiveAction() const { return m_followLive; }
    /// "Show Newest Events" (Ctrl+Shift+End while the list has focus): what the button does.
    QAction *showNewestAction() const { return m_showNewest; }
    /// Jump to Revision…, Jump to Time…, Time Range…: the list's own actions, with window-wide keys
    /// (the window's Go menu offers these same actions).
    QList<QAction *> navigationActions() const { return m_navigation; }
    /// The payload search field (the window's Search Payloads focuses it).
    QWidget *searchField() const;
    /// Adds `action` to the rows' context menu; a right click first puts the cursor on the row, so
    /// the action acts on the event at the cursor.
    void addRowAction(QAction *action);

public Q_SLOTS:
    void showJumpToRevision();
    void showJumpToTime();
    /// The "Time Range…" dialog (Ctrl+Shift+T): limitToTimeRange() with the times chosen.
    void showTimeRange();
    void jumpToNewest();

Q_SIGNALS:
    void statusMessage(const QString &message);

private:
    void buildToolbar(QWidget *bar);
    void installActions();
    void onReset();
    /// Selects the cursor's row; scrolls to it unless `scroll` is false.
    void syncSelectionToCursor(bool scroll = true);
    void onCurrentRowChanged();
    void onRowsAboutToGrow();
    void onRowsGrown(int added);
    void updateFollowButton();
    void rebuildTypeMenu();
    void updateSummary();
    void updateNewEventsButton();

    TimelineSession *m_session;
    TimelineEventModel *m_model;
    QToolButton *m_betweenMarkers = nullptr;
    PayloadSearch *m_search;
    QTableView *m_table;
    QToolButton *m_typesButton = nullptr;
    QMenu *m_typesMenu = nullptr;
    int m_typesKnown = 0;
    QLineEdit *m_searchEdit = nullptr;
    QCheckBox *m_onlyMatches = nullptr;
    QProgressBar *m_progress = nullptr;
    QToolButton *m_cancelSearch = nullptr;
    QToolButton *m_newestFirst = nullptr;
    QToolButton *m_utc = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_newEvents = nullptr;
    QToolButton *m_followButton = nullptr;
    QAction *m_followLive = nullptr;
    QAction *m_showNewest = nullptr;
    QAction *m_jumpRevision = nullptr;
    QList<QAction *> m_navigation;
    QList<QAction *> m_rowActions;
    QTimer *m_searchDebounce = nullptr;
    int m_unseen = 0;
    bool m_syncing = false;
    bool m_atNewest = true;     ///< the newest row was in view when the model was last about to grow
    qint64 m_topOrdinal = -1;   ///< newest first, scrolled away: the top row's ordinal, kept in place
};

} // namespace chronoscope::views
