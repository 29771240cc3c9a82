#pragma once

#include "model/Types.h"
#include "script/ScriptError.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include <memory>

namespace chronoscope::engine {

class EventBatchEncoder;

/// The JavaScript engine a JsReducer runs its projection in.
enum class JsEngineKind {
    Default,      ///< the fastest one built in: SpiderMonkey when available, else QJSEngine
    SpiderMonkey, ///< Mozilla's engine (Debian libmozjs-102), a JIT with a fast JSON.parse
    QJSEngine,    ///< Qt's V4 (Qt6::Qml): always available
};

/// An invariant checked after every folded event: `source` is a JavaScript function expression
/// `(state, event, partition) => true | undefined | false | "message"`.
struct JsInvariant
{
    QString name;
    QString source;
    QString fileName; ///< shown in errors, e.g. "orders.reducer.json#invariants[0]"
};

/// What an engine loads: the projection, its invariants and the limits every call runs under.
struct ProjectionDefinition
{
    QString source;
    QString fileName;
    QList<JsInvariant> invariants;
    int maxEmitted = 100000;
    ScriptLimits limits;
};

/// A handler or invariant error reported by the runtime's foldBatch (the fold went on past it).
struct ScriptFoldError
{
    quint64 index = 0; ///< FoldEvent::index
    QString message;
    int line = -1;
};

struct BatchOutcome
{
    QList<ScriptFoldError> errors; ///< per-event, non-fatal
    ScriptError fatal;             ///< set when the call itself failed (interrupted, out of memory, broken runtime)
    double current = -1;           ///< when it failed: the index of the event being folded (-1: none, e.g. $init)
};

/// One sandboxed JavaScript engine running core/script/js/projection_runtime.js and one projection.
/// The JsReducer drives it; everything engine-specific (values, rooting, interrupts, error objects)
/// stays behind this interface, and every call runs under ScriptLimits (time, memory).
///
/// An engine belongs to the thread that created it: every call, and its destruction, must happen there.
class ProjectionEngine
{
public:
    virtual ~ProjectionEngine() = default;

    /// Makes an engine of `kind` (Default: see JsEngineKind). Null, with `error` set, when that
    /// engine is not built in or cannot start.
    static std::unique_ptr<ProjectionEngine> create(JsEngineKind kind, QString *error);
    static bool isAvailable(JsEngineKind kind);
    /// What Default means in this build.
    static JsEngineKind defaultKind();
    /// "spidermonkey" / "qjsengine" (what options and command lines accept), and back (false if unknown).
    static QString kindName(JsEngineKind kind);
    static bool kindFromName(const QString &name, JsEngineKind *kind);

    /// Human-readable engine name with version, e.g. "SpiderMonkey 102".
    virtual QString engineName() const = 0;

    /// Evaluates the runtime, then the projection and its invariants; `info` receives
    /// finishDefinition()'s JSON (sources, handled types, …). Errors name the file and line.
    virtual bool load(const ProjectionDefinition &definition, QByteArray *info, ScriptError *error) = 0;

    /// Runs the runtime's foldBatch over the packed events.
    virtual BatchOutcome foldBatch(const EventBatchEncoder &batch) = 0;

    /// Calls runtime method `method` with no argument (`arg` null) or one string (UTF-8 in `*arg`) and
    /// returns its string result as UTF-8 (empty when it returned nothing). `timeLimitMs` > 0 overrides
    /// the per-call time limit (serialising a big state is slow but not runaway).
    virtual QByteArray call(const char *method, const QByteArray *arg, ScriptError *error, int timeLimitMs = 0) = 0;

    /// The runtime's partitionKeyOf for one event; a null QString when the projection skips it.
    virtual QString partitionKeyOf(const RecordedEvent &event, ScriptError *error) = 0;
};

} // namespace chronoscope::engine

Q_DECLARE_METATYPE(chronoscope::engine::JsEngineKind)
