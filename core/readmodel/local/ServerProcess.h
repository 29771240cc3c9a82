#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QThread>

/// What the local read-model servers (LocalPostgres, LocalRedis) share: free loopback ports, passwords,
/// running a program as another user, waiting for a condition. Blocking: call from a worker thread (or a test).
namespace chronoscope::readmodel::local {

/// A port nothing listens on right now (bound and released; a race with other processes is possible but rare).
quint16 freeLoopbackPort();
/// A random password of letters and digits (no characters a shell or a URL would need to escape).
QString randomPassword();
bool runningAsRoot();
/// Gives `path` to `user` (when running as root; otherwise a no-op). Returns false if the user is unknown.
bool chownTo(const QString &path, const char *user);
/// Sets `process` up to run `program args` as `user` when we are root (runuser), as ourselves otherwise.
/// The child gets SIGTERM when the thread that started it ends (PR_SET_PDEATHSIG; runuser passes it on to
/// the server), so a server does not outlive an application that crashed.
void prepareAs(QProcess &process, const char *user, const QString &program, const QStringList &args);
/// Runs a program to its end (as `user` when root and `user` is set); true on exit code 0.
bool runToEnd(const QString &program, const QStringList &args, QString *output, const char *user = nullptr,
              int timeoutMs = 60000, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
              const QByteArray &stdinData = {});
/// True when a TCP connection to 127.0.0.1:`port` is accepted within `timeoutMs`.
bool acceptsConnections(quint16 port, int timeoutMs);

/// Polls `ready` every 50 ms until it holds or `timeoutMs` passes.
template<typename Predicate>
bool waitFor(Predicate ready, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (ready())
            return true;
        QThread::msleep(50);
    }
    return ready();
}

} // namespace chronoscope::readmodel::local
