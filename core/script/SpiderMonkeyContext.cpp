#include "script/SpiderMonkeyContext.h"

#include <QtGlobal>

#include <js/BuildId.h>
#include <js/Context.h>
#include <js/GCAPI.h>
#include <js/Initialization.h>
#include <js/Interrupt.h>
#include <js/Modules.h>
#include <js/Stack.h>
#include <jsapi.h>

#include <pthread.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <vector>

namespace chronoscope::engine {

namespace {

// JS_Init and the first context must be made one at a time; later contexts reuse the parsed self-hosted
// code (valid for this binary, kept for the life of the process as SpiderMonkey requires).
std::mutex g_setupMutex;
bool g_initialised = false;
std::vector<uint8_t> g_selfHosted;
std::atomic<int> g_liveContexts{0};

// SpiderMonkey's helper threads and statics must be stopped by JS_ShutDown before the library's own static
// destructors run at exit (they crash otherwise). Registered after JS_Init, so it runs before them.
void shutDownAtExit()
{
    if (g_liveContexts.load() == 0)
        JS_ShutDown();
}

bool keepSelfHosted(JSContext *, JS::SelfHostedCache cache)
{
    g_selfHosted.assign(cache.begin(), cache.end());
    return true;
}

// The self-hosted cache is stamped with a build id, which the embedder must provide; the cache never leaves
// this process, so any stable id will do.
bool buildId(JS::BuildIdCharVector *id)
{
    static const char kId[] = "chronoscope-mozjs-102";
    return id->append(kId, sizeof(kId) - 1);
}

thread_local std::weak_ptr<SpiderMonkeyContext> t_context;

bool onInterrupt(JSContext *cx)
{
    // SpiderMonkey also calls this for its own reasons (GC scheduling): stop only when we asked.
    const auto *self = static_cast<const SpiderMonkeyContext *>(JS_GetContextPrivate(cx));
    return !(self && self->interruptRequested());
}

bool refuseImport(JSContext *cx, JS::Handle<JS::Value>, JS::Handle<JSObject *>, JS::Handle<JSObject *>)
{
    // Returning false without an exception ends the script: nothing is loaded, nothing can catch it.
    if (auto *self = static_cast<SpiderMonkeyContext *>(JS_GetContextPrivate(cx)))
        self->noteImportAttempt();
    return false;
}

/// Native stack SpiderMonkey may use: most of this thread's stack, so deep recursion becomes a
/// catchable "too much recursion" error instead of a crash.
size_t stackQuota()
{
    size_t size = 0;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstacksize(&attr, &size);
        pthread_attr_destroy(&attr);
    }
    if (size == 0)
        size = 1u << 20;
    // A quarter stays free for C++ frames (ours, Qt's, the engine's own natives and signal handling).
    return std::clamp<size_t>(size / 4 * 3, 128u << 10, 6u << 20);
}

} // namespace

std::shared_ptr<SpiderMonkeyContext> SpiderMonkeyContext::forThisThread(QString *error)
{
    if (auto existing = t_context.lock())
        return existing;
    std::lock_guard<std::mutex> lock(g_setupMutex);
    if (!g_initialised) {
        JS::SetProcessBuildIdOp(buildId);
        if (!JS_Init()) {
            *error = QStringLiteral("SpiderMonkey failed to initialise (JS_Init)");
            return nullptr;
        }
        g_initialised = true;
        std::atexit(shutDownAtExit);
    }
    JSContext *cx = JS_NewContext(uint32_t(kMaxHeapBytes));
    if (!cx) {
        *error = QStringLiteral("SpiderMonkey could not create a context (out of memory?)");
        return nullptr;
    }
    JS_SetNativeStackQuota(cx, stackQuota());
    const bool selfHosted = g_selfHosted.empty()
        ? JS::InitSelfHostedCode(cx, nullptr, keepSelfHosted)
        : JS::InitSelfHostedCode(cx, JS::SelfHostedCache(g_selfHosted.data(), g_selfHosted.size()));
    if (!selfHosted) {
        JS_DestroyContext(cx);
        *error = QStringLiteral("SpiderMonkey could not initialise its self-hosted code");
        return nullptr;
    }
    std::shared_ptr<SpiderMonkeyContext> context(new SpiderMonkeyContext(cx));
    JS_SetContextPrivate(cx, context.get());
    JS_AddInterruptCallback(cx, onInterrupt);
    JS::SetModuleDynamicImportHook(JS_GetRuntime(cx), refuseImport);
    t_context = context;
    return context;
}

SpiderMonkeyContext::SpiderMonkeyContext(JSContext *cx) : m_cx(cx), m_owner(std::this_thread::get_id())
{
    ++g_liveContexts;
}

SpiderMonkeyContext::~SpiderMonkeyContext()
{
    if (!isOwnerThread()) {
        // SpiderMonkey requires destruction on the creating thread; leaking beats corrupting its heap.
        qWarning("chronoscope: a SpiderMonkey context was released on a foreign thread and is leaked");
        return;
    }
    JS_SetContextPrivate(m_cx, nullptr);
    JS_DestroyContext(m_cx);
    --g_liveContexts;
}

void SpiderMonkeyContext::requestInterrupt()
{
    m_interrupt.store(true, std::memory_order_relaxed);
    JS_RequestInterruptCallback(m_cx);
}

void SpiderMonkeyContext::clearInterrupt()
{
    m_interrupt.store(false, std::memory_order_relaxed);
}

bool SpiderMonkeyContext::takeImportAttempt()
{
    const bool attempted = m_importAttempt;
    m_importAttempt = false;
    return attempted;
}

void SpiderMonkeyContext::setHeapLimit(quint64 bytes)
{
    JS_SetGCParameter(m_cx, JSGC_MAX_BYTES, uint32_t(std::min(bytes, kMaxHeapBytes)));
}

quint64 SpiderMonkeyContext::heapBytes() const
{
    return JS_GetGCParameter(m_cx, JSGC_BYTES);
}

} // namespace chronoscope::engine
