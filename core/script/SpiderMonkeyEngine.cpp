#include "script/SpiderMonkeyEngine.h"

// GCC 12 takes JS::Rooted's registration in the context's stack-root list (it unregisters itself in its
// destructor) for a dangling pointer; the pattern is SpiderMonkey's documented rooting API.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#endif

#include "ProjectionRuntimeSource.h"
#include "script/EventBatchEncoder.h"
#include "script/ScriptWatchdog.h"
#include "script/SpiderMonkeyContext.h"
#include "script/SpiderMonkeyStrings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <js/Array.h>
#include <js/CompilationAndEvaluation.h>
#include <js/ErrorReport.h>
#include <js/Exception.h>
#include <js/GlobalObject.h>
#include <js/JSON.h>
#include <js/PropertyAndElement.h>
#include <js/Realm.h>
#include <js/SourceText.h>
#include <js/String.h>
#include <js/experimental/TypedData.h>
#include <jsapi.h>

#include <cstring>

namespace chronoscope::engine {

namespace {

const JSClass kGlobalClass = {"ChronoscopeProjection", JSCLASS_GLOBAL_FLAGS, &JS::DefaultGlobalClassOps, nullptr, nullptr,
                              nullptr};

const char *errorName(int16_t exnType)
{
    switch (exnType) {
    case JSEXN_INTERNALERR: return "InternalError";
    case JSEXN_AGGREGATEERR: return "AggregateError";
    case JSEXN_EVALERR: return "EvalError";
    case JSEXN_RANGEERR: return "RangeError";
    case JSEXN_REFERENCEERR: return "ReferenceError";
    case JSEXN_SYNTAXERR: return "SyntaxError";
    case JSEXN_TYPEERR: return "TypeError";
    case JSEXN_URIERR: return "URIError";
    default: return "Error";
    }
}

using Strings = SpiderMonkeyStrings;

} // namespace

struct SpiderMonkeyEngine::Roots
{
    Roots(JSContext *cx, JSObject *g) : global(cx, g), runtime(cx) {}
    JS::PersistentRootedObject global;
    JS::PersistentRootedObject runtime;
};

SpiderMonkeyEngine::SpiderMonkeyEngine() = default;

SpiderMonkeyEngine::~SpiderMonkeyEngine()
{
    m_watchdog.reset(); // its thread may poke the context: stop it first
    if (m_roots && m_context && !m_context->isOwnerThread()) {
        qWarning("chronoscope: a SpiderMonkey engine was destroyed on a foreign thread; its heap is leaked");
        (void)m_roots.release();
        return;
    }
    m_roots.reset();
}

QString SpiderMonkeyEngine::engineName() const
{
    return QStringLiteral("SpiderMonkey (%1)").arg(QString::fromLatin1(JS_GetImplementationVersion()));
}

template <typename Run>
bool SpiderMonkeyEngine::guarded(const Run &run, ScriptError *error, int timeLimitMs)
{
    JSContext *cx = m_context->cx();
    const int limitMs = timeLimitMs > 0 ? timeLimitMs : m_limits.timeLimitMs;
    // The GC heap may grow by the memory limit during this call, and not more: past it, allocation fails
    // with an uncatchable out-of-memory error. The watchdog watches the resident set (malloc'ed buffers too).
    if (m_limits.memoryLimitBytes > 0)
        m_context->setHeapLimit(m_context->heapBytes() + quint64(m_limits.memoryLimitBytes));
    m_watchdog->arm(limitMs, m_limits.memoryLimitBytes);
    const bool ok = run();
    const ScriptWatchdog::Trip trip = m_watchdog->disarm();
    m_context->setHeapLimit(SpiderMonkeyContext::kMaxHeapBytes);
    if (trip != ScriptWatchdog::Trip::None) {
        JS_ClearPendingException(cx);
        error->interrupted = true;
        error->message = trip == ScriptWatchdog::Trip::Time
            ? QStringLiteral("script interrupted: it ran longer than the time limit of %1 ms").arg(limitMs)
            : QStringLiteral("script interrupted: the process grew by more than the memory limit of %1 MiB")
                  .arg(m_limits.memoryLimitBytes >> 20);
        return false;
    }
    if (m_context->takeImportAttempt()) {
        JS_ClearPendingException(cx);
        error->message = QStringLiteral("import() is not available to a projection (the sandbox loads no code)");
        return false;
    }
    if (!ok) {
        *error = takeError();
        return false;
    }
    return true;
}

ScriptError SpiderMonkeyEngine::takeError() const
{
    JSContext *cx = m_context->cx();
    ScriptError e;
    JS::RootedValue exn(cx);
    if (!JS_IsExceptionPending(cx) || !JS_GetPendingException(cx, &exn)) {
        e.message = QStringLiteral("the script was stopped by the engine (an uncatchable error)");
        return e;
    }
    JS_ClearPendingException(cx);
    if (exn.isObject()) {
        // Only real Error objects have a report; reading it runs no script code (no getters, no toString).
        JS::RootedObject obj(cx, &exn.toObject());
        if (JSErrorReport *report = JS_ErrorFromException(cx, obj)) {
            e.message = QString::fromLatin1(errorName(report->exnType)) + QStringLiteral(": ")
                + QString::fromUtf8(report->message().c_str());
            if (report->filename)
                e.file = QString::fromUtf8(report->filename);
            e.line = report->lineno > 0 ? int(report->lineno) : -1;
        } else {
            e.message = QStringLiteral("uncaught exception: an object that is not an Error");
        }
    } else if (exn.isString()) {
        const QString text = Strings::toQString(cx, exn.toString());
        if (text == QLatin1String("out of memory")) {
            e.interrupted = true; // as fatal as a runaway: the heap may be in any state
            e.message = QStringLiteral("script ran out of memory: its heap reached the memory limit of %1 MiB")
                            .arg(m_limits.memoryLimitBytes >> 20);
        } else {
            e.message = QStringLiteral("uncaught exception: ") + text;
        }
    } else if (exn.isNumber()) {
        e.message = QStringLiteral("uncaught exception: ") + QString::number(exn.toNumber());
    } else {
        e.message = QStringLiteral("uncaught exception");
    }
    return e;
}

bool SpiderMonkeyEngine::load(const ProjectionDefinition &def, QByteArray *info, ScriptError *error)
{
    m_limits = def.limits;
    QString startError;
    m_context = SpiderMonkeyContext::forThisThread(&startError);
    if (!m_context) {
        error->message = startError;
        return false;
    }
    SpiderMonkeyContext *context = m_context.get();
    m_watchdog = std::make_unique<ScriptWatchdog>([context](bool on) {
        if (on)
            context->requestInterrupt();
        else
            context->clearInterrupt();
    });
    JSContext *cx = m_context->cx();
    JS::RealmOptions options;
    JS::RootedObject global(cx, JS_NewGlobalObject(cx, &kGlobalClass, nullptr, JS::FireOnNewGlobalHook, options));
    if (!global) {
        error->message = QStringLiteral("SpiderMonkey could not create a global object");
        return false;
    }
    m_roots = std::make_unique<Roots>(cx, global);
    JSAutoRealm realm(cx, global);
    if (!JS::InitRealmStandardClasses(cx)) {
        *error = takeError();
        return false;
    }
    auto evaluate = [&](const QString &source, const QString &file, JS::MutableHandleValue rval) {
        const QByteArray fileName = file.toUtf8();
        JS::CompileOptions opts(cx);
        opts.setFileAndLine(fileName.constData(), 1);
        JS::SourceText<char16_t> text;
        if (!text.init(cx, reinterpret_cast<const char16_t *>(source.utf16()), size_t(source.size()),
                       JS::SourceOwnership::Borrowed))
            return false;
        return JS::Evaluate(cx, opts, text, rval);
    };

    JS::RootedValue factory(cx);
    if (!guarded([&] { return evaluate(QString::fromUtf8(projectionRuntimeSource()), QStringLiteral("projection_runtime.js"), &factory); },
                 error))
        return false;
    JS::RootedObject factoryObject(cx, factory.isObject() ? &factory.toObject() : nullptr);
    JS::RootedValue runtime(cx);
    {
        JS::RootedValueArray<1> args(cx);
        const auto create = [&] { return JS_CallFunctionName(cx, factoryObject, "create", args, &runtime); };
        if (!factoryObject || !Strings::setString(cx, args[0], def.fileName) || !guarded(create, error)
            || !runtime.isObject()) {
            if (!error->isError())
                error->message = QStringLiteral("the projection runtime did not start");
            return false;
        }
    }
    m_roots->runtime = &runtime.toObject();
    JS::RootedValue maxEmitted(cx, JS::Int32Value(def.maxEmitted));
    JS_SetProperty(cx, m_roots->runtime, "maxEmitted", maxEmitted);

    JS::RootedValue ignored(cx);
    if (!guarded([&] { return evaluate(def.source, def.fileName, &ignored); }, error)) {
        error->file = def.fileName;
        return false;
    }
    for (const JsInvariant &inv : def.invariants) {
        // Parenthesised so that a function expression evaluates to the function; line 1 stays line 1.
        JS::RootedValue fn(cx);
        if (!guarded([&] { return evaluate(QLatin1Char('(') + inv.source + QStringLiteral("\n)"), inv.fileName, &fn); }, error)) {
            error->file = inv.fileName;
            error->message = QStringLiteral("invariant \"%1\": %2").arg(inv.name, error->message);
            return false;
        }
        JS::RootedValueArray<3> args(cx);
        args[1].set(fn);
        if (!Strings::setString(cx, args[0], inv.name) || !Strings::setString(cx, args[2], inv.fileName)) {
            error->message = QStringLiteral("out of memory loading invariant \"%1\"").arg(inv.name);
            return false;
        }
        if (!guarded([&] { return JS_CallFunctionName(cx, m_roots->runtime, "addInvariant", args, &ignored); }, error)) {
            error->file = inv.fileName;
            error->line = -1;
            return false;
        }
    }
    JS::RootedValue text(cx);
    if (!guarded([&] { return JS_CallFunctionName(cx, m_roots->runtime, "finishDefinition", JS::HandleValueArray::empty(), &text); },
                 error)) {
        if (error->file.isEmpty() || error->file == QLatin1String("projection_runtime.js")) {
            error->file = def.fileName;
            error->line = -1;
        }
        return false;
    }
    *info = text.isString() ? Strings::toUtf8(cx, text.toString()) : QByteArray();
    return true;
}

namespace {
const QString kForeignThread = QStringLiteral("the SpiderMonkey engine was called from a thread other than the one that "
                                              "made it (use Reducer::clone() for another thread)");
} // namespace

BatchOutcome SpiderMonkeyEngine::foldBatch(const EventBatchEncoder &batch)
{
    BatchOutcome out;
    if (!m_context->isOwnerThread()) {
        out.fatal.message = kForeignThread;
        return out;
    }
    JSContext *cx = m_context->cx();
    JSAutoRealm realm(cx, m_roots->global);
    const std::vector<double> &numbers = batch.numberVector();
    // Every new GC thing goes into the rooted array at once: the next allocation may move or collect it.
    JS::RootedValueArray<3> args(cx);
    JS::RootedObject nums(cx);
    // ASCII text (the usual case) is copied as Latin-1, a plain copy; otherwise it is decoded from UTF-8.
    const QByteArray &utf8 = batch.utf8();
    if (JSString *text = batch.isAscii() ? JS_NewStringCopyN(cx, utf8.constData(), size_t(utf8.size()))
                                         : Strings::newStringUtf8(cx, utf8))
        args[0].setString(text);
    if (args[0].isString())
        nums = JS_NewFloat64Array(cx, numbers.size());
    if (!nums) {
        JS_ClearPendingException(cx);
        out.fatal.message = QStringLiteral("out of memory passing %1 events to the engine").arg(batch.count());
        return out;
    }
    args[1].setObject(*nums);
    args[2].setInt32(batch.count());
    {
        JS::AutoCheckCannotGC nogc;
        bool shared = false;
        double *data = JS_GetFloat64ArrayData(nums, &shared, nogc);
        std::memcpy(data, numbers.data(), numbers.size() * sizeof(double));
    }
    JS::RootedValue errors(cx);
    if (!guarded([&] { return JS_CallFunctionName(cx, m_roots->runtime, "foldBatch", args, &errors); }, &out.fatal)) {
        // A plain data property: reading it runs no script.
        JS::RootedValue current(cx);
        if (JS_GetProperty(cx, m_roots->runtime, "current", &current) && current.isNumber())
            out.current = current.toNumber();
        JS_ClearPendingException(cx);
        return out;
    }
    if (!errors.isObject())
        return out;
    JS::RootedObject list(cx, &errors.toObject());
    uint32_t length = 0;
    if (!JS::GetArrayLength(cx, list, &length) || length == 0) {
        JS_ClearPendingException(cx);
        return out;
    }
    // Rare: handler errors. The runtime built these objects ({i, m, l}); JSON is the simplest way across.
    QString json;
    auto append = [](const char16_t *buf, uint32_t len, void *data) {
        static_cast<QString *>(data)->append(reinterpret_cast<const QChar *>(buf), qsizetype(len));
        return true;
    };
    if (!JS_Stringify(cx, &errors, nullptr, JS::NullHandleValue, append, &json)) {
        JS_ClearPendingException(cx);
        return out;
    }
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        out.errors.append(ScriptFoldError{quint64(o.value(QLatin1String("i")).toDouble()),
                                          o.value(QLatin1String("m")).toString(), o.value(QLatin1String("l")).toInt(-1)});
    }
    return out;
}

QByteArray SpiderMonkeyEngine::call(const char *method, const QByteArray *arg, ScriptError *error, int timeLimitMs)
{
    if (!m_context->isOwnerThread()) {
        error->message = kForeignThread;
        return {};
    }
    JSContext *cx = m_context->cx();
    JSAutoRealm realm(cx, m_roots->global);
    JS::RootedValue result(cx);
    bool ok;
    if (arg) {
        JS::RootedValueArray<1> args(cx);
        JSString *s = Strings::newStringUtf8(cx, *arg);
        if (!s) {
            JS_ClearPendingException(cx);
            error->message = QStringLiteral("out of memory passing %1 bytes to the engine").arg(arg->size());
            return {};
        }
        args[0].setString(s);
        ok = guarded([&] { return JS_CallFunctionName(cx, m_roots->runtime, method, args, &result); }, error, timeLimitMs);
    } else {
        ok = guarded([&] { return JS_CallFunctionName(cx, m_roots->runtime, method, JS::HandleValueArray::empty(), &result); },
                     error, timeLimitMs);
    }
    if (!ok || !result.isString())
        return {};
    return Strings::toUtf8(cx, result.toString());
}

QString SpiderMonkeyEngine::partitionKeyOf(const RecordedEvent &event, ScriptError *error)
{
    if (!m_context->isOwnerThread()) {
        error->message = kForeignThread;
        return {};
    }
    JSContext *cx = m_context->cx();
    JSAutoRealm realm(cx, m_roots->global);
    JS::RootedValueArray<6> args(cx);
    const QByteArray *texts[] = {&event.type, &event.streamId, &event.data, &event.metadata};
    const int slots[] = {0, 1, 3, 5};
    for (int k = 0; k < 4; ++k) {
        JSString *s = Strings::newStringUtf8(cx, *texts[k]);
        if (!s) {
            JS_ClearPendingException(cx);
            error->message = QStringLiteral("out of memory passing an event to the engine");
            return {};
        }
        args[slots[k]].setString(s); // rooted before the next allocation
    }
    args[2].setDouble(double(event.revision));
    args[4].setBoolean(event.isJson());
    JS::RootedValue key(cx);
    if (!guarded([&] { return JS_CallFunctionName(cx, m_roots->runtime, "partitionKeyOf", args, &key); }, error))
        return {};
    if (key.isNullOrUndefined())
        return {};
    return key.isString() ? Strings::toQString(cx, key.toString()) : QString();
}

} // namespace chronoscope::engine
