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
/// session's cursor both ways, type filter, payload search, jumps to a revision (Ctrl+G) and to
/// a time (Ctrl+T), and an "N new events" button when the timeline grows out of sight.
class EventListView : public QWidget
{
    Q_OBJECT
public:
    explicit EventListView(TimelineSession *session, QWidget *parent = nullptr);
    ~EventListView() override;

    TimelineEventModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    PayloadSearch *search() const { return m_search; }

    /// Moves the cursor to the event at `revision` (of the loaded stream); false when there is none.
    bool jumpToRevision(quint64 revision);
    /// Moves the cursor to the last event created at or before `time` (the first event when all
    /// are later); false when the timeline is empty.
    bool jumpToTime(const QDateTime &time);
    void setTypeFilter(const QSet<QByteArray> &types);
    /// Starts a payload search (empty text ends it).
    void startSearch(const QString &text);
    void setFilterToMatches(bool on);
    void setNewestFirst(bool on);
    /// Events added while the end was out of sight (what the "N new events" button says).
    int unseenNewEvents() const { return m_unseen; }
    /// Whether the newest row is in view (the list follows it then).
    bool newestInView() const;

public Q_SLOTS:
    void showJumpToRevision();
    void showJumpToTime();
    void jumpToNewest();

Q_SIGNALS:
    void statusMessage(const QString &message);

private:
    void buildToolbar(QWidget *bar);
    void syncSelectionToCursor();
    void onCurrentRowChanged();
    void onRowsGrown(int added);
    void rebuildTypeMenu();
    void updateSummary();
    void updateNewEventsButton();

    TimelineSession *m_session;
    TimelineEventModel *m_model;
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
    QTimer *m_searchDebounce = nullptr;
    int m_unseen = 0;
    bool m_syncing = false;
};

} // namespace chronoscope::views
