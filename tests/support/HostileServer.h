#pragma once

// A gRPC server that answers the Streams and ServerFeatures methods the client uses (Read,
// Append, GetSupportedMethods) with crafted bytes, one misbehaviour per server: what a buggy or
// compromised node, or anyone on the path of a `tls=false` connection, could send. It registers a
// generic (raw bytes) handler, so nothing it sends goes through protobuf's checks.

#include "connection/ConnectionSettings.h"

#include <QByteArray>
#include <QString>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace grpc {
class Server;
class CallbackGenericService;
class ServerCredentials;
} // namespace grpc

namespace chronoscope::test {

class HostileServer
{
public:
    enum class Behaviour {
        Malformed,           ///< replies that are not a ReadResp / AppendResp / SupportedMethods
        LyingLength,         ///< a field inside the message claims more bytes than the gRPC frame holds
        Oversized,           ///< one 32 MiB reply, above the client's receive limit
        Endless,             ///< a Read that never ends: events 0, 1, 2, … until the client cancels
        PositionBackwards,   ///< `$all` events whose commit position goes back at the third event
        RevisionBackwards,   ///< stream events with revisions 0, 1, 2, 1
        RevisionSkip,        ///< stream events with revisions 0, 1, 5
        Duplicate,           ///< stream events with revisions 0, 1, 1
        HugeInitialMetadata, ///< a 1 MiB initial-metadata value before the first reply
        HugeTrailer,         ///< good events, then a status whose trailer carries a 1 MiB value
        Stall,               ///< accepts the call and never answers
        Good,                ///< events 0, 1, 2 of the stream, in order (the TLS cases use it)
        EndlessStatistics,   ///< Projections.Statistics answered with projections p-0, p-1, … until cancelled
        FatStatistics,       ///< Statistics replies each with a 1 MiB stateReason, until cancelled
        CrowdedList,         ///< List / GetInfo / Gossip.Read: 2 Mi empty groups / connections / members in 4 MiB
    };

    /// Listens on 127.0.0.1 on a free port; with `tlsCertFile` / `tlsKeyFile` over TLS.
    explicit HostileServer(Behaviour behaviour, const QString &tlsCertFile = {}, const QString &tlsKeyFile = {});
    ~HostileServer();
    HostileServer(const HostileServer &) = delete;
    HostileServer &operator=(const HostileServer &) = delete;

    bool ok() const { return m_port > 0; }
    quint16 port() const { return quint16(m_port); }
    EndPoint endPoint() const { return EndPoint{QStringLiteral("127.0.0.1"), quint16(m_port)}; }
    /// A connection string to this server (`tls=false` unless it serves TLS).
    QString connectionString(const QString &extra = {}) const;
    /// Its connection string's settings, with unary calls' deadline at `deadlineMs`.
    ConnectionSettings settings(int deadlineMs = 5000) const;

    /// Messages written so far (all calls), and calls that ended because the client went away.
    quint64 written() const { return m_state->written.load(); }
    int cancelledCalls() const { return m_state->cancelled.load(); }

    /// The stream every stream event it sends belongs to.
    static QByteArray streamName() { return QByteArrayLiteral("hostile-1"); }

    struct State
    {
        Behaviour behaviour;
        std::atomic<quint64> written{0};
        std::atomic<int> cancelled{0};
    };

private:
    std::shared_ptr<State> m_state;
    std::unique_ptr<grpc::CallbackGenericService> m_service;
    std::unique_ptr<grpc::Server> m_server;
    bool m_tls = false;
    int m_port = 0;
};

} // namespace chronoscope::test

namespace chronoscope::test {

/// This process's resident memory in KiB (VmRSS), for the memory bounds the hostile tests assert.
long residentKb();

/// The highest RSS (KiB over the RSS when it was made) while it lives, sampled every 5 ms on a thread.
class PeakRss
{
public:
    PeakRss()
        : m_before(residentKb()), m_peak(m_before), m_thread([this] {
            while (m_sampling) {
                m_peak = std::max(m_peak.load(), residentKb());
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
        })
    {}
    ~PeakRss() { stop(); }
    PeakRss(const PeakRss &) = delete;
    PeakRss &operator=(const PeakRss &) = delete;
    long grownKb()
    {
        stop();
        return m_peak - m_before;
    }

private:
    void stop()
    {
        m_sampling = false;
        if (m_thread.joinable())
            m_thread.join();
    }
    long m_before;
    std::atomic<long> m_peak;
    std::atomic<bool> m_sampling{true};
    std::thread m_thread;
};

} // namespace chronoscope::test
