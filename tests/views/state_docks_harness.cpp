// Shows the state, diff and reducer docks in a QMainWindow over the demo history's incident
// order stream, folded with the demo reducer file, and saves a screenshot. For looking at the
// docks (light and dark) while MainWindow is built elsewhere:
//   state_docks_harness [--dark] [--unified] [--markers] [--error] [--whatif] [--whatif-cancel]
//                       [--whatif-running] --out file.png
// --whatif-cancel: a what-if, then a second one cancelled at once (the panes keep the first);
// --whatif-running: a what-if over $all, grabbed while its progress shows.
#include "StateDocks.h"
#include "client/StreamsClient.h"
#include "fold/FoldController.h"
#include "reducer/ReducerEditor.h"
#include "session/TimelineSession.h"
#include "state/BisectDialog.h"
#include "state/DiffPane.h"
#include "state/WhatIfDialog.h"
#include "state/WhatIfProgress.h"
#include "support/DemoSandbox.h"
#include "timeline/TimelineIndex.h"

#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QDockWidget>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyleFactory>
#include <QTimer>

using namespace chronoscope;

static QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
    p.setColor(QPalette::WindowText, QColor(0xdf, 0xe1, 0xe5));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::Text, QColor(0xdf, 0xe1, 0xe5));
    p.setColor(QPalette::Button, QColor(0x3c, 0x3f, 0x41));
    p.setColor(QPalette::ButtonText, QColor(0xdf, 0xe1, 0xe5));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x41));
    p.setColor(QPalette::ToolTipText, QColor(0xdf, 0xe1, 0xe5));
    p.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x8f, 0x94));
    return p;
}

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    const QStringList args = app.arguments();
    if (args.contains(QStringLiteral("--dark")))
        app.setPalette(darkPalette());
    const QString out = args.value(args.indexOf(QStringLiteral("--out")) + 1, QStringLiteral("/tmp/state-docks.png"));

    DemoSandbox sandbox;
    DemoHistory::Options options;
    options.eventCount = args.contains(QStringLiteral("--whatif-running")) ? 100000 : 20000; // long enough to see
    if (!sandbox.start(options.eventCount))
        qFatal("sandbox: %s", qPrintable(sandbox.error()));
    // The incident: the first order charged twice.
    QByteArray order;
    QHash<QByteArray, int> charges;
    DemoHistory(options).generate([&](const DemoEvent &e) {
        if (e.type == "PaymentProcessed" && ++charges[e.stream] == 2) {
            order = QJsonDocument::fromJson(e.data).object().value(QStringLiteral("orderId")).toString().toUtf8();
            return false;
        }
        return true;
    });

    TimelineSession session;
    FoldController fold(&session);
    QMainWindow window; // the docks go before the controller they show
    window.resize(1280, 800);
    window.setWindowTitle(QStringLiteral("Chronoscope — state docks"));
    const QList<QDockWidget *> docks = createStateDocks(&fold, &session, &window).docks();
    window.setCentralWidget(new QWidget(&window));
    window.centralWidget()->setMaximumWidth(0);
    window.addDockWidget(Qt::LeftDockWidgetArea, docks[0]);
    window.addDockWidget(Qt::RightDockWidgetArea, docks[1]);
    window.addDockWidget(Qt::RightDockWidgetArea, docks[2]);
    window.resizeDocks({docks[0], docks[1]}, {560, 720}, Qt::Horizontal);
    window.resizeDocks({docks[1], docks[2]}, {420, 330}, Qt::Vertical);
    window.show();

    auto *editor = docks[2]->findChild<ReducerEditor *>();
    FoldController *controller = &fold;
    QString reducerPath = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/resources/reducers/demo-orders.reducer.json");
    if (args.contains(QStringLiteral("--error"))) {
        // A copy with a typo in an upcaster, to show how a load error looks.
        QFile original(reducerPath);
        if (!original.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(reducerPath));
        const QByteArray broken = original.readAll().replace("Math.round(data.total * 100)", "Math.round(data.total * 100");
        reducerPath = QStringLiteral("/tmp/harness-broken.reducer.json");
        QFile copy(reducerPath);
        if (!copy.open(QIODevice::WriteOnly) || copy.write(broken) < 0)
            qFatal("cannot write %s", qPrintable(reducerPath));
        QFile::remove(QStringLiteral("/tmp/demo-orders.projection.js"));
        QFile::copy(QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/resources/reducers/demo-orders.projection.js"),
                    QStringLiteral("/tmp/demo-orders.projection.js"));
    }
    editor->openFile(reducerPath, true);
    const bool running = args.contains(QStringLiteral("--whatif-running"));
    session.load(std::make_shared<const StreamsClient>(sandbox.settings()), running ? TimelineSession::allStream() : order);
    if (running) {
        QObject::connect(controller, &FoldController::whatIfProgress, &window, [&](quint64 done, quint64 total) {
            auto *strip = docks[1]->findChild<WhatIfProgress *>();
            if (strip->isVisible() && done > 0 && done < total) {
                window.grab().save(out);
                qInfo("saved %s at %llu of %llu", qPrintable(out), static_cast<unsigned long long>(done),
                      static_cast<unsigned long long>(total));
                app.quit();
            }
        });
    }
    if (args.contains(QStringLiteral("--whatif-cancel"))) {
        QObject::connect(controller, &FoldController::whatIfReady, &window, [&] {
            docks[0]->findChild<QAction *>(QStringLiteral("whatIfAction"))->trigger();
            auto *dialog = docks[0]->findChild<WhatIfDialog *>();
            dialog->move(window.geometry().topLeft() + QPoint(40, 420));
            dialog->excludeEdit()->setText(QStringLiteral("0-2"));
            dialog->run();
            dialog->cancelButton()->click();
            QTimer::singleShot(300, dialog, [dialog, out] {
                dialog->grab().save(QString(out).replace(QStringLiteral(".png"), QStringLiteral("-dialog.png")));
            });
        }, Qt::SingleShotConnection);
    }

    QObject::connect(&session, &TimelineSession::loadFinished, &window, [&] {
        const qint64 n = qint64(session.index().size());
        session.cursor()->setPosition(std::min<qint64>(n - 1, 3));
        if (args.contains(QStringLiteral("--markers"))) {
            session.cursor()->setMarkerA(1);
            session.cursor()->setMarkerB(n - 1);
            docks[1]->findChild<DiffPane *>()->setMode(DiffPane::Mode::Markers);
        }
        if (args.contains(QStringLiteral("--whatif")) || args.contains(QStringLiteral("--whatif-cancel")))
            docks[0]->findChild<QAction *>(QStringLiteral("whatIfCursorAction"))->trigger();
        if (args.contains(QStringLiteral("--bisect"))) {
            docks[0]->findChild<QAction *>(QStringLiteral("bisectAction"))->trigger();
            auto *dialog = docks[0]->findChild<BisectDialog *>();
            dialog->expressionEdit()->setText(QStringLiteral("state.totals.confirmed > 0"));
            dialog->run();
            QObject::connect(controller, &FoldController::bisectFinished, dialog, [dialog, out] {
                QTimer::singleShot(200, dialog, [dialog, out] {
                    dialog->grab().save(QString(out).replace(QStringLiteral(".png"), QStringLiteral("-dialog.png")));
                });
            });
        }
        if (args.contains(QStringLiteral("--unified")))
            docks[1]->findChild<DiffPane *>()->setRendering(DiffPane::Rendering::Unified);
        if (running) { // once the checkpoints are built: without the first event, so all of it is refolded
            QTimer::singleShot(2000, &window, [&] { controller->whatIf({0}, session.index().size()); });
            return;
        }
        QTimer::singleShot(1500, &window, [&] {
            // Show what the state pane keeps expanded while scrubbing.
            QTimer::singleShot(300, &window, [&] {
                window.grab().save(out);
                qInfo("saved %s (reducer %s, %llu events)", qPrintable(out), qPrintable(controller->reducerName()),
                      static_cast<unsigned long long>(session.index().size()));
                app.quit();
            });
        });
    });
    QTimer::singleShot(90000, &app, [&] { qWarning("timed out"); app.exit(1); });
    return app.exec();
}
