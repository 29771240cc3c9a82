#include "state/StatePane.h"

#include "common/ElidedLabel.h"

#include "common/DiffColors.h"
#include "fold/FoldController.h"
#include "session/TimeCursor.h"
#include "session/TimelineSession.h"
#include "state/StateTreeModel.h"
#include "timeline/TimelineIndex.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QProgressBar>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace chronoscope {

StatePane::StatePane(FoldController *controller, QWidget *parent)
    : QWidget(parent), m_controller(controller)
{
    setObjectName(QStringLiteral("statePane"));
    m_header = new views::ElidedLabel(this);
    m_header->setObjectName(QStringLiteral("stateHeader"));
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(80);
    m_busy->setMaximumHeight(12);
    m_busy->setTextVisible(false);
    m_busy->setToolTip(tr("Folding…"));
    m_busy->hide();
    m_busyDelay = new QTimer(this);
    m_busyDelay->setSingleShot(true);
    m_busyDelay->setInterval(150); // no flicker for quick answers
    connect(m_busyDelay, &QTimer::timeout, this, [this] {
        m_busy->show();
        showFoldingTarget();
    });
    if (TimelineSession *session = m_controller->session())
        connect(session->cursor(), &TimeCursor::positionChanged, this, [this] {
            if (m_busy->isVisible())
                showFoldingTarget();
        });

    m_eventErrors = new QLabel(this);
    m_eventErrors->setObjectName(QStringLiteral("eventFoldErrors"));
    m_eventErrors->setWordWrap(true);
    m_eventErrors->setTextFormat(Qt::PlainText);
    m_eventErrors->setStyleSheet(QStringLiteral("QLabel { color: white; background: #b3261e; padding: 4px; border-radius: 3px; }"));
    m_eventErrors->hide();

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("stateFilter"));
    m_filter->setPlaceholderText(tr("Filter keys and values…"));
    m_filter->setClearButtonEnabled(true);
    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(300);
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterDelay, &QTimer::timeout, this, &StatePane::applyFilter);

    m_model = new StateTreeModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);

    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("stateTree"));
    m_view->setModel(m_proxy);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(StateTreeModel::KeyColumn, QHeaderView::Interactive);
    m_view->header()->setSectionResizeMode(StateTreeModel::ValueColumn, QHeaderView::Stretch);
    m_view->header()->setSectionResizeMode(StateTreeModel::TypeColumn, QHeaderView::ResizeToContents);
    m_view->setColumnWidth(StateTreeModel::KeyColumn, 200);
    connect(m_view, &QTreeView::expanded, this, [this](const QModelIndex &i) {
        if (!m_restoring)
            m_expanded.insert(i.data(StateTreeModel::PathRole).toString());
    });
    connect(m_view, &QTreeView::collapsed, this, [this](const QModelIndex &i) {
        if (!m_restoring)
            m_expanded.remove(i.data(StateTreeModel::PathRole).toString());
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &StatePane::showContextMenu);

    auto *copy = new QAction(tr("Copy Value"), this);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QAction::triggered, this, &StatePane::copyValue);
    m_view->addAction(copy);

    m_buildErrors = new QListWidget(this);
    m_buildErrors->setObjectName(QStringLiteral("buildFoldErrors"));
    m_buildErrors->setMaximumHeight(90);
    m_buildErrors->hide();
    connect(m_buildErrors, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        if (m_controller->session())
            m_controller->session()->cursor()->setPosition(item->data(Qt::UserRole).toLongLong());
    });

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_header, 1);
    top->addWidget(m_busy);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_eventErrors);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_buildErrors);

    connect(controller, &FoldController::cursorStateReady, this, &StatePane::showState);
    connect(controller, &FoldController::busyChanged, this, [this](bool busy) {
        if (busy) {
            m_busyDelay->start();
        } else {
            m_busyDelay->stop();
            m_busy->hide();
            updateHeader(m_controller->cursorState());
        }
    });
    connect(controller, &FoldController::buildFinished, this, &StatePane::updateBuildErrors);
    connect(controller, &FoldController::reducerChanged, this, [this] { updateHeader(m_controller->cursorState()); });
    updateColors();
    showState(controller->cursorState());
}

void StatePane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        updateColors();
    QWidget::changeEvent(event);
}

void StatePane::updateColors()
{
    const DiffColors c = DiffColors::forPalette(palette());
    m_model->setChangeColors(c.added, c.changed);
}

void StatePane::showState(const CursorState &state)
{
    const QString current = m_model->pathOf(m_proxy->mapToSource(m_view->currentIndex()));
    const int scroll = m_view->verticalScrollBar()->value();
    m_model->setState(state.state, state.diff);
    if (!m_seenState && state.ordinal >= 0 && m_model->rowCount() > 0) {
        // A first look opens the top level (when it is small); from then on the user's choice stays.
        m_seenState = true;
        if (m_model->rowCount() <= 12)
            for (int r = 0; r < m_model->rowCount(); ++r)
                m_expanded.insert(m_model->pathOf(m_model->index(r, 0)));
    }
    restoreView(current, scroll);
    updateHeader(state);
    if (!state.ok() || !state.errors.isEmpty()) {
        QStringList lines;
        if (!state.ok())
            lines << state.error;
        for (const engine::FoldError &e : state.errors)
            lines << e.message;
        m_eventErrors->setText(lines.join(QLatin1Char('\n')));
        m_eventErrors->show();
    } else {
        m_eventErrors->hide();
    }
}

void StatePane::restoreView(const QString &current, int scroll)
{
    m_restoring = true;
    // Parents first, so that expanding a child does not need its parent's rows made twice.
    QStringList paths(m_expanded.begin(), m_expanded.end());
    std::sort(paths.begin(), paths.end(), [](const QString &a, const QString &b) { return a.size() < b.size(); });
    for (const QString &p : paths) {
        const QModelIndex i = m_proxy->mapFromSource(m_model->indexForPath(p));
        if (i.isValid())
            m_view->expand(i);
    }
    if (!current.isEmpty()) {
        const QModelIndex i = m_proxy->mapFromSource(m_model->indexForPath(current));
        if (i.isValid())
            m_view->setCurrentIndex(i);
    }
    m_view->verticalScrollBar()->setValue(scroll);
    m_restoring = false;
}

void StatePane::showFoldingTarget()
{
    // A long fold (a cursor far from any checkpoint): say where to, not only what is shown.
    const TimelineSession *session = m_controller->session();
    const qint64 target = session ? session->cursor()->position() : -1;
    if (target < 0 || target == m_controller->cursorState().ordinal)
        return;
    m_header->setText(tr("Folding to #%1… · shown: %2").arg(target).arg(m_shownHeader));
}

void StatePane::updateHeader(const CursorState &state)
{
    TimelineSession *session = m_controller->session();
    QString text;
    if (state.ordinal < 0 || !session || quint64(state.ordinal) >= session->index().size()) {
        text = tr("Initial state (before the first event)");
    } else if (state.reached != state.ordinal) {
        // The fold stopped short: say what the state really holds, never the cursor's number.
        text = state.reached < 0 ? tr("No state at #%1: the fold stopped before the first event").arg(state.ordinal)
                                 : tr("No state at #%1: the fold stopped; shown is the state after #%2 only")
                                       .arg(state.ordinal)
                                       .arg(state.reached);
    } else {
        const engine::TimelineIndex &index = session->index();
        const quint64 o = quint64(state.ordinal);
        const QDateTime created = QDateTime::fromMSecsSinceEpoch(index.createdTicks(o) / 10000, Qt::UTC);
        text = tr("State at #%1 (revision %2, %3) after %4")
                   .arg(o)
                   .arg(index.revision(o))
                   .arg(created.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")),
                        QString::fromUtf8(index.typeName(o)));
    }
    m_shownHeader = text + QStringLiteral(" · ") + tr("reducer: %1").arg(m_controller->reducerName());
    m_header->setText(m_shownHeader);
}

void StatePane::updateBuildErrors()
{
    m_buildErrors->clear();
    const QList<engine::FoldError> &errors = m_controller->buildErrors();
    const int shown = int(std::min<qsizetype>(errors.size(), 500));
    for (int i = 0; i < shown; ++i) {
        auto *item = new QListWidgetItem(tr("#%1: %2").arg(errors[i].index).arg(errors[i].message), m_buildErrors);
        item->setData(Qt::UserRole, qint64(errors[i].index));
    }
    if (m_controller->buildErrorCount() > quint64(shown))
        new QListWidgetItem(tr("… %1 fold errors in all").arg(m_controller->buildErrorCount()), m_buildErrors);
    if (!m_controller->buildError().isEmpty())
        new QListWidgetItem(tr("Folding stopped: %1").arg(m_controller->buildError()), m_buildErrors);
    m_buildErrors->setVisible(m_buildErrors->count() > 0);
}

void StatePane::applyFilter()
{
    m_proxy->setFilterFixedString(m_filter->text());
    restoreView(QString(), 0);
    if (!m_filter->text().isEmpty()) {
        m_restoring = true; // matches are usually a few levels down: show them, without remembering it
        m_view->expandToDepth(2);
        m_restoring = false;
    }
}

void StatePane::copyValue()
{
    const QModelIndex i = m_proxy->mapToSource(m_view->currentIndex());
    if (i.isValid())
        QApplication::clipboard()->setText(m_model->valueText(i));
}

void StatePane::copyPath()
{
    const QModelIndex i = m_proxy->mapToSource(m_view->currentIndex());
    if (i.isValid())
        QApplication::clipboard()->setText(m_model->pathOf(i));
}

void StatePane::showContextMenu(const QPoint &pos)
{
    if (!m_view->indexAt(pos).isValid())
        return;
    QMenu menu(this);
    menu.addAction(tr("Copy Value"), this, &StatePane::copyValue);
    menu.addAction(tr("Copy Path"), this, &StatePane::copyPath);
    menu.addSeparator();
    menu.addAction(tr("Expand All Below"), this, [this] { m_view->expandRecursively(m_view->currentIndex(), 3); });
    menu.addAction(tr("Collapse All"), this, [this] { m_view->collapseAll(); m_expanded.clear(); });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace chronoscope
