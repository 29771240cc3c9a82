#include "StateDocks.h"

#include "fold/FoldController.h"
#include "reducer/ReducerEditor.h"
#include "session/TimelineSession.h"
#include "state/BisectDialog.h"
#include "state/CheckpointProgress.h"
#include "state/DiffPane.h"
#include "state/StatePane.h"
#include "state/WhatIfDialog.h"
#include "state/WhatIfProgress.h"

#include <QAction>
#include <QToolBar>
#include <QVBoxLayout>

namespace chronoscope {

namespace {

QToolBar *makeToolBar(const QString &name, QWidget *parent)
{
    auto *bar = new QToolBar(parent);
    bar->setObjectName(name);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->setIconSize(QSize(16, 16));
    return bar;
}

/// A toolbar over a strip (full width: in the toolbar it would be squeezed or pushed into the
/// overflow menu of a narrow dock) over the content.
QWidget *stack(QToolBar *bar, QWidget *strip, QWidget *content, QWidget *parent)
{
    auto *w = new QWidget(parent);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(strip);
    layout->addWidget(content, 1);
    return w;
}

QAction *makeAction(const QString &text, const char *name, const QString &toolTip, QObject *parent)
{
    auto *action = new QAction(text, parent);
    action->setObjectName(QLatin1String(name));
    action->setToolTip(toolTip);
    return action;
}

void present(QWidget *dialog)
{
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

} // namespace

StateDock::StateDock(FoldController *fold, TimelineSession *session, QWidget *parent)
    : QDockWidget(tr("State"), parent)
    , m_fold(fold)
    , m_session(session)
    , m_pane(new StatePane(fold, this))
    , m_bisect(makeAction(tr("Bisect…"), "bisectAction",
                          tr("Find the first event after which a condition on the state holds (Ctrl+B)"), this))
    , m_whatIfHere(makeAction(tr("What-if: without this event"), "whatIfCursorAction",
                              tr("Fold the timeline without the event at the cursor and diff with reality"), this))
    , m_whatIfSome(makeAction(
          tr("What-if…"), "whatIfAction",
          tr("Fold the timeline without chosen events, or with a hypothetical one, and diff with reality"), this))
{
    setObjectName(QStringLiteral("stateDock"));
    m_bisect->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    QToolBar *bar = makeToolBar(QStringLiteral("stateToolBar"), this);
    bar->addActions({m_bisect, m_whatIfHere, m_whatIfSome});
    addActions({m_bisect, m_whatIfHere, m_whatIfSome});
    setWidget(stack(bar, new CheckpointProgress(fold, session, this), m_pane, this));

    connect(m_bisect, &QAction::triggered, this, &StateDock::showBisect);
    connect(m_whatIfHere, &QAction::triggered, this, [this] {
        if (m_session->cursor()->position() < 0)
            return;
        Q_EMIT whatIfStarted();
        m_fold->whatIf({quint64(m_session->cursor()->position())}, m_session->cursor()->count());
    });
    connect(m_whatIfSome, &QAction::triggered, this, &StateDock::showWhatIf);
    connect(session->cursor(), &TimeCursor::positionChanged, this, &StateDock::syncActions);
    connect(session->cursor(), &TimeCursor::countChanged, this, &StateDock::syncActions);
    syncActions();
}

void StateDock::showBisect()
{
    if (!m_bisectDialog)
        m_bisectDialog = new BisectDialog(m_fold, this);
    present(m_bisectDialog);
}

void StateDock::showWhatIf()
{
    if (!m_whatIfDialog) {
        auto *dialog = new WhatIfDialog(m_fold, m_session, this);
        connect(dialog, &WhatIfDialog::started, this, &StateDock::whatIfStarted);
        m_whatIfDialog = dialog;
    }
    present(m_whatIfDialog);
}

void StateDock::syncActions()
{
    const TimeCursor *cursor = m_session->cursor();
    m_whatIfHere->setEnabled(cursor->position() >= 0);
    m_whatIfSome->setEnabled(cursor->count() > 0);
    m_bisect->setEnabled(cursor->count() > 0);
}

DiffDock::DiffDock(FoldController *fold, TimelineSession *session, QWidget *parent)
    : QDockWidget(tr("Diff"), parent), m_pane(new DiffPane(fold, this))
{
    setObjectName(QStringLiteral("diffDock"));
    QToolBar *bar = makeToolBar(QStringLiteral("diffToolBar"), this);
    TimeCursor *cursor = session->cursor();
    bar->addAction(tr("A = cursor"), cursor, [cursor] { cursor->setMarkerA(cursor->position()); })
        ->setObjectName(QStringLiteral("markerAAction"));
    bar->addAction(tr("B = cursor"), cursor, [cursor] { cursor->setMarkerB(cursor->position()); })
        ->setObjectName(QStringLiteral("markerBAction"));
    bar->addAction(tr("Swap"), cursor, &TimeCursor::swapMarkers);
    bar->addAction(tr("Clear"), cursor, &TimeCursor::clearMarkers);
    setWidget(stack(bar, new WhatIfProgress(fold, this), m_pane, this));

    // Whoever sets the second marker asks for a comparison: A vs B when the pair becomes complete.
    m_hadPair = cursor->hasMarkers();
    connect(cursor, &TimeCursor::markersChanged, m_pane, [this, cursor] {
        const bool pair = cursor->hasMarkers();
        if (pair && !m_hadPair)
            m_pane->setMode(DiffPane::Mode::Markers);
        m_hadPair = pair;
    });
}

void DiffDock::reveal()
{
    show();
    raise();
}

ReducerDock::ReducerDock(FoldController *fold, QWidget *parent)
    : QDockWidget(tr("Reducer"), parent), m_editor(new ReducerEditor(fold, this))
{
    setObjectName(QStringLiteral("reducerDock"));
    setWidget(m_editor);
}

StateDocks createStateDocks(FoldController *fold, TimelineSession *session, QWidget *parent)
{
    const StateDocks docks{new StateDock(fold, session, parent), new DiffDock(fold, session, parent),
                           new ReducerDock(fold, parent)};
    // A what-if's result goes to the diff pane.
    QObject::connect(docks.state, &StateDock::whatIfStarted, docks.diff, &DiffDock::reveal);
    return docks;
}

} // namespace chronoscope
