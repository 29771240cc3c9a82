// The event list at a million rows: loading into the model, what a view asks for while scrolling
// (one screen of cells at random places), a type filter over the whole timeline, and a real
// QTableView scrolled to random rows (offscreen). Prints figures and one `target` line per goal.
#include "client/StreamsClient.h"
#include "session/TimelineEventModel.h"
#include "session/TimelineSession.h"
#include "support/DemoSandbox.h"
#include "timeline/TimelineIndex.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>

#include <cstdio>
#include <random>

using namespace chronoscope;

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const quint64 events = argc > 1 ? QByteArray(argv[1]).toULongLong() : 1000000;

    sandbox::SandboxServer server;
    {
        const char *types[] = {"OrderPlaced", "ItemAdded", "ItemRemoved", "OrderConfirmed", "OrderShipped"};
        std::vector<sandbox::ProposedEvent> batch;
        for (quint64 i = 0; i < events; ++i) {
            sandbox::ProposedEvent e;
            e.id = QUuid::createUuid();
            e.type = types[i % 5];
            e.data = "{\"i\":" + std::to_string(i) + "}";
            e.metadata = "{\"$correlationId\":\"c-" + std::to_string(i / 8) + "\"}";
            e.createdTicks = 17000000000000000LL + qint64(i) * 10000000;
            batch.push_back(std::move(e));
            if (batch.size() == 10000 || i + 1 == events) {
                server.store().append("big-1", sandbox::EventStore::Expected::Any, 0, batch);
                batch.clear();
            }
        }
    }
    QString error;
    if (!server.start(QStringLiteral("127.0.0.1:0"), &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    auto client = std::make_shared<const StreamsClient>(
        ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(server.port())).settings);

    TimelineSession session;
    // The GUI thread's time per loaded batch: the model and the view react between these two
    // slots (slots run in connection order).
    qint64 worstBatchUs = 0, totalBatchUs = 0, batches = 0;
    QElapsedTimer batchTimer;
    QObject::connect(&session, &TimelineSession::grown, &session, [&]() { batchTimer.start(); });
    TimelineEventModel model(&session);
    QTableView view;
    view.setModel(&model);
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.verticalHeader()->setDefaultSectionSize(20);
    view.resize(1000, 600);
    view.show();

    QObject::connect(&session, &TimelineSession::grown, &session,
                     [&]() {
                         const qint64 us = batchTimer.nsecsElapsed() / 1000;
                         worstBatchUs = std::max(worstBatchUs, us);
                         totalBatchUs += us;
                         ++batches;
                     });
    QElapsedTimer load;
    load.start();
    QSignalSpy finished(&session, &TimelineSession::loadFinished);
    session.load(client, "big-1");
    if (!finished.wait(600000))
        return 1;
    const double loadS = double(load.nsecsElapsed()) / 1e9;
    const qint64 meanBatchUs = batches ? totalBatchUs / batches : 0;
    std::printf("rows %d, load %.2f s, %lld batches: model + view %lld us mean, %lld us worst\n", model.rowCount(),
                loadS, static_cast<long long>(batches), static_cast<long long>(meanBatchUs),
                static_cast<long long>(worstBatchUs));

    // One screen (40 rows x 5 index columns) of display data at random places.
    std::mt19937_64 rng(7);
    const int screens = 2000;
    QElapsedTimer t;
    t.start();
    qint64 sink = 0;
    for (int s = 0; s < screens; ++s) {
        const int top = int(rng() % quint64(model.rowCount() - 40));
        for (int r = top; r < top + 40; ++r)
            for (int c = 0; c < TimelineEventModel::Correlation; ++c)
                sink += model.index(r, c).data().toString().size();
    }
    const double screenUs = double(t.nsecsElapsed()) / 1000.0 / screens;
    std::printf("one screen of cells: %.1f us (sink %lld)\n", screenUs, static_cast<long long>(sink));

    t.restart();
    model.setTypeFilter({"ItemAdded"});
    const double filterMs = double(t.nsecsElapsed()) / 1e6;
    std::printf("type filter over %llu events: %.1f ms, %d rows\n", static_cast<unsigned long long>(events), filterMs,
                model.rowCount());
    model.setTypeFilter({});

    // The real view: scroll to random rows and paint.
    const int jumps = 200;
    t.restart();
    for (int j = 0; j < jumps; ++j) {
        view.verticalScrollBar()->setValue(int(rng() % quint64(view.verticalScrollBar()->maximum() + 1)));
        view.viewport()->repaint();
    }
    const double paintMs = double(t.nsecsElapsed()) / 1e6 / jumps;
    std::printf("scroll + paint of the table: %.2f ms per jump\n", paintMs);

    std::printf("target event_list_screen_us: %.1f (goal <= 2000)\n", screenUs);
    std::printf("target event_list_paint_ms: %.2f (goal <= 16)\n", paintMs);
    std::printf("target event_list_batch_mean_us: %lld (goal <= 16000)\n", static_cast<long long>(meanBatchUs));
    return 0;
}
