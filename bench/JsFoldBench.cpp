#include "JsFoldBench.h"

#include "demo/DemoHistory.h"
#include "script/JsReducer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <ctime>
#include <deque>
#include <vector>

namespace chronoscope::bench {

namespace {

// JSON string escaping for the NDJSON event file (the demo payloads are ASCII, but stay general).
void appendJsonString(QByteArray &out, const QByteArray &s)
{
    out += '"';
    for (const char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (uchar(c) < 0x20) {
            out += "\\u00";
            out += "0123456789abcdef"[uchar(c) >> 4];
            out += "0123456789abcdef"[uchar(c) & 15];
        } else {
            out += c;
        }
    }
    out += '"';
}

// CPU time of the whole process (the engine's GC and JIT helper threads included): on a loaded machine it says
// more about the cost than wall time does.
double processCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

} // namespace

JsFoldBenchResult runJsFoldBench(const JsFoldBenchOptions &o, QTextStream &out)
{
    JsFoldBenchResult result;
    QFile projectionFile(o.projection);
    if (!projectionFile.open(QIODevice::ReadOnly)) {
        out << "cannot read " << o.projection << Qt::endl;
        return result;
    }
    const QString source = QString::fromUtf8(projectionFile.readAll());

    // The events, as a reader would hand them over.
    std::deque<RecordedEvent> records;
    QHash<QByteArray, quint64> revisions;
    DemoHistory::Options demo;
    demo.eventCount = o.events;
    DemoHistory(demo).generate([&](const DemoEvent &d) {
        RecordedEvent e;
        e.streamId = d.stream;
        e.type = d.type;
        e.data = d.data;
        e.metadata = d.metadata;
        e.id = d.id;
        e.contentType = "application/json";
        e.revision = revisions[d.stream]++;
        e.createdTicks = d.createdMs * kTicksPerMillisecond;
        records.push_back(std::move(e));
        return true;
    });
    result.events = records.size();
    std::vector<engine::FoldEvent> events;
    events.reserve(records.size());
    for (size_t i = 0; i < records.size(); ++i)
        events.push_back(engine::FoldEvent{&records[i], nullptr, quint64(i)});
    out << "events: " << result.events << Qt::endl;

    engine::JsReducerOptions ro;
    ro.engine = o.engine;
    ro.source = source;
    ro.batchSize = o.batchSize;
    ro.limits.stateLimitBytes = 1LL << 30;
    engine::ScriptError error;
    auto reducer = engine::JsReducer::create(ro, &error);
    if (!reducer) {
        out << "projection does not load: " << error.toString() << Qt::endl;
        return result;
    }
    QElapsedTimer timer;
    const double cpuBefore = processCpuSeconds();
    timer.start();
    constexpr qsizetype kChunk = 10000; // as a fold engine hands events over between checkpoints
    for (qsizetype at = 0; at < qsizetype(events.size()); at += kChunk) {
        const engine::FoldResult r = reducer->fold(events.data() + at, std::min(kChunk, qsizetype(events.size()) - at));
        result.jsErrors += quint64(r.errors.size());
        if (r.stopped()) {
            out << "JsReducer stopped: " << r.errors.constLast().message << Qt::endl;
            break;
        }
    }
    result.jsReducerSeconds = double(timer.nsecsElapsed()) / 1e9;
    const double cpu = processCpuSeconds() - cpuBefore;
    result.jsReducerCpuSeconds = cpu;
    result.jsReducerRate = double(result.events) / result.jsReducerSeconds;
    const QJsonValue ourState = reducer->state();
    out << "JsReducer (" << reducer->engineName() << "): " << result.jsReducerSeconds << " s, " << qint64(result.jsReducerRate)
        << " events/s (" << cpu << " s of CPU in all threads), " << result.jsErrors << " errors" << Qt::endl;

    if (!o.runNode)
        return result;
    // Node.js on the same events and source.
    QTemporaryDir dir;
    const QString eventsPath = dir.filePath(QStringLiteral("events.ndjson"));
    const QString statePath = dir.filePath(QStringLiteral("state.json"));
    {
        QFile f(eventsPath);
        if (!f.open(QIODevice::WriteOnly)) {
            result.nodeError = QStringLiteral("cannot write ") + eventsPath;
            return result;
        }
        QByteArray line;
        for (const RecordedEvent &e : records) {
            line.clear();
            line += "{\"t\":";
            appendJsonString(line, e.type);
            line += ",\"s\":";
            appendJsonString(line, e.streamId);
            line += ",\"n\":" + QByteArray::number(e.revision) + ",\"d\":";
            appendJsonString(line, e.data);
            line += ",\"m\":";
            appendJsonString(line, e.metadata);
            line += ",\"i\":\"" + e.id.toByteArray(QUuid::WithoutBraces) + "\"}\n";
            f.write(line);
        }
    }
    QProcess node;
    node.start(o.node, {o.harness, QStringLiteral("--runtime"), o.runtime, QStringLiteral("--projection"), o.projection,
                        QStringLiteral("--events"), eventsPath, QStringLiteral("--batch"), QString::number(o.batchSize),
                        QStringLiteral("--state"), statePath});
    if (!node.waitForStarted(10000) || !node.waitForFinished(600000) || node.exitCode() != 0) {
        result.nodeError = QStringLiteral("node failed: ") + node.errorString() + QLatin1Char(' ')
            + QString::fromUtf8(node.readAllStandardError());
        out << result.nodeError << Qt::endl;
        return result;
    }
    const QJsonObject figures = QJsonDocument::fromJson(node.readAllStandardOutput().trimmed()).object();
    result.nodeSeconds = figures.value(QLatin1String("seconds")).toDouble();
    result.nodeRate = figures.value(QLatin1String("rate")).toDouble();
    result.nodeCpuSeconds = figures.value(QLatin1String("cpuSeconds")).toDouble();
    out << "Node.js (" << figures.value(QLatin1String("engine")).toString() << "): " << result.nodeSeconds << " s, "
        << qint64(result.nodeRate) << " events/s (" << result.nodeCpuSeconds << " s of CPU in all threads), "
        << figures.value(QLatin1String("errors")).toInt() << " errors" << Qt::endl;
    out << "JsReducer vs Node.js by wall time: " << QString::number(result.ratio(), 'f', 3) << ", by CPU time: "
        << QString::number(result.cpuRatio(), 'f', 3) << Qt::endl;
    QFile stateFile(statePath);
    if (stateFile.open(QIODevice::ReadOnly)) {
        const QJsonValue nodeState = QJsonDocument::fromJson('[' + stateFile.readAll() + ']').array().at(0);
        result.statesMatch = nodeState == ourState && !ourState.isUndefined();
    }
    out << "final states equal: " << (result.statesMatch ? "yes" : "NO") << Qt::endl;
    return result;
}

} // namespace chronoscope::bench
