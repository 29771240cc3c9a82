#pragma once

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace chronoscope::sandbox {

/// How the sandbox's appends arrived: Streams.Append calls and Streams.BatchAppend calls,
/// requests (chunks) and appends (correlations answered), in all and per stream. A test-only
/// record (`chronoscope-sandbox --stats-file`): a client that silently fell back from BatchAppend
/// to Append writes the same events, so only the server can tell which RPC it really used. Shared
/// by the nodes of a cluster; safe to update from every gRPC thread.
class CallStats
{
public:
    void appendCall(const std::string &stream);
    void batchAppendCall();
    /// One BatchAppendReq of an append to `stream` (the first chunk names it; later ones share its id).
    void batchAppendRequest(const std::string &stream);
    /// One append of a BatchAppend call answered (success or failure), i.e. one correlation id.
    void batchAppendAnswered(const std::string &stream);

    /// One call of a method other than the appends, e.g. "PersistentSubscriptions.Create".
    void methodCall(const std::string &method);
    std::uint64_t methodCalls(const std::string &method) const;

    struct Counts
    {
        std::uint64_t appendCalls = 0;
        std::uint64_t batchAppendRequests = 0;
        std::uint64_t batchAppends = 0;
    };
    Counts forStream(const std::string &stream) const;
    std::uint64_t batchAppendCalls() const;

    /// {"append": {"calls"}, "batchAppend": {"calls", "requests", "appends"},
    ///  "streams": {name: {"appendCalls", "batchAppendRequests", "batchAppends"}},
    ///  "methods": {name: calls}}
    QJsonObject toJson() const;
    /// Writes toJson() to `path`; false with `error` set when it cannot.
    bool writeJson(const QString &path, QString *error) const;

private:
    mutable std::mutex m_mutex;
    std::uint64_t m_batchAppendCalls = 0;
    std::map<std::string, Counts> m_streams;
    std::map<std::string, std::uint64_t> m_methods;
};

} // namespace chronoscope::sandbox
