#pragma once

#include "script/ProjectionEngine.h"

namespace chronoscope::engine {

class ScriptWatchdog;
class SpiderMonkeyContext;

/// The projection runtime in SpiderMonkey (Debian's libmozjs-102): a JIT whose JSON.parse is several times
/// faster than V4's, which is most of a fold's cost.
///
/// Sandbox: a fresh global of its own (own realm and compartment) holding only the ECMAScript built-ins
/// and the projection API — SpiderMonkey's bare global has no console, timers, network or file access;
/// a dynamic import() ends the script with an error. Limits, per call: wall time and resident-set growth
/// (a ScriptWatchdog thread asks for an uncatchable interrupt), plus a GC heap ceiling (JSGC_MAX_BYTES)
/// so an allocation storm ends as a clear "out of memory" error; deep recursion is a catchable
/// "too much recursion" (the native stack quota is set from the thread's stack size).
class SpiderMonkeyEngine : public ProjectionEngine
{
public:
    SpiderMonkeyEngine();
    ~SpiderMonkeyEngine() override;

    QString engineName() const override;
    bool load(const ProjectionDefinition &definition, QByteArray *info, ScriptError *error) override;
    BatchOutcome foldBatch(const EventBatchEncoder &batch) override;
    QByteArray call(const char *method, const QByteArray *arg, ScriptError *error, int timeLimitMs = 0) override;
    QString partitionKeyOf(const RecordedEvent &event, ScriptError *error) override;

private:
    struct Roots; // the global and the runtime object, rooted; SpiderMonkey types stay out of this header
    template <typename Run>
    bool guarded(const Run &run, ScriptError *error, int timeLimitMs = 0);
    ScriptError takeError() const;

    ScriptLimits m_limits;
    std::shared_ptr<SpiderMonkeyContext> m_context; // declared first: destroyed after the roots and the watchdog
    std::unique_ptr<ScriptWatchdog> m_watchdog;
    std::unique_ptr<Roots> m_roots;
};

} // namespace chronoscope::engine
