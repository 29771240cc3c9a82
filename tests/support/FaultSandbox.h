#pragma once
// An in-process sandbox for fault tests: its log in a temporary file (what survives a crash and a
// restart), a fault plan, and the few waits such tests need.
#include "SandboxServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>

#include <memory>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace chronoscope::test {

/// An id fixed by name, so a failure names the event ("a", "17" …) rather than a random UUID.
inline QUuid namedId(const QByteArray &stream, const QByteArray &name)
{
    return QUuid::createUuidV5(QUuid(), QString::fromUtf8(stream + '/' + name));
}

/// Where the logs go: tmpfs when there is one. What a crash leaves is what was written to the file
/// before it, on tmpfs as on a disk; a disk's fdatasync for every append would only slow these
/// tests down (what syncing guarantees is test_sandbox_crash's subject).
inline QString faultLogFolder()
{
    const QDir shm(QStringLiteral("/dev/shm"));
    const QString pattern = QStringLiteral("chronoscope-faults-XXXXXX");
    return shm.exists() && QFileInfo(shm.path()).isWritable() ? shm.filePath(pattern) : QDir::temp().filePath(pattern);
}

/// Whether anything accepts connections on the loopback port (a crashed sandbox does not).
inline bool accepting(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(quint16(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr *>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

/// A sandbox with a log file and a fault plan, serving on a free loopback port.
struct FaultSandbox
{
    QTemporaryDir dir{faultLogFolder()};
    sandbox::SandboxServer server;
    std::shared_ptr<sandbox::FaultPlan> plan = std::make_shared<sandbox::FaultPlan>();
    int port = 0;

    bool start(QString *error)
    {
        std::string why, notice;
        if (!dir.isValid()
            || !server.store().openLog(dir.filePath(QStringLiteral("db")).toStdString(), &why, &notice)) {
            *error = dir.isValid() ? QString::fromStdString(why) : dir.errorString();
            return false;
        }
        server.setFaultPlan(plan);
        port = server.start(QStringLiteral("127.0.0.1:0"), error);
        return port > 0;
    }

    /// Waits (bounded) until no append is in a stall: what a stalled append does has been done then.
    bool stallsOver() const
    {
        QElapsedTimer t;
        t.start();
        while (server.stallingAppends() > 0 && t.elapsed() < 10000)
            QThread::msleep(5);
        return server.stallingAppends() == 0;
    }
};

} // namespace chronoscope::test
