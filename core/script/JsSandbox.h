#pragma once

#include "script/ScriptError.h"
#include "script/ScriptWatchdog.h"

#include <QJSValue>
#include <QString>

#include <functional>
#include <memory>

class QJSEngine;

namespace chronoscope::engine {

/// A QJSEngine holding nothing but the ECMAScript built-ins: no `Qt`, `print`, `console`, timers,
/// XMLHttpRequest, module loading or file access (QJSEngine installs none of these unless asked via
/// installExtensions, and a plain script cannot `import`). Every call runs under a ScriptWatchdog.
/// The engine belongs to the thread that created the sandbox.
class JsSandbox
{
public:
    explicit JsSandbox(const ScriptLimits &limits = {});
    ~JsSandbox();

    QJSEngine *engine() const { return m_engine.get(); }
    const ScriptLimits &limits() const { return m_limits; }

    /// Evaluates `source` as file `fileName` (line numbers count from 1 in `source`).
    QJSValue evaluate(const QString &source, const QString &fileName, ScriptError *error);
    /// Calls `fn` on `self` with `args` under the limits. On an exception or an interrupt, sets `error`.
    /// `timeLimitMs` > 0 overrides the limits' per-call time.
    QJSValue call(const QJSValue &self, const QString &method, const QJSValueList &args, ScriptError *error,
                  int timeLimitMs = 0);

    /// The ScriptError for an error value returned by the engine (message, file, line).
    static ScriptError errorFrom(const QJSValue &value);

private:
    QJSValue guarded(const std::function<QJSValue()> &run, ScriptError *error, int timeLimitMs = 0);

    ScriptLimits m_limits;
    std::unique_ptr<QJSEngine> m_engine;
    std::unique_ptr<ScriptWatchdog> m_watchdog;
};

} // namespace chronoscope::engine
