#include "EventListView.h"

#include "EventRowDelegate.h"
#include "JumpDialogs.h"
#include "PayloadSearch.h"
#include "TimelineEventModel.h"
#include "TimelineSession.h"
#include "engine/TimelineIndex.h"

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
    m_table->setColumnWidth(TimelineEventModel::Type, digit * 20);
    m_table->setColumnWidth(TimelineEventModel::Created, digit * 24);
    m_table->setColumnWidth(TimelineEventModel::Size, digit * 7);
    layout->addWidget(m_table, 1);

    m_newEvents = new QPushButton(this);
    m_newEvents->setObjectName(QStringLiteral("newEventsButton"));
    m_newEvents->hide();
    connect(m_newEvents, &QPushButton::clicked, this, &EventListView::jumpToNewest);
    layout->addWidget(m_newEvents);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EventListView::onCurrentRowChanged);
    connect(session->cursor(), &TimeCursor::positionChanged, this, &EventListView::syncSelectionToCursor);
    connect(m_model, &TimelineEventModel::rowsGrown, this, &EventListView::onRowsGrown);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this]() {
        syncSelectionToCursor();
        updateSummary();
    });
    connect(session, &TimelineSession::reset, this, [this]() {
        // A search belongs to the timeline it ran on.
        m_searchDebounce->stop();
        m_searchEdit->clear();
        m_progress->hide();
        m_cancelSearch->hide();
        m_unseen = 0;
        m_typesKnown = 0;
        m_typesMenu->clear();
        updateNewEventsButton();
    });
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, [this]() {
        if (m_unseen > 0 && newestInView()) {
            m_unseen = 0;
            updateNewEventsButton();
        }
    });

    // Window-wide: the window's Go menu offers these same actions (found by name).
    auto *jumpRevision = new QAction(tr("Jump to &Revision…"), this);
    jumpRevision->setObjectName(QStringLiteral("jumpToRevisionAction"));
    jumpRevision->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    connect(jumpRevision, &QAction::triggered, this, &EventListView::showJumpToRevision);
    auto *jumpTime = new QAction(tr("Jump to &Time…"), this);
    jumpTime->setObjectName(QStringLiteral("jumpToTimeAction"));
    jumpTime->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    connect(jumpTime, &QAction::triggered, this, &EventListView::showJumpToTime);
    addAction(jumpRevision);
    addAction(jumpTime);
    updateSummary();
}

EventListView::~EventListView() = default;

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

    m_summary = new QLabel(bar);
    m_summary->setObjectName(QStringLiteral("eventSummary"));
    row->addWidget(m_summary);

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

void EventListView::onRowsGrown(int added)
{
    updateSummary();
    // Loading a stream the first time, or standing at the newest: keep following it.
    const bool follow = m_session->cursor()->atEnd() || m_model->rowCount() == added;
    if (follow) {
        syncSelectionToCursor(); // the cursor moved to the new end before its row existed
        if (m_model->newestFirst())
            m_table->scrollToTop();
        else
            m_table->scrollToBottom();
        return;
    }
    m_unseen += added;
    updateNewEventsButton();
}

void EventListView::updateNewEventsButton()
{
    m_newEvents->setText(tr("%n new event(s) — show", nullptr, m_unseen));
    m_newEvents->setVisible(m_unseen > 0);
}

void EventListView::jumpToNewest()
{
    m_unseen = 0;
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

void EventListView::onCurrentRowChanged()
{
    if (m_syncing)
        return;
    const qint64 ordinal = m_model->ordinalAt(m_table->selectionModel()->currentIndex().row());
    if (ordinal >= 0)
        m_session->cursor()->setPosition(ordinal);
}

void EventListView::syncSelectionToCursor()
{
    const qint64 position = m_session->cursor()->position();
    const int row = position < 0 ? -1 : m_model->rowForOrdinal(quint64(position));
    m_syncing = true;
    if (row < 0) {
        m_table->selectionModel()->clearSelection();
    } else {
        const QModelIndex index = m_model->index(row, 0);
        m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect
                                                              | QItemSelectionModel::Rows);
        m_table->scrollTo(index);
    }
    m_syncing = false;
}

bool EventListView::jumpToRevision(quint64 revision)
{
    const std::optional<quint64> ordinal = m_session->index().findRevision(revision);
    if (!ordinal) {
        Q_EMIT statusMessage(tr("No event at revision %1").arg(revision));
        return false;
    }
    m_session->cursor()->setPosition(qint64(*ordinal));
    return true;
}

bool EventListView::jumpToTime(const QDateTime &time)
{
    const engine::TimelineIndex &index = m_session->index();
    if (index.isEmpty())
        return false;
    const qint64 ticks = time.toMSecsSinceEpoch() * 10000 + 9999; // the whole millisecond
    const std::optional<quint64> ordinal = index.lastAtOrBefore(ticks);
    m_session->cursor()->setPosition(ordinal ? qint64(*ordinal) : 0);
    if (!ordinal)
        Q_EMIT statusMessage(tr("Every event is later than %1: showing the first").arg(time.toString(Qt::ISODate)));
    return true;
}

void EventListView::showJumpToRevision()
{
    JumpDialogs::openRevision(this, [this](quint64 revision) { jumpToRevision(revision); });
}

void EventListView::showJumpToTime()
{
    const qint64 position = m_session->cursor()->position();
    const qint64 ms = position >= 0 ? m_session->index().createdTicks(quint64(position)) / 10000
                                    : QDateTime::currentMSecsSinceEpoch();
    JumpDialogs::openTime(this, QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), m_model->showsUtc(),
                          [this](const QDateTime &time) { jumpToTime(time); });
}

} // namespace chronoscope::views
