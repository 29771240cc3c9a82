#pragma once

#include <QString>

#include <atomic>
#include <memory>
#include <thread>

struct JSContext;

namespace chronoscope::engine {

/// The SpiderMonkey context of the calling thread. SpiderMonkey allows one JSContext per thread, so every
/// SpiderMonkey engine on a thread shares it (each engine has its own global, realm and compartment).
/// It is made on first use and destroyed with its last user, on that thread.
///
/// Process-wide set-up happens here too, once: JS_Init, and the self-hosted code's parsed form, which is
/// cached so that later contexts start in milliseconds.
class SpiderMonkeyContext
{
public:
    /// This thread's context (made if needed). Null, with `error` set, when SpiderMonkey cannot start.
    static std::shared_ptr<SpiderMonkeyContext> forThisThread(QString *error);
    ~SpiderMonkeyContext();
    SpiderMonkeyContext(const SpiderMonkeyContext &) = delete;
    SpiderMonkeyContext &operator=(const SpiderMonkeyContext &) = delete;

    JSContext *cx() const { return m_cx; }
    bool isOwnerThread() const { return std::this_thread::get_id() == m_owner; }

    /// From any thread: makes the running script stop at its next interrupt check (uncatchable).
    void requestInterrupt();
    /// Clears a request (on the owner thread, after the interrupted call returned).
    void clearInterrupt();
    bool interruptRequested() const { return m_interrupt.load(std::memory_order_relaxed); }
    /// A dynamic import() ends the script (projections may not load code); the engine says why.
    void noteImportAttempt() { m_importAttempt = true; }
    bool takeImportAttempt();

    /// The runtime's heap ceiling (JSGC_MAX_BYTES) and what the GC heap holds now.
    void setHeapLimit(quint64 bytes);
    quint64 heapBytes() const;
    static constexpr quint64 kMaxHeapBytes = 0xFFFFF000u; ///< what a uint32 GC parameter can say

private:
    explicit SpiderMonkeyContext(JSContext *cx);

    JSContext *m_cx = nullptr;
    std::thread::id m_owner;
    std::atomic<bool> m_interrupt{false};
    bool m_importAttempt = false;
};

} // namespace chronoscope::engine
