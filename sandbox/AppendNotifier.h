#pragma once

#include <mutex>
#include <vector>

namespace chronoscope::sandbox {

/// Tells live subscriptions that the log grew, without polling: the store calls appended() after
/// every write, once its lock is released, and each registered listener re-arms its reactor.
/// close() (server shutdown) tells every listener to end and refuses new ones until open().
class AppendNotifier
{
public:
    class Listener
    {
    public:
        virtual ~Listener() = default;
        /// Called with the notifier's mutex held: must not call back into the notifier.
        virtual void appended() = 0;
        virtual void closing() = 0;
    };

    /// False when closed: the caller must end at once.
    bool add(Listener *listener);
    /// Once it returns, no callback runs or will run on `listener`.
    void remove(Listener *listener);
    void appended();
    void close();
    void open();
    size_t listenerCount() const;

private:
    mutable std::mutex m_mutex;
    std::vector<Listener *> m_listeners;
    bool m_closed = false;
};

} // namespace chronoscope::sandbox
