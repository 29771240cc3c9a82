#include "events/EventListView.h"

#include "common/ElidedLabel.h"
#include "events/EventRowDelegate.h"
#include "events/JumpDialogs.h"
#include "session/PayloadSearch.h"
#include "session/TimelineEventModel.h"
#include "session/TimelineSession.h"
#include "timeline/TimelineIndex.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace chronoscope::views {

EventListView::EventListView(TimelineSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new TimelineEventModel(session, this))
    , m_search(new PayloadSearch(session, this))
    , m_table(new QTableView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *bar = new QWidget(this);
    buildToolbar(bar);
    layout->addWidget(bar);

    m_table->setObjectName(QStringLiteral("eventTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new EventRowDelegate(TimelineEventModel::SearchMatchRole,
                                                  TimelineEventModel::DeletedTargetRole,
                                                  TimelineEventModel::PendingRole, m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    // Fixed row heights: the view never measures rows, which keeps a million rows smooth.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    const int digit = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_table->setColumnWidth(TimelineEventModel::Revision, digit * 9);
    m_table->setColumnWidth(TimelineEventModel::Position, digit * 11);
    m_table->setColumnWidth(TimelineEventModel::Stream, digit * 18);
    m_table->setColumnWidth(TimelineEventModel::Type, digit * 20);
    m_table->setColumnWidth(TimelineEventModel::Created, digit * 24);
    m_table->setColumnWidth(TimelineEventModel::Size, digit * 7);
    layout->addWidget(m_table, 1);

    m_newEvents = new QPushButton(this);
    m_newEvents->setObjectName(QStringLiteral("newEventsButton"));
    m_newEvents->setToolTip(tr("Show the newest events (Ctrl+Shift+End)"));
    m_newEvents->hide();
    connect(m_newEvents, &QPushButton::clicked, this, &EventListView::jumpToNewest);
    layout->addWidget(m_newEvents);
    // The count under the list, as the stream browser's (the toolbar has no room to spare).
    m_summary = new ElidedLabel(this);
    m_summary->setObjectName(QStringLiteral("eventSummary"));
    m_summary->setContentsMargins(4, 0, 4, 2);
    layout->addWidget(m_summary);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EventListView::onCurrentRowChanged);
    connect(session->cursor(), &TimeCursor::positionChanged, this, [this]() { syncSelectionToCursor(); });
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, &EventListView::onRowsAboutToGrow);
    connect(m_model, &TimelineEventModel::rowsGrown, this, &EventListView::onRowsGrown);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this]() {
        syncSelectionToCursor();
        updateSummary();
    });
    connect(session, &TimelineSession::reset, this, &EventListView::onReset);
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, [this]() {
        if (m_unseen > 0 && newestInView()) {
            m_unseen = 0;
            updateNewEventsButton();
        }
    });

    installActions();
    onReset();
}

EventListView::~EventListView() = default;

QWidget *EventListView::searchField() const
{
    return m_searchEdit;
}

void EventListView::installActions()
{
    // Window-wide: the window's Go menu offers these same actions (navigationActions()).
    m_jumpRevision = new QAction(tr("Jump to &Revision…"), this);
    m_jumpRevision->setObjectName(QStringLiteral("jumpToRevisionAction"));
    m_jumpRevision->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    connect(m_jumpRevision, &QAction::triggered, this, &EventListView::showJumpToRevision);
    auto *jumpTime = new QAction(tr("Jump to &Time…"), this);
    jumpTime->setObjectName(QStringLiteral("jumpToTimeAction"));
    jumpTime->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    connect(jumpTime, &QAction::triggered, this, &EventListView::showJumpToTime);
    auto *timeRange = new QAction(tr("Time &Range…"), this);
    timeRange->setObjectName(QStringLiteral("timeRangeAction"));
    timeRange->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    timeRange->setToolTip(tr("List only the events created in a time range"));
    connect(timeRange, &QAction::triggered, this, &EventListView::showTimeRange);
    m_navigation = {m_jumpRevision, jumpTime, timeRange};
    m_showNewest = new QAction(tr("Show Newest Events"), this);
    m_showNewest->setObjectName(QStringLiteral("showNewestAction"));
    m_showNewest->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_End));
    m_showNewest->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_showNewest, &QAction::triggered, this, &EventListView::jumpToNewest);
    addAction(m_jumpRevision);
    addAction(jumpTime);
    addAction(timeRange);
    addAction(m_showNewest);

    // Window-wide, so that a menu can carry the same action (one action: no ambiguous shortcut).
    m_followLive->setObjectName(QStringLiteral("followLiveAction"));
    m_followLive->setCheckable(true);
    m_followLive->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    m_followLive->setShortcutContext(Qt::WindowShortcut);
    m_followLive->setChecked(m_session->followsLive());
    connect(m_followLive, &QAction::toggled, m_session, &TimelineSession::setFollowLive);
    connect(m_session, &TimelineSession::followLiveChanged, m_followLive, &QAction::setChecked);
    connect(m_session, &TimelineSession::followingChanged, this, &EventListView::updateFollowButton);
    addAction(m_followLive);
    updateFollowButton();
}

void EventListView::onReset()
{
    // A search belongs to the timeline it ran on.
    m_searchDebounce->stop();
    m_searchEdit->clear();
    m_onlyMatches->hide();
    m_progress->hide();
    m_cancelSearch->hide();
    m_unseen = 0;
    m_atNewest = true;
    m_typesKnown = 0;
    m_typesMenu->clear();
    updateNewEventsButton();
    updateSummary();
    m_table->setColumnHidden(TimelineEventModel::Stream, !m_session->spansStreams());
    // `$all` has no revisions of its own: Ctrl+G goes to a commit position there.
    m_jumpRevision->setText(m_session->isAll() ? tr("Jump to &Position…") : tr("Jump to &Revision…"));
}

void EventListView::updateFollowButton()
{
    const bool following = m_session->isFollowing();
    m_followButton->setText(following ? tr("● Live") : tr("Live"));
    m_followButton->setToolTip(m_followLive->isChecked()
                                   ? (following ? tr("Following new events as they are appended (Ctrl+Shift+L stops)")
                                                : tr("New events will be followed once the timeline is loaded (Ctrl+Shift+L stops)"))
                                   : tr("Not following new events (Ctrl+Shift+L follows them)"));
}

void EventListView::buildToolbar(QWidget *bar)
{
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(4, 2, 4, 0);
    row->setSpacing(4);

    m_typesButton = new QToolButton(bar);
    m_typesButton->setObjectName(QStringLiteral("typeFilterButton"));
    m_typesButton->setText(tr("All types"));
    m_typesButton->setPopupMode(QToolButton::InstantPopup);
    m_typesMenu = new QMenu(m_typesButton);
    m_typesButton->setMenu(m_typesMenu);
    connect(m_typesMenu, &QMenu::aboutToShow, this, &EventListView::rebuildTypeMenu);
    row->addWidget(m_typesButton);

    m_searchEdit = new QLineEdit(bar);
    m_searchEdit->setObjectName(QStringLiteral("searchEdit"));
    m_searchEdit->setPlaceholderText(tr("Search payloads…"));
    m_searchEdit->setClearButtonEnabled(true);
    m_searchEdit->setToolTip(tr("Search the payloads of the listed events (Ctrl+Shift+F)"));
    m_searchEdit->setMinimumWidth(m_searchEdit->fontMetrics().horizontalAdvance(QStringLiteral("Search…")) + 24);
    m_searchDebounce = new QTimer(this);
    m_searchDebounce->setSingleShot(true);
    m_searchDebounce->setInterval(300);
    connect(m_searchEdit, &QLineEdit::textEdited, m_searchDebounce, qOverload<>(&QTimer::start));
    connect(m_searchEdit, &QLineEdit::returnPressed, this, [this]() { startSearch(m_searchEdit->text()); });
    connect(m_searchDebounce, &QTimer::timeout, this, [this]() { startSearch(m_searchEdit->text()); });
    row->addWidget(m_searchEdit, 1);

    m_onlyMatches = new QCheckBox(tr("Only matches"), bar);
    m_onlyMatches->setObjectName(QStringLiteral("onlyMatches"));
    connect(m_onlyMatches, &QCheckBox::toggled, this, &EventListView::setFilterToMatches);
    m_onlyMatches->hide(); // with a search only: the toolbar is narrow
    row->addWidget(m_onlyMatches);

    m_progress = new QProgressBar(bar);
    m_progress->setMaximumWidth(110);
    m_progress->setTextVisible(true);
    m_progress->hide();
    row->addWidget(m_progress);
    m_cancelSearch = new QToolButton(bar);
    m_cancelSearch->setText(tr("Stop"));
    m_cancelSearch->hide();
    connect(m_cancelSearch, &QToolButton::clicked, m_search, &PayloadSearch::cancel);
    row->addWidget(m_cancelSearch);

    // Only the events between markers A and B: an auditor's time range, and what Export then writes.
    m_betweenMarkers = new QToolButton(bar);
    m_betweenMarkers->setObjectName(QStringLiteral("betweenMarkersButton"));
    m_betweenMarkers->setText(tr("A–B only"));
    m_betweenMarkers->setCheckable(true);
    m_betweenMarkers->setToolTip(tr("List only the events from marker A to marker B (set them on the timeline, or pick\n"
                                    "a time range with Go ▸ Time Range…, Ctrl+Shift+T)"));
    auto applyRange = [this] {
        const TimeCursor *c = m_session->cursor();
        const bool pair = c->hasMarkers();
        m_betweenMarkers->setEnabled(pair || m_betweenMarkers->isChecked());
        if (m_betweenMarkers->isChecked() && !pair)
            m_betweenMarkers->setChecked(false); // toggling off applies below
        m_model->setRange(m_betweenMarkers->isChecked() && pair
                              ? std::optional(std::pair(quint64(c->markerA()), quint64(c->markerB())))
                              : std::nullopt);
        updateSummary();
    };
    connect(m_betweenMarkers, &QToolButton::toggled, this, applyRange);
    connect(m_session->cursor(), &TimeCursor::markersChanged, this, applyRange);
    m_betweenMarkers->setEnabled(false);
    row->addWidget(m_betweenMarkers);

    m_newestFirst = new QToolButton(bar);
    m_newestFirst->setObjectName(QStringLiteral("newestFirstButton"));
    m_newestFirst->setText(tr("Newest first"));
    m_newestFirst->setCheckable(true);
    connect(m_newestFirst, &QToolButton::toggled, this, &EventListView::setNewestFirst);
    row->addWidget(m_newestFirst);

    m_utc = new QToolButton(bar);
    m_utc->setText(tr("UTC"));
    m_utc->setCheckable(true);
    m_utc->setChecked(true);
    m_utc->setToolTip(tr("Show created times in UTC (unchecked: local time)"));
    connect(m_utc, &QToolButton::toggled, this, [this](bool on) {
        m_model->setShowUtc(on);
        m_utc->setText(on ? tr("UTC") : tr("Local"));
    });
    row->addWidget(m_utc);

    m_followLive = new QAction(tr("Follow Live"), this);
    m_followButton = new QToolButton(bar);
    m_followButton->setObjectName(QStringLiteral("followLiveButton"));
    m_followButton->setDefaultAction(m_followLive);
    row->addWidget(m_followButton);


    connect(m_search, &PayloadSearch::progress, this, [this](quint64 scanned, quint64 total, const QList<quint64> &) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(total ? int(scanned * 1000 / total) : 0);
        m_progress->setFormat(tr("%1 found").arg(m_search->matches().size()));
        m_model->setSearchMatches(m_search->matches(), true, m_onlyMatches->isChecked());
    });
    connect(m_search, &PayloadSearch::finished, this, [this](bool cancelled, const QString &error) {
        m_progress->hide();
        m_cancelSearch->hide();
        const bool active = !m_search->text().isEmpty();
        m_model->setSearchMatches(m_search->matches(), active, m_onlyMatches->isChecked());
        if (!error.isEmpty())
            Q_EMIT statusMessage(tr("Search stopped: %1").arg(error));
        else if (active)
            Q_EMIT statusMessage(cancelled ? tr("Search cancelled: %n match(es) so far", nullptr, int(m_search->matches().size()))
                                           : tr("%n event(s) match", nullptr, int(m_search->matches().size())));
        updateSummary();
    });
}

void EventListView::startSearch(const QString &text)
{
    m_searchDebounce->stop();
    if (m_searchEdit->text() != text)
        m_searchEdit->setText(text);
    m_onlyMatches->setVisible(!text.isEmpty());
    m_model->setSearchMatches({}, false, false);
    m_search->start(text);
    const bool running = m_search->isRunning();
    m_progress->setVisible(running);
    m_cancelSearch->setVisible(running);
    if (running) {
        m_progress->setValue(0);
        m_progress->setFormat(tr("searching"));
        m_model->setSearchMatches({}, true, m_onlyMatches->isChecked());
    }
}

void EventListView::setFilterToMatches(bool on)
{
    if (m_onlyMatches->isChecked() != on)
        m_onlyMatches->setChecked(on);
    m_model->setSearchMatches(m_search->matches(), !m_search->text().isEmpty(), on);
    updateSummary();
}

void EventListView::setNewestFirst(bool on)
{
    if (m_newestFirst->isChecked() != on)
        m_newestFirst->setChecked(on);
    m_model->setNewestFirst(on);
}

void EventListView::setTypeFilter(const QSet<QByteArray> &types)
{
    m_model->setTypeFilter(types);
    m_typesButton->setText(types.isEmpty() ? tr("All types") : tr("%n type(s)", nullptr, int(types.size())));
    updateSummary();
}

void EventListView::rebuildTypeMenu()
{
    const engine::TimelineIndex &index = m_session->index();
    m_typesMenu->clear();
    const QSet<QByteArray> selected = m_model->typeFilter();
    QList<QByteArray> names;
    for (quint32 id = 0; id < index.types().size(); ++id)
        names.append(index.types().name(id));
    std::sort(names.begin(), names.end());
    auto *all = m_typesMenu->addAction(tr("All types"));
    connect(all, &QAction::triggered, this, [this]() { setTypeFilter({}); });
    m_typesMenu->addSeparator();
    for (const QByteArray &name : std::as_const(names)) {
        auto *a = m_typesMenu->addAction(QString::fromUtf8(name));
        a->setCheckable(true);
        a->setChecked(selected.contains(name));
        connect(a, &QAction::toggled, this, [this, name](bool on) {
            QSet<QByteArray> types = m_model->typeFilter();
            if (on)
                types.insert(name);
            else
                types.remove(name);
            setTypeFilter(types);
        });
    }
    m_typesKnown = int(index.types().size());
}

bool EventListView::newestInView() const
{
    const QScrollBar *s = m_table->verticalScrollBar();
    return m_model->newestFirst() ? s->value() == s->minimum() : s->value() == s->maximum();
}

void EventListView::onRowsAboutToGrow()
{
    // Whether the user is at the end is decided on the rows they see, before the new ones come.
    m_atNewest = newestInView();
    m_topOrdinal = m_model->ordinalAt(m_table->rowAt(0));
}

void EventListView::onRowsGrown(int added)
{
    updateSummary();
    // Loading a timeline the first time, or standing at the newest event: follow it.
    const bool follow = m_model->rowCount() == added || (m_atNewest && m_session->cursor()->atEnd());
    if (follow) {
        syncSelectionToCursor(); // the cursor moved to the new end before its row existed
        if (m_model->newestFirst())
            m_table->scrollToTop();
        else
            m_table->scrollToBottom();
        return;
    }
    // Stay where the user is: newest first, the new rows came above, so put the top row back.
    if (m_model->newestFirst() && m_topOrdinal >= 0)
        m_table->scrollTo(m_model->index(m_model->rowForOrdinal(quint64(m_topOrdinal)), 0),
                          QAbstractItemView::PositionAtTop);
    syncSelectionToCursor(false); // a cursor following the end selects its new row out of sight
    m_unseen += added;
    updateNewEventsButton();
}

void EventListView::updateNewEventsButton()
{
    // Spelled out: without a translation loaded, %n plurals would show as "event(s)".
    m_newEvents->setText(m_unseen == 1 ? tr("1 new event — show")
                                       : tr("%1 new events — show").arg(QLocale().toString(m_unseen)));
    m_newEvents->setVisible(m_unseen > 0);
}

void EventListView::jumpToNewest()
{
    m_unseen = 0;
    m_atNewest = true;
    updateNewEventsButton();
    m_session->cursor()->toEnd();
    if (m_model->newestFirst())
        m_table->scrollToTop();
    else
        m_table->scrollToBottom();
}

void EventListView::updateSummary()
{
    const QLocale locale;
    const quint64 total = m_model->eventCount();
    const quint64 shown = quint64(m_model->rowCount());
    m_summary->setText(shown == total ? (total == 1 ? tr("1 event") : tr("%1 events").arg(locale.toString(total)))
                                      : tr("%1 of %2").arg(locale.toString(shown), locale.toString(total)));
}

void EventListView::addRowAction(QAction *action)
{
    if (m_rowActions.isEmpty()) {
        m_table->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
            const QModelIndex index = m_table->indexAt(pos);
            if (!index.isValid())
                return;
            m_table->setCurrentIndex(index); // the cursor goes to the row: the actions act on it
            QMenu::exec(m_rowActions, m_table->viewport()->mapToGlobal(pos), nullptr, m_table);
        });
    }
    m_rowActions << action;
}

void EventListView::onCurrentRowChanged()
{
    if (m_syncing)
        return;
    const qint64 ordinal = m_model->ordinalAt(m_table->selectionModel()->currentIndex().row());
    if (ordinal >= 0)
        m_session->cursor()->setPosition(ordinal);
}

void EventListView::syncSelectionToCursor(bool scroll)
{
    const qint64 position = m_session->cursor()->position();
    const int row = position < 0 ? -1 : m_model->rowForOrdinal(quint64(position));
    m_syncing = true;
    if (row < 0) {
        m_table->selectionModel()->clearSelection();
    } else {
        // The view scrolls to a new current index by itself (autoScroll): hold it when asked.
        const bool autoScroll = m_table->hasAutoScroll();
        m_table->setAutoScroll(autoScroll && scroll);
        const QModelIndex index = m_model->index(row, 0);
        m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect
                                                              | QItemSelectionModel::Rows);
        m_table->setAutoScroll(autoScroll);
        if (scroll)
            m_table->scrollTo(index);
    }
    m_syncing = false;
}

} // namespace chronoscope::views
