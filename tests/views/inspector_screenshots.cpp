// Not a test: shows the event list and inspector docks in a QMainWindow over a demo stream (and
// over $all followed live) and saves screenshots, for looking at them. Usage: inspector_screenshots <dir> [light|dark]
#include "InspectorDocks.h"
#include "client/StreamsClient.h"
#include "events/EventListView.h"
#include "inspector/DecoderChooser.h"
#include "inspector/EventInspector.h"
#include "session/TimelineSession.h"
#include "support/DemoSandbox.h"
#include "support/ProtoWire.h"

#include <QApplication>
#include <QComboBox>
#include <QScreen>
#include <QLabel>
#include <QMainWindow>
#include <QPalette>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

using namespace chronoscope;

namespace {
QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ToolTipText, QColor(0xe0, 0xe0, 0xe0));
    return p;
}

void wait(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // the descriptor set it loads is not remembered for the user
    const QString dir = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("/tmp");
    const bool dark = argc > 2 && qstrcmp(argv[2], "dark") == 0;
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());

    DemoSandbox sandbox;
    if (!sandbox.start(3000)) {
        qCritical("%s", qPrintable(sandbox.error()));
        return 1;
    }
    auto client = std::make_shared<const StreamsClient>(sandbox.settings());
    QByteArray bytes;
    for (int i = 0; i < 600; ++i)
        bytes.append(char((i * 37) & 0xff));
    client->append("blob-1", ExpectedState::any(), {EventData::binary("BlobStored", bytes)});
    client->append("payment-proto-1", ExpectedState::any(),
                   {EventData::binary("PaymentProcessed", test::ProtoWire::paymentProcessed())});

    QMainWindow window;
    window.setWindowTitle(QStringLiteral("Chronoscope — inspector preview"));
    TimelineSession session;
    const QList<QDockWidget *> docks = createInspectorDocks(&session, &window);
    auto *centre = new QLabel(QStringLiteral("(timeline)"), &window);
    centre->setAlignment(Qt::AlignCenter);
    window.setCentralWidget(centre);
    window.addDockWidget(Qt::BottomDockWidgetArea, docks.at(0));
    window.addDockWidget(Qt::RightDockWidgetArea, docks.at(1));
    window.resizeDocks({docks.at(1)}, {560}, Qt::Horizontal);
    window.resizeDocks({docks.at(0)}, {420}, Qt::Vertical);
    window.resize(1280, 800);
    window.show();

    auto *list = qobject_cast<EventsDock *>(docks.at(0))->list();
    auto *inspector = qobject_cast<InspectorDock *>(docks.at(1))->inspector();
    const QString suffix = dark ? QStringLiteral("-dark.png") : QStringLiteral("-light.png");
    auto shoot = [&](const QString &name) {
        wait(600);
        window.grab().save(dir + QLatin1Char('/') + name + suffix);
    };

    QSignalSpy finished(&session, &TimelineSession::loadFinished);
    session.load(client, "order-7");
    finished.wait(10000);
    session.cursor()->setPosition(0);
    shoot(QStringLiteral("inspector-tree"));
    inspector->tabs()->setCurrentIndex(1);
    shoot(QStringLiteral("inspector-text"));
    inspector->tabs()->setCurrentIndex(3);
    shoot(QStringLiteral("inspector-metadata"));
    list->startSearch(QStringLiteral("KB-MECH"));
    inspector->showCorrelationChain();
    shoot(QStringLiteral("inspector-correlation"));

    finished.clear();
    session.load(client, "blob-1");
    finished.wait(10000);
    session.cursor()->setPosition(0);
    shoot(QStringLiteral("inspector-hex"));

    // A protobuf payload, decoded with the descriptor set protoc made from tests/data/protobuf.
    inspector->decoderChooser()->loadDescriptorSet(test::descriptorSet());
    finished.clear();
    session.load(client, "payment-proto-1");
    finished.wait(10000);
    session.cursor()->setPosition(0);
    shoot(QStringLiteral("inspector-protobuf"));
    // The "Decode as" list is a popup window: grab the screen to see it.
    inspector->decoderChooser()->decoderCombo()->showPopup();
    wait(600);
    QGuiApplication::primaryScreen()->grabWindow(0).save(dir + QStringLiteral("/inspector-protobuf-decoders") + suffix);
    inspector->decoderChooser()->decoderCombo()->hidePopup();
    inspector->decoderChooser()->messageCombo()->showPopup();
    wait(600);
    QGuiApplication::primaryScreen()->grabWindow(0).save(dir + QStringLiteral("/inspector-protobuf-messages") + suffix);
    inspector->decoderChooser()->messageCombo()->hidePopup();
    inspector->tabs()->setCurrentIndex(1);
    shoot(QStringLiteral("inspector-protobuf-text"));
    // $all, followed live, the list scrolled up while events are appended: the "N new events" button.
    finished.clear();
    session.load(client, TimelineSession::allStream());
    finished.wait(10000);
    list->table()->scrollToTop();
    QList<EventData> ticks;
    for (int i = 0; i < 12; ++i)
        ticks.append(EventData::json("Ticked", QByteArrayLiteral("{\"i\":") + QByteArray::number(i) + '}'));
    client->append("live-preview-1", ExpectedState::any(), ticks);
    shoot(QStringLiteral("event-list-live-all"));
    return 0;
}
