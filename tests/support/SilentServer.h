#pragma once

#include "connection/ConnectionSettings.h"
#include "support/LoopbackListener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

namespace chronoscope::test {

/// Listens on 127.0.0.1, accepts every connection and holds it open without reading or writing.
class SilentServer
{
public:
    SilentServer()
    {
        m_listen = listenOnLoopback(&m_port);
        if (m_listen < 0 || ::pipe(m_wake) != 0)
            return;
        m_thread = std::thread([this] { acceptLoop(); });
    }
    ~SilentServer()
    {
        if (m_thread.joinable()) {
            const char stop = 1;
            [[maybe_unused]] const auto written = ::write(m_wake[1], &stop, 1);
            m_thread.join();
        }
        for (int fd : m_accepted)
            ::close(fd);
        for (int fd : {m_listen, m_wake[0], m_wake[1]})
            if (fd >= 0)
                ::close(fd);
    }
    SilentServer(const SilentServer &) = delete;
    SilentServer &operator=(const SilentServer &) = delete;

    quint16 port() const { return m_port; }
    EndPoint endPoint() const { return EndPoint{QStringLiteral("127.0.0.1"), m_port}; }
    int accepted() const { return m_count.load(); }

private:
    void acceptLoop()
    {
        for (;;) {
            pollfd fds[2] = {{m_listen, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
            if (::poll(fds, 2, -1) < 0 || (fds[1].revents & POLLIN))
                return;
            const int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd >= 0) {
                m_accepted.push_back(fd); // only this thread touches it until the join
                ++m_count;
            }
        }
    }

    int m_listen = -1;
    int m_wake[2] = {-1, -1};
    quint16 m_port = 0;
    std::thread m_thread;
    std::vector<int> m_accepted;
    std::atomic<int> m_count{0};
};

} // namespace chronoscope::test
