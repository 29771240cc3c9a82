#pragma once

// A cleartext HTTP/2 (h2c) server written on bare sockets, for the one lie a gRPC server library
// cannot tell: a gRPC message header that announces 2 GiB. It answers the first request with
// `:status 200`, `content-type: application/grpc` and that header, then sends zeros as fast as
// the client's flow-control windows allow, up to `cap` bytes, and then nothing. It replies to the
// client's SETTINGS and PINGs (so the client may grow its windows as it likes) and stops on
// RST_STREAM or GOAWAY. `sent()` tells how much of the body the client accepted.

#include "connection/ConnectionSettings.h"
#include "support/LoopbackListener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace chronoscope::test {

class LyingFrameServer
{
public:
    explicit LyingFrameServer(uint32_t announced = 0x7fffffffu, uint64_t cap = 256u << 20)
        : m_announced(announced), m_cap(cap)
    {
        m_listen = listenOnLoopback(&m_port, 4);
        if (m_listen < 0)
            return;
        m_thread = std::thread([this] { serve(); });
    }
    ~LyingFrameServer()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
        if (m_listen >= 0)
            ::close(m_listen);
    }
    LyingFrameServer(const LyingFrameServer &) = delete;
    LyingFrameServer &operator=(const LyingFrameServer &) = delete;

    EndPoint endPoint() const { return EndPoint{QStringLiteral("127.0.0.1"), m_port}; }
    quint16 port() const { return m_port; }
    uint64_t sent() const { return m_sent.load(); }
    bool reset() const { return m_reset.load(); } ///< the client sent RST_STREAM or GOAWAY

private:
    enum : uint8_t { Data = 0, Headers = 1, RstStream = 3, Settings = 4, Ping = 6, GoAway = 7, WindowUpdate = 8 };

    static uint32_t be(const uint8_t *p, int n)
    {
        uint32_t v = 0;
        for (int i = 0; i < n; ++i)
            v = v << 8 | p[i];
        return v;
    }
    bool sendFrame(int fd, uint8_t type, uint8_t flags, uint32_t stream, const std::string &payload)
    {
        std::string f;
        const uint32_t n = uint32_t(payload.size());
        f += char(n >> 16);
        f += char(n >> 8);
        f += char(n);
        f += char(type);
        f += char(flags);
        for (int s = 24; s >= 0; s -= 8)
            f += char((stream >> s) & 0xff);
        f += payload;
        size_t done = 0;
        while (done < f.size()) {
            const ssize_t w = ::send(fd, f.data() + done, f.size() - done, MSG_NOSIGNAL);
            if (w <= 0)
                return false;
            done += size_t(w);
        }
        return true;
    }
    static std::string literal(const std::string &name, const std::string &value)
    {
        return std::string(1, '\0') + char(name.size()) + name + char(value.size()) + value; // short strings only
    }

    void serve()
    {
        int fd = -1;
        while (!m_stop && fd < 0) {
            pollfd p{m_listen, POLLIN, 0};
            if (::poll(&p, 1, 20) > 0)
                fd = ::accept(m_listen, nullptr, nullptr);
        }
        if (fd < 0)
            return;
        std::string in;
        bool prefaced = false;
        uint32_t stream = 0;
        int64_t connWindow = 65535, streamWindow = 65535, initialWindow = 65535;
        uint64_t body = 0;
        sendFrame(fd, Settings, 0, 0, {});
        while (!m_stop && !m_reset) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 5) > 0) {
                char buf[65536];
                const ssize_t r = ::recv(fd, buf, sizeof buf, 0);
                if (r <= 0)
                    break;
                in.append(buf, size_t(r));
            }
            if (!prefaced && in.size() >= 24) {
                in.erase(0, 24); // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
                prefaced = true;
            }
            while (prefaced && in.size() >= 9) {
                const auto *h = reinterpret_cast<const uint8_t *>(in.data());
                const uint32_t len = be(h, 3);
                if (in.size() < 9 + len)
                    break;
                const uint8_t type = h[3], flags = h[4];
                const uint32_t sid = be(h + 5, 4) & 0x7fffffffu;
                const std::string payload = in.substr(9, len);
                in.erase(0, 9 + len);
                const auto *pl = reinterpret_cast<const uint8_t *>(payload.data());
                if (type == Settings && !(flags & 1)) {
                    for (size_t i = 0; i + 6 <= payload.size(); i += 6)
                        if (be(pl + i, 2) == 4) { // INITIAL_WINDOW_SIZE
                            streamWindow += int64_t(be(pl + i + 2, 4)) - initialWindow;
                            initialWindow = be(pl + i + 2, 4);
                        }
                    sendFrame(fd, Settings, 1, 0, {});
                } else if (type == Ping && !(flags & 1)) {
                    sendFrame(fd, Ping, 1, 0, payload);
                } else if (type == WindowUpdate && payload.size() == 4) {
                    (sid == 0 ? connWindow : streamWindow) += be(pl, 4) & 0x7fffffffu;
                } else if (type == RstStream || type == GoAway) {
                    m_reset = true;
                } else if (type == Headers && stream == 0) {
                    stream = sid;
                    const std::string block = std::string(1, char(0x88)) // :status 200
                        + literal("content-type", "application/grpc");
                    sendFrame(fd, Headers, 0x4, stream, block);
                    std::string prefix(1, '\0');
                    for (int s = 24; s >= 0; s -= 8)
                        prefix += char((m_announced >> s) & 0xff);
                    sendFrame(fd, Data, 0, stream, prefix);
                    connWindow -= 5;
                    streamWindow -= 5;
                }
            }
            // The body: zeros, as far as both windows and the cap allow.
            while (stream && !m_reset && body < m_cap && connWindow > 0 && streamWindow > 0) {
                const int64_t n = std::min<int64_t>({16384, connWindow, streamWindow, int64_t(m_cap - body)});
                if (!sendFrame(fd, Data, 0, stream, std::string(size_t(n), '\0')))
                    break;
                connWindow -= n;
                streamWindow -= n;
                body += uint64_t(n);
                m_sent = body;
            }
        }
        ::close(fd);
    }

    uint32_t m_announced;
    uint64_t m_cap;
    int m_listen = -1;
    quint16 m_port = 0;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_reset{false};
    std::atomic<uint64_t> m_sent{0};
};

} // namespace chronoscope::test
