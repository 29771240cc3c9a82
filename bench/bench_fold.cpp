// Fold engine benchmark: merge reducer vs a simdjson parse-only pass, scrub latency with
// checkpoints, and the timeline index's resident bytes per event.
//
//   bench_fold [--events N] [--index-events M] [--reducer javascript|merge] [--engine spidermonkey|qjsengine]
//              [--samples S] [--no-node 1]
//
// The scrub (b) folds bench/scrub_bench.projection.js, whose state stays bounded; (d) folds
// bench/fold_bench.projection.js (every order kept) against Node.js.
//
// Ends with one `target …` line per goal (see HELPER-BRIEF.md).
#include "demo/DemoHistory.h"
#include "fold/FoldEngine.h"
#include "fold/MergeReducer.h"
#include "script/JsReducer.h"
#include "timeline/InMemoryEventSource.h"

#include "JsFoldBench.h"

#include "fold/TimelineQueries.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"
#include <QFile>
#include <QTextStream>

#include <QCoreApplication>
#include <QElapsedTimer>

#include <simdjson.h>

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <random>
#include <vector>

using namespace chronoscope;
using namespace chronoscope::engine;

namespace {

using ReducerFactory = std::function<std::unique_ptr<Reducer>()>;

quint64 residentBytes()
{
    std::ifstream statm("/proc/self/statm");
    quint64 size = 0, resident = 0;
    statm >> size >> resident;
    return resident * quint64(sysconf(_SC_PAGESIZE));
}

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t at = std::min(v.size() - 1, size_t(p / 100.0 * double(v.size())));
    return v[at];
}

/// The demo history as one stream (revisions 0..n-1), payloads kept.
QList<RecordedEvent> demoStream(quint64 n)
{
    QList<RecordedEvent> events;
    events.reserve(qsizetype(n));
    const QByteArray stream = "demo-history";
    const QByteArray json = "application/json";
    DemoHistory::Options o;
    o.eventCount = n;
    DemoHistory(o).generate([&](const DemoEvent &d) {
        RecordedEvent e;
        e.streamId = stream;
        e.id = d.id;
        e.revision = quint64(events.size());
        e.position = {quint64(events.size()) * 512, quint64(events.size()) * 512};
        e.type = d.type;
        e.contentType = json;
        e.createdTicks = d.createdMs * kTicksPerMillisecond;
        e.data = d.data;
        e.metadata = d.metadata;
        events.append(std::move(e));
        return true;
    });
    return events;
}

/// (a) events/s of a simdjson DOM parse of every payload, the same padded-buffer copy the reducer does.
double simdjsonParseRate(const QList<RecordedEvent> &events)
{
    simdjson::dom::parser parser;
    std::vector<char> buffer;
    quint64 elements = 0;
    QElapsedTimer t;
    t.start();
    for (const RecordedEvent &e : events) {
        const size_t size = size_t(e.data.size());
        if (buffer.size() < size + simdjson::SIMDJSON_PADDING)
            buffer.resize(size + simdjson::SIMDJSON_PADDING);
        std::memcpy(buffer.data(), e.data.constData(), size);
        simdjson::dom::element root;
        if (parser.parse(reinterpret_cast<const uint8_t *>(buffer.data()), size, false).get(root) == simdjson::SUCCESS)
            ++elements;
    }
    const double s = double(t.nsecsElapsed()) / 1e9;
    if (elements != quint64(events.size()))
        std::printf("  warning: %llu of %lld payloads did not parse\n", (unsigned long long)elements,
                    (long long)events.size());
    return double(events.size()) / s;
}

double foldRate(const ReducerFactory &factory, const QList<RecordedEvent> &events, quint64 *errors)
{
    auto reducer = factory();
    std::vector<FoldEvent> batch;
    QElapsedTimer t;
    t.start();
    for (qsizetype from = 0; from < events.size(); from += 256) {
        batch.clear();
        const qsizetype to = std::min(events.size(), from + 256);
        for (qsizetype i = from; i < to; ++i)
            batch.push_back(FoldEvent{&events.at(i), nullptr, quint64(i)});
        *errors += quint64(reducer->fold(batch.data(), qsizetype(batch.size())).errors.size());
    }
    const double s = double(t.nsecsElapsed()) / 1e9;
    return double(events.size()) / s;
}

struct IndexMemory
{
    double rssPerEvent = 0;
    double accountedPerEvent = 0;
    double seconds = 0;
};

/// (c) Fills an index from the demo history ($all: a stream per order, payment and customer)
/// without keeping payloads, measuring RSS around it.
IndexMemory measureIndex(quint64 n)
{
    malloc_trim(0);
    const quint64 before = residentBytes();
    IndexMemory m;
    QElapsedTimer t;
    t.start();
    auto index = std::make_unique<TimelineIndex>();
    {
        std::vector<quint32> revisions; // per stream id: the next revision (bench bookkeeping)
        DemoHistory::Options o;
        o.eventCount = n;
        quint64 ordinal = 0;
        DemoHistory(o).generate([&](const DemoEvent &d) {
            const qint64 id = index->streams().find(d.stream);
            const quint32 revision = id < 0 ? 0 : revisions[size_t(id)];
            index->append(d.stream, d.type, revision, ordinal * 512, d.createdMs * kTicksPerMillisecond,
                          quint32(d.data.size() + d.metadata.size()));
            const quint32 sid = index->streamId(ordinal);
            if (sid >= revisions.size())
                revisions.resize(sid + 1);
            revisions[sid] = revision + 1;
            ++ordinal;
            return true;
        });
    }
    m.seconds = double(t.nsecsElapsed()) / 1e9;
    malloc_trim(0); // return the generator's freed heap, so RSS shows what the index holds
    const quint64 after = residentBytes();
    m.rssPerEvent = double(after > before ? after - before : 0) / double(n);
    m.accountedPerEvent = double(index->memoryBytes()) / double(n);
    std::printf("  %llu events: %llu streams, %u types, filled in %.1f s; RSS delta %.1f B/event, index accounting "
                "%.1f B/event\n",
                (unsigned long long)n, (unsigned long long)index->streams().size(), index->types().size(),
                m.seconds, m.rssPerEvent, m.accountedPerEvent);
    return m;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    quint64 events = 1000000;
    quint64 indexEvents = 10000000;
    int samples = 0; // default: 2000 with the merge reducer, 1000 with the (slower) JavaScript one
    QByteArray reducerName = "javascript"; // the scrub reducer; (a) always measures the merge reducer
    bool runNode = true;
    JsEngineKind engineKind = JsEngineKind::Default;
    for (int i = 1; i + 1 < argc; i += 2) {
        const QByteArray a = argv[i];
        if (a == "--events")
            events = QByteArray(argv[i + 1]).toULongLong();
        else if (a == "--index-events")
            indexEvents = QByteArray(argv[i + 1]).toULongLong();
        else if (a == "--samples")
            samples = QByteArray(argv[i + 1]).toInt();
        else if (a == "--reducer")
            reducerName = argv[i + 1];
        else if (a == "--no-node")
            runNode = argv[i + 1] == QByteArray("0");
        else if (a == "--engine" && !ProjectionEngine::kindFromName(QString::fromLocal8Bit(argv[i + 1]), &engineKind)) {
            std::fprintf(stderr, "unknown engine %s (available: spidermonkey, qjsengine)\n", argv[i + 1]);
            return 2;
        }
    }
    if (!ProjectionEngine::isAvailable(engineKind)) {
        std::fprintf(stderr, "the engine %s is not built in\n", qPrintable(ProjectionEngine::kindName(engineKind)));
        return 2;
    }
    if (samples <= 0)
        samples = reducerName == "merge" ? 2000 : 1000;
    const ReducerFactory merge = [] { return std::make_unique<MergeReducer>(); };
    ReducerFactory factory;
    if (reducerName == "merge") {
        factory = merge;
    } else if (reducerName == "javascript") {
        QFile file(QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/bench/scrub_bench.projection.js"));
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "cannot read %s\n", qPrintable(file.fileName()));
            return 2;
        }
        JsReducerOptions options;
        options.source = QString::fromUtf8(file.readAll());
        options.fileName = QStringLiteral("scrub_bench.projection.js");
        options.engine = engineKind;
        ScriptError error;
        const auto probe = JsReducer::create(options, &error);
        if (!probe) {
            std::fprintf(stderr, "the bench projection does not load: %s\n", qPrintable(error.toString()));
            return 2;
        }
        reducerName += " (" + probe->engineName().toUtf8() + ", bench/scrub_bench.projection.js: bounded state)";
        factory = [options] {
            ScriptError e;
            return std::unique_ptr<Reducer>(JsReducer::create(options, &e));
        };
    } else {
        std::fprintf(stderr, "unknown reducer %s (available: javascript, merge)\n", reducerName.constData());
        return 2;
    }
    std::printf("bench_fold: %llu demo events, reducer: %s\n", (unsigned long long)events, reducerName.constData());

    QElapsedTimer total;
    total.start();
    const QList<RecordedEvent> history = demoStream(events);
    std::printf("generated in %.1f s\n", double(total.nsecsElapsed()) / 1e9);

    // (a) best of three each, interleaved.
    double parse = 0, fold = 0;
    quint64 foldErrors = 0;
    for (int round = 0; round < 3; ++round) {
        parse = std::max(parse, simdjsonParseRate(history));
        fold = std::max(fold, foldRate(merge, history, &foldErrors));
    }
    std::printf("(a) simdjson DOM parse-only: %.0f events/s; merge reducer fold: %.0f events/s (%llu fold errors)\n",
                parse, fold, (unsigned long long)foldErrors);

    // (b) scrub over one stream with checkpoints. Scoped: its reducers (and their engine heap) are gone before (d).
    // Wall time is the target; this thread's CPU time per answer is printed beside it, because on a machine
    // shared with other work the wall-time tail is mostly the scheduler's.
    std::vector<double> randomMs, stepMs, randomCpuMs, stepCpuMs;
    {
        TimelineIndex index;
        index.appendBatch(history);
        PayloadCache cache(std::make_shared<InMemoryEventSource>(history), 256ull << 20);
        FoldEngine engine(index, cache, factory());
        QElapsedTimer t;
        t.start();
        const FoldRun built = engine.build();
        std::printf("(b) checkpoints (%s reducer): built in %.2f s, %zu checkpoints, mean interval %.0f events, "
                    "%llu errors%s\n",
                    reducerName.constData(), double(t.nsecsElapsed()) / 1e9, engine.checkpoints().size(),
                    engine.meanInterval(), (unsigned long long)built.errorCount, built.completed() ? "" : " (INCOMPLETE)");
        TimelineQueries queries(engine);
        std::mt19937_64 rng(42);
        for (int i = 0; i < samples; ++i) {
            const quint64 revision = rng() % events;
            const double cpu0 = threadCpuMs();
            t.restart();
            const TimelineQueries::PointState s = queries.stateAtRevision(revision);
            randomMs.push_back(double(t.nsecsElapsed()) / 1e6);
            randomCpuMs.push_back(threadCpuMs() - cpu0);
            if (!s.ok() || !s.state.isObject())
                std::printf("  error at revision %llu: %s\n", (unsigned long long)revision, qPrintable(s.error));
    }
    quint64 at = rng() % (events / 2);
    queries.stateAfter(at);
    for (int i = 0; i < samples && at < events; ++i) {
        const double cpu0 = threadCpuMs();
        t.restart();
        const TimelineQueries::PointState s = queries.stateAfter(++at);
        stepMs.push_back(double(t.nsecsElapsed()) / 1e6);
        stepCpuMs.push_back(threadCpuMs() - cpu0);
        if (!s.ok())
            std::printf("  error at %llu: %s\n", (unsigned long long)at, qPrintable(s.error));
    }
    std::printf("    state at random revision: p50 %.3f ms, p99 %.3f ms (%d samples); thread CPU p50 %.3f ms, p99 %.3f ms\n",
                percentile(randomMs, 50), percentile(randomMs, 99), samples, percentile(randomCpuMs, 50),
                percentile(randomCpuMs, 99));
    std::printf("    step to next event:       p50 %.3f ms, p99 %.3f ms; thread CPU p50 %.3f ms, p99 %.3f ms\n",
                percentile(stepMs, 50), percentile(stepMs, 99), percentile(stepCpuMs, 50), percentile(stepCpuMs, 99));

    }

    // (c) the index alone, from the $all demo history, payloads dropped as they come.
    std::printf("(c) index memory\n");
    const IndexMemory small = measureIndex(events);
    const IndexMemory large = measureIndex(indexEvents);

    // (d) the JavaScript reducer against Node.js (V8) on the same projection and events, this run.
    std::printf("(d) JavaScript reducer vs Node.js\n");
    std::fflush(stdout);
    bench::JsFoldBenchOptions js;
    js.events = events;
    js.projection = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/bench/fold_bench.projection.js");
    js.runtime = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/core/script/js/projection_runtime.js");
    js.harness = QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/bench/fold_node.js");
    js.runNode = runNode;
    js.engine = engineKind;
    QTextStream out(stdout);
    const bench::JsFoldBenchResult jsResult = bench::runJsFoldBench(js, out);
    out.flush();
    std::printf("total %.1f s\n", double(total.nsecsElapsed()) / 1e9);

    std::printf("target merge_vs_simdjson_parse: %.3f (goal >= 0.5)\n", fold / parse);
    std::printf("target scrub_random_p99_ms: %.3f (goal <= 16)\n", percentile(randomMs, 99));
    std::printf("target scrub_step_p99_ms: %.3f (goal <= 2)\n", percentile(stepMs, 99));
    std::printf("target index_bytes_per_event_1m: %.1f (goal <= 64)\n", std::max(small.rssPerEvent, small.accountedPerEvent));
    std::printf("target index_bytes_per_event_10m: %.1f (goal <= 64)\n", std::max(large.rssPerEvent, large.accountedPerEvent));
    if (runNode)
        std::printf("target js_vs_node: %.3f (goal >= 0.3)\n", jsResult.ratio());
    return 0;
}
