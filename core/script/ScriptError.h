#pragma once

#include <QString>
#include <QtGlobal>

namespace chronoscope::engine {

/// Limits applied to every call into a sandboxed script.
struct ScriptLimits
{
    int timeLimitMs = 1000;                      ///< wall time per call into the engine (a batch of events)
    qint64 memoryLimitBytes = 512LL << 20;       ///< resident-set growth allowed during one call
    qint64 stateLimitBytes = 64LL << 20;         ///< JSON size of a reducer's state
    /// Wall time for serialising or restoring a state (JSON.stringify of a large state is slow in V4:
    /// ~1 s for 20 MB), kept apart from the per-batch limit so a big but healthy state is not "runaway".
    int serializeTimeLimitMs = 60000;
};

/// A script problem: what, where (file name as given to the engine, 1-based line or -1).
struct ScriptError
{
    QString message;
    QString file;
    int line = -1;
    bool interrupted = false; ///< stopped by the watchdog (time or memory), see `message`
    bool isError() const { return !message.isEmpty(); }
    /// "file:line: message" (the line part only when known).
    QString toString() const;
};

} // namespace chronoscope::engine
