#include "StateDocks.h"

#include "state/BisectDialog.h"
#include "state/DiffPane.h"
#include "fold/FoldController.h"
#include "reducer/ReducerEditor.h"
#include "state/StatePane.h"
#include "state/WhatIfDialog.h"
#include "state/CheckpointProgress.h"
#include "state/WhatIfProgress.h"
#include "session/TimelineSession.h"
#include "timeline/TimelineIndex.h"

#include <QAction>
#include <QDockWidget>
#include <QToolBar>
#include <QVBoxLayout>

#include <memory>

namespace chronoscope {

namespace {

QWidget *withToolBar(QToolBar *bar, QWidget *content, QWidget *parent)
{
    auto *w = new QWidget(parent);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(content, 1);
    return w;
}

QToolBar *makeToolBar(const QString &name, QWidget *parent)
{
    auto *bar = new QToolBar(parent);
    bar->setObjectName(name);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->setIconSize(QSize(16, 16));
    return bar;
}

} // namespace

QList<QDockWidget *> createStateDocks(TimelineSession *session, QWidget *parent)
{
    // --- state
    auto *stateDock = new QDockWidget(QObject::tr("State"), parent);
    stateDock->setObjectName(QStringLiteral("stateDock"));
    auto *controller = new FoldController(session, stateDock);
    controller->setObjectName(QStringLiteral("foldController"));
    auto *statePane = new StatePane(controller, stateDock);
    QToolBar *stateBar = makeToolBar(QStringLiteral("stateToolBar"), stateDock);

    auto *bisect = new QAction(QObject::tr("Bisect…"), stateDock);
    bisect->setObjectName(QStringLiteral("bisectAction"));
    bisect->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    bisect->setToolTip(QObject::tr("Find the first event after which a condition on the state holds (Ctrl+B)"));
    auto *whatIfHere = new QAction(QObject::tr("What-if: without this event"), stateDock);
    whatIfHere->setObjectName(QStringLiteral("whatIfCursorAction"));
    whatIfHere->setToolTip(QObject::tr("Fold the timeline without the event at the cursor and diff with reality"));
    auto *whatIfSome = new QAction(QObject::tr("What-if…"), stateDock);
    whatIfSome->setObjectName(QStringLiteral("whatIfAction"));
    whatIfSome->setToolTip(QObject::tr("Fold the timeline without chosen events, or with a hypothetical one, and diff with reality"));
    stateBar->addAction(bisect);
    stateBar->addAction(whatIfHere);
    stateBar->addAction(whatIfSome);
    stateDock->addActions({bisect, whatIfHere, whatIfSome});

    // Checkpoint building sits above the pane, full width (in the toolbar it was squeezed).
    auto *stateContent = new QWidget(stateDock);
    auto *stateLayout = new QVBoxLayout(stateContent);
    stateLayout->setContentsMargins(0, 0, 0, 0);
    stateLayout->setSpacing(0);
    stateLayout->addWidget(new CheckpointProgress(controller, session, stateContent));
    stateLayout->addWidget(statePane, 1);
    stateDock->setWidget(withToolBar(stateBar, stateContent, stateDock));

    // --- diff
    auto *diffDock = new QDockWidget(QObject::tr("Diff"), parent);
    diffDock->setObjectName(QStringLiteral("diffDock"));
    auto *diffPane = new DiffPane(controller, diffDock);
    QToolBar *diffBar = makeToolBar(QStringLiteral("diffToolBar"), diffDock);
    TimeCursor *cursor = session->cursor();
    QAction *setA = diffBar->addAction(QObject::tr("A = cursor"), cursor, [cursor] { cursor->setMarkerA(cursor->position()); });
    setA->setObjectName(QStringLiteral("markerAAction"));
    QAction *setB = diffBar->addAction(QObject::tr("B = cursor"), cursor, [cursor] { cursor->setMarkerB(cursor->position()); });
    setB->setObjectName(QStringLiteral("markerBAction"));
    diffBar->addAction(QObject::tr("Swap"), cursor, &TimeCursor::swapMarkers);
    diffBar->addAction(QObject::tr("Clear"), cursor, &TimeCursor::clearMarkers);
    // Whoever sets the second marker (these buttons, the Go menu, the timeline's keys, the demo's
    // landing) asks for a comparison: the pane shows A vs B when the pair becomes complete.
    auto hadPair = std::make_shared<bool>(cursor->hasMarkers());
    QObject::connect(cursor, &TimeCursor::markersChanged, diffPane, [diffPane, cursor, hadPair] {
        const bool pair = cursor->hasMarkers();
        if (pair && !*hadPair)
            diffPane->setMode(DiffPane::Mode::Markers);
        *hadPair = pair;
    });
    // The what-if's progress sits above the pane the result goes to, full width (a toolbar would
    // push it into its overflow menu in a narrow dock).
    auto *diffContent = new QWidget(diffDock);
    auto *diffLayout = new QVBoxLayout(diffContent);
    diffLayout->setContentsMargins(0, 0, 0, 0);
    diffLayout->setSpacing(0);
    diffLayout->addWidget(new WhatIfProgress(controller, diffContent));
    diffLayout->addWidget(diffPane, 1);
    diffDock->setWidget(withToolBar(diffBar, diffContent, diffDock));

    // --- reducer
    auto *reducerDock = new QDockWidget(QObject::tr("Reducer"), parent);
    reducerDock->setObjectName(QStringLiteral("reducerDock"));
    auto *editor = new ReducerEditor(controller, reducerDock);
    reducerDock->setWidget(editor);

    // --- bisect and what-if
    BisectDialog *dialog = nullptr;
    QObject::connect(bisect, &QAction::triggered, stateDock, [=]() mutable {
        if (!dialog)
            dialog = new BisectDialog(controller, stateDock);
        dialog->show();
        dialog->raise();
        dialog->activateWindow();
    });
    auto runWhatIf = [=](const QList<quint64> &exclude) {
        diffDock->show();
        diffDock->raise();
        controller->whatIf(exclude, session->cursor()->count());
    };
    QObject::connect(whatIfHere, &QAction::triggered, stateDock, [=] {
        if (session->cursor()->position() >= 0)
            runWhatIf({quint64(session->cursor()->position())});
    });
    WhatIfDialog *whatIfDialog = nullptr;
    QObject::connect(whatIfSome, &QAction::triggered, stateDock, [=]() mutable {
        if (!whatIfDialog) {
            whatIfDialog = new WhatIfDialog(controller, session, stateDock);
            QObject::connect(whatIfDialog, &WhatIfDialog::started, diffDock, [diffDock] {
                diffDock->show();
                diffDock->raise();
            });
        }
        whatIfDialog->show();
        whatIfDialog->raise();
        whatIfDialog->activateWindow();
    });
    auto syncActions = [=] {
        const bool any = session->cursor()->position() >= 0;
        whatIfHere->setEnabled(any);
        whatIfSome->setEnabled(session->cursor()->count() > 0);
        bisect->setEnabled(session->cursor()->count() > 0);
    };
    QObject::connect(cursor, &TimeCursor::positionChanged, stateDock, syncActions);
    QObject::connect(cursor, &TimeCursor::countChanged, stateDock, syncActions);
    syncActions();

    return {stateDock, diffDock, reducerDock};
}

} // namespace chronoscope
