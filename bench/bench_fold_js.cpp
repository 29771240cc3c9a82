// Fold rate of the JavaScript reducer (default engine: SpiderMonkey where built in) against Node.js (V8)
// running the same projection source over the same demo events in the same run.
// Usage: bench_fold_js [--events N] [--batch N] [--engine spidermonkey|qjsengine] [--node PATH]
//                      [--no-node (profiling: JsReducer only)]
#include "JsFoldBench.h"

#include <QCoreApplication>
#include <QStringList>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    chronoscope::bench::JsFoldBenchOptions o;
    const QStringList args = app.arguments();
    if (args.contains(QLatin1String("--no-node")))
        o.runNode = false;
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--events"))
            o.events = args[i + 1].toULongLong();
        else if (args[i] == QLatin1String("--batch"))
            o.batchSize = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--node"))
            o.node = args[i + 1];
        else if (args[i] == QLatin1String("--engine")) {
            if (!chronoscope::engine::ProjectionEngine::kindFromName(args[i + 1], &o.engine)
                || !chronoscope::engine::ProjectionEngine::isAvailable(o.engine)) {
                QTextStream(stderr) << "unknown or unavailable engine " << args[i + 1] << Qt::endl;
                return 2;
            }
        }
        else
            --i; // a flag without a value
    }
    o.projection = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/bench/fold_bench.projection.js");
    o.runtime = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/core/script/js/projection_runtime.js");
    o.harness = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/bench/fold_node.js");
    QTextStream out(stdout);
    const auto r = chronoscope::bench::runJsFoldBench(o, out);
    out << "js_reducer events/s: " << qint64(r.jsReducerRate) << Qt::endl;
    out << "node events/s: " << qint64(r.nodeRate) << Qt::endl;
    out << "target js_vs_node: " << QString::number(r.ratio(), 'f', 3) << " (goal >= 0.3)" << Qt::endl;
    return r.nodeError.isEmpty() && r.statesMatch ? 0 : 1;
}
