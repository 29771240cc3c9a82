#pragma once

#include "script/ProjectionEngine.h"

#include <QString>
#include <QTextStream>

namespace chronoscope::bench {

struct JsFoldBenchOptions
{
    quint64 events = 1000000;
    QString node = QStringLiteral("node"); ///< Node.js executable (PATH lookup)
    QString projection;                    ///< projection source file both engines run
    QString runtime;                       ///< core/script/js/projection_runtime.js
    QString harness;                       ///< bench/fold_node.js
    int batchSize = 1000;
    bool runNode = true; ///< false: only the JsReducer part (for profiling)
    engine::JsEngineKind engine = engine::JsEngineKind::Default;
};

struct JsFoldBenchResult
{
    quint64 events = 0;
    double jsReducerSeconds = 0, jsReducerRate = 0;
    double nodeSeconds = 0, nodeRate = 0;
    double jsReducerCpuSeconds = 0, nodeCpuSeconds = 0; ///< CPU time of each process while folding (all threads)
    quint64 jsErrors = 0;
    bool statesMatch = false;
    QString nodeError; ///< empty when the Node.js peer ran
    double ratio() const { return nodeRate > 0 ? jsReducerRate / nodeRate : 0; }
    /// The same ratio from CPU time: what a loaded machine's scheduling does not blur.
    double cpuRatio() const { return jsReducerCpuSeconds > 0 ? nodeCpuSeconds / jsReducerCpuSeconds : 0; }
};

/// Folds `events` demo events with JsReducer and with Node.js running the same projection through the same
/// runtime (bench/fold_node.js), in this run; prints figures to `out` as it goes.
JsFoldBenchResult runJsFoldBench(const JsFoldBenchOptions &options, QTextStream &out);

} // namespace chronoscope::bench
