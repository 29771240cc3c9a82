#include "base/BackgroundPriority.h"

#include <QThread>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#endif

namespace chronoscope {

void lowerCurrentThreadPriority()
{
    thread_local bool lowered = false;
    if (lowered)
        return;
    lowered = true;
#ifdef Q_OS_LINUX
    // PRIO_PROCESS with a thread id sets that one thread's nice value (Linux threads are tasks).
    const auto tid = id_t(::syscall(SYS_gettid));
    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, tid);
    if (errno == 0 && nice < kBackgroundNice)
        ::setpriority(PRIO_PROCESS, tid, kBackgroundNice);
#else
    if (QThread *thread = QThread::currentThread())
        thread->setPriority(QThread::LowPriority);
#endif
}

int currentThreadNice()
{
#ifdef Q_OS_LINUX
    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, id_t(::syscall(SYS_gettid)));
    return errno == 0 ? nice : 0;
#else
    return 0;
#endif
}

} // namespace chronoscope
