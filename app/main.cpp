// chronoscope: the desktop time-travel explorer.
#include "AppIdentity.h"
#include "ArchiveActions.h"
#include "ComposerScript.h"
#include "ConnectionController.h"
#include "MainWindow.h"
#include "ThemeManager.h"
#include "timeline/TimelineView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QPixmap>
#include <QPointer>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace chronoscope;

namespace {

/// `--screenshot FILE`: saves the window once everything has loaded, then quits (for docs and CI).
/// `stream`: the stream asked for with --stream, which the shot waits for too (a `$ce-` stream is
/// opened from the categories list, which may fill after the window has settled).
/// `script`: a --composer run the shot waits for (null: none).
void scheduleScreenshot(MainWindow &window, const QString &file, const QByteArray &stream, ComposerScript *script,
                        int extraWaitMs)
{
    auto take = [&window, file](bool settled) {
        // On a real display (Xvfb too) the screen's pixels, so that dialogs over the window show.
        QPixmap shot;
        QScreen *screen = window.screen();
        if (screen && QGuiApplication::platformName() == QLatin1String("xcb")) {
            const QRect r = window.frameGeometry();
            shot = screen->grabWindow(0, r.x(), r.y(), r.width(), r.height());
        }
        if (shot.isNull())
            shot = window.grab();
        const bool saved = shot.save(file);
        if (!saved)
            std::fprintf(stderr, "chronoscope: cannot write %s\n", qPrintable(file));
        if (!settled)
            std::fprintf(stderr, "chronoscope: still loading after the time limit, screenshot taken anyway\n");
        QCoreApplication::exit(saved && settled ? 0 : 1);
    };
    // Let the last batch paint before grabbing.
    QPointer<ComposerScript> scripted(script);
    QObject::connect(
        &window, &MainWindow::settled, &window,
        [&window, take, stream, scripted, extraWaitMs]() {
            auto *poll = new QTimer(&window);
            QObject::connect(poll, &QTimer::timeout, &window, [&window, take, stream, poll, scripted, extraWaitMs]() {
                const TimelineSession *session = window.session();
                if (!stream.isEmpty() && (session->stream() != stream || session->isLoading()))
                    return;
                if (scripted && !scripted->isDone())
                    return;
                poll->stop();
                QTimer::singleShot(300 + extraWaitMs, [take]() { take(true); });
            });
            poll->start(100);
        },
        Qt::SingleShotConnection);
    QTimer::singleShot(300000, &window, [take]() { take(false); });
}

/// `--exit-after-first-paint`: prints how long the first paint of the window took from main()
/// and quits (bench_gui_responsiveness measures cold start with it, from process start).
class FirstPaintProbe : public QObject
{
public:
    explicit FirstPaintProbe(const QElapsedTimer &sinceMain, QObject *parent) : QObject(parent), m_sinceMain(sinceMain) {}

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_done) {
            m_done = true;
            // After this paint has been flushed: the next turn of the event loop.
            QTimer::singleShot(0, this, [this]() {
                std::printf("first-paint-ms-since-main: %lld\n", static_cast<long long>(m_sinceMain.elapsed()));
                std::fflush(stdout);
                QCoreApplication::exit(0);
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QElapsedTimer m_sinceMain;
    bool m_done = false;
};

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    QApplication app(argc, argv);
    AppIdentity::apply();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Time-travel explorer for EventStoreDB / KurrentDB."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Start an in-process sandbox server seeded with the demo history."));
    const QCommandLineOption demoEvents(QStringLiteral("demo-events"),
                                        QStringLiteral("Events in the demo history (default 100000)."), QStringLiteral("N"));
    const QCommandLineOption connectTo(QStringLiteral("connect"),
                                       QStringLiteral("Connect to a server, e.g. kurrentdb://localhost:2113?tls=false."),
                                       QStringLiteral("connection string"));
    const QCommandLineOption stream(QStringList{QStringLiteral("stream"), QStringLiteral("open-stream")},
                                    QStringLiteral("Open this stream (or $all) once it is listed."), QStringLiteral("name"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Save the window to FILE once loaded, then quit."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption connectDialog(QStringLiteral("connect-dialog"),
                                           QStringLiteral("Open the Connect dialog at start (File > Connect...)."));
    const QCommandLineOption firstPaint(QStringLiteral("exit-after-first-paint"),
                                        QStringLiteral("Quit after the window's first paint, printing the time it took."));
    const QCommandLineOption noLanding(QStringLiteral("demo-no-landing"),
                                       QStringLiteral("With --demo: do not open the incident's double-charged payment."));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("system, light or dark (remembered)."),
                                   QStringLiteral("theme"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size, e.g. 1920x1080."),
                                  QStringLiteral("WxH"));
    const QCommandLineOption pane(
        QStringLiteral("pane"),
        QStringLiteral("Bring this pane to the front once loaded: streams, timeline, events, "
                       "inspector, state, diff, reducer, composer, audit, lag, subscriptions or projections."),
        QStringLiteral("NAME"));
    const QCommandLineOption timelineMode(QStringLiteral("timeline"),
                                          QStringLiteral("What the timeline shows: density (by type) or throughput (events/s)."),
                                          QStringLiteral("mode"));
    const QCommandLineOption composer(QStringLiteral("composer"),
                                      QStringLiteral("With --demo, for screenshots and tests: bring the composer to a "
                                                     "state on the duplicate charge: ")
                                          + ComposerScript::names() + QLatin1Char('.'),
                                      QStringLiteral("STATE"));
    const QCommandLineOption composeDraft(
        QStringLiteral("compose-draft"),
        QStringLiteral("With --composer: type TEXT into the draft's data (autosaved)."), QStringLiteral("TEXT"));
    const QCommandLineOption screenshotWait(
        QStringLiteral("screenshot-wait"),
        QStringLiteral("With --screenshot: wait MS more once loaded (a chart sampled over time, e.g. --pane lag)."),
        QStringLiteral("MS"));
    parser.addOptions({demo, demoEvents, connectTo, stream, screenshot, connectDialog, firstPaint, noLanding, theme,
                       size, pane, timelineMode, composer, composeDraft, screenshotWait});
    // The desktop file passes a double-clicked archive here (MIME type application/x-chronoscope-archive).
    parser.addPositionalArgument(QStringLiteral("archive"),
                                 QStringLiteral("A Chronoscope archive (*.chronarc) to open offline."),
                                 QStringLiteral("[archive]"));
    parser.process(app);

    DemoHistory::Options demoOptions;
    if (parser.isSet(demoEvents)) {
        bool ok = false;
        demoOptions.eventCount = parser.value(demoEvents).toULongLong(&ok);
        if (!ok || demoOptions.eventCount == 0) {
            std::fprintf(stderr, "chronoscope: --demo-events needs a positive number, got '%s'\n",
                         qPrintable(parser.value(demoEvents)));
            return 2;
        }
    }
    const QStringList archives = parser.positionalArguments();
    if (archives.size() > 1) {
        std::fprintf(stderr, "chronoscope: one archive at a time, got %lld\n", static_cast<long long>(archives.size()));
        return 2;
    }
    if (parser.isSet(demo) && parser.isSet(connectTo)) {
        std::fprintf(stderr, "chronoscope: --demo and --connect exclude each other\n");
        return 2;
    }

    MainWindow window;
    if (parser.isSet(theme)) {
        const QString name = parser.value(theme).toLower();
        if (name == QLatin1String("dark"))
            window.themes()->setTheme(ThemeManager::Theme::Dark);
        else if (name == QLatin1String("light"))
            window.themes()->setTheme(ThemeManager::Theme::Light);
        else if (name == QLatin1String("system"))
            window.themes()->setTheme(ThemeManager::Theme::System);
        else {
            std::fprintf(stderr, "chronoscope: --theme is system, light or dark, got '%s'\n", qPrintable(name));
            return 2;
        }
    }
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        const int w = wh.value(0).toInt(), h = wh.size() == 2 ? wh.value(1).toInt() : 0;
        if (w < 320 || h < 240) {
            std::fprintf(stderr, "chronoscope: --size needs WxH (at least 320x240), got '%s'\n",
                         qPrintable(parser.value(size)));
            return 2;
        }
        window.resize(w, h);
        window.resetLayout(); // proportions for the new size
        // Once more when shown: a hidden window's first layout may have grown it past the size asked.
        QTimer::singleShot(0, &window, [&window, w, h]() {
            window.resize(w, h);
            window.resetLayout();
        });
    }
    if (parser.isSet(pane)) {
        QDockWidget *dock = window.panes().named(parser.value(pane));
        if (!dock) {
            std::fprintf(stderr,
                         "chronoscope: --pane is streams, timeline, events, inspector, state, diff, reducer, "
                         "composer, audit, lag, subscriptions or projections, got '%s'\n",
                         qPrintable(parser.value(pane)));
            return 2;
        }
        QObject::connect(&window, &MainWindow::settled, dock, [dock]() {
            dock->show();
            dock->raise();
        }, Qt::SingleShotConnection);
    }
    if (parser.isSet(timelineMode)) {
        const QString name = parser.value(timelineMode).toLower();
        if (name == QLatin1String("throughput"))
            window.timelineView()->setMode(views::TimelineView::Mode::Throughput);
        else if (name != QLatin1String("density")) {
            std::fprintf(stderr, "chronoscope: --timeline is density or throughput, got '%s'\n", qPrintable(name));
            return 2;
        }
    }
    ComposerScript *script = nullptr;
    if (parser.isSet(composer) || parser.isSet(composeDraft)) {
        ComposerScript::Target target = ComposerScript::Target::Open;
        if (parser.isSet(composer) && !ComposerScript::parse(parser.value(composer), &target)) {
            std::fprintf(stderr, "chronoscope: --composer is %s, got '%s'\n", qPrintable(ComposerScript::names()),
                         qPrintable(parser.value(composer)));
            return 2;
        }
        if (!parser.isSet(demo) || parser.isSet(noLanding)) {
            std::fprintf(stderr, "chronoscope: --composer and --compose-draft need --demo (and its landing)\n");
            return 2;
        }
        script = new ComposerScript(&window, target, parser.value(composeDraft));
        QObject::connect(script, &ComposerScript::failed, &window, [&window](const QString &why) {
            std::fprintf(stderr, "chronoscope: --composer: %s\n", qPrintable(why));
            window.showError(why);
        });
    }
    if (parser.isSet(screenshot))
        scheduleScreenshot(window, parser.value(screenshot), parser.value(stream).toUtf8(), script,
                           std::clamp(parser.value(screenshotWait).toInt(), 0, 600000));
    if (parser.isSet(firstPaint))
        window.installEventFilter(new FirstPaintProbe(sinceMain, &window));
    window.show();

    if (parser.isSet(stream))
        window.openStream(parser.value(stream).toUtf8());
    if (parser.isSet(demo)) {
        window.startDemo(demoOptions, !parser.isSet(noLanding));
    } else if (!archives.isEmpty()) {
        window.archives()->openArchive(archives.constFirst()); // offline: no server at all
    } else if (parser.isSet(connectTo)) {
        if (!window.connectTo(parser.value(connectTo)))
            std::fprintf(stderr, "chronoscope: invalid connection string (see the window for details)\n");
    } else {
        window.showStatus(QCoreApplication::translate("main", "Not connected: File ▸ Connect… opens a server; "
                                                              "`chronoscope --demo` starts one with demo data."));
    }
    if (parser.isSet(connectDialog)) {
        window.connections()->showDialog();
    }
    if (parser.isSet(screenshot) && window.isSettled() && !parser.isSet(demo))
        QTimer::singleShot(0, &window, &MainWindow::settled); // nothing to wait for
    return QApplication::exec();
}
