#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace chronoscope {

struct EndPoint
{
    QString host;
    quint16 port = 2113;
    QString toString() const;
    friend bool operator==(const EndPoint &a, const EndPoint &b) { return a.host == b.host && a.port == b.port; }
};

enum class NodePreference { Leader, Follower, Random, ReadOnlyReplica };

/// A user name and password for HTTP Basic authentication: from the connection string's user
/// info, or given per call. Never logged, never part of an error message.
struct UserCredentials
{
    QString username;
    QString password;
    bool isEmpty() const { return username.isEmpty(); }
};

/// Everything a connection string says, with the official clients' defaults (protocol sheet §11).
struct ConnectionSettings
{
    QString scheme = QStringLiteral("kurrentdb");
    bool discover = false;          ///< `+discover`: gossip through the first host
    QList<EndPoint> hosts;          ///< one host = direct connection; several = gossip seeds
    QString username;               ///< never logged
    QString password;               ///< never logged
    bool tls = true;
    bool tlsVerifyCert = true;
    QString tlsCaFile;
    QString userCertFile;
    QString userKeyFile;
    NodePreference nodePreference = NodePreference::Leader;
    int defaultDeadlineMs = 10000;  ///< unary calls; streaming reads have none
    int keepAliveIntervalMs = 10000; ///< -1 = off
    int keepAliveTimeoutMs = 10000;  ///< -1 = off
    QString connectionName;         ///< sent as `connection-name`; a random UUID when empty
    int maxDiscoverAttempts = 10;
    int discoveryIntervalMs = 100;
    /// `gossipTimeout` has no single unit among the official clients (protocol sheet §11): the
    /// Node clients' own discovery reads seconds (default 5), the Rust client and .NET read
    /// milliseconds (default 3000), and @kurrent/kurrentdb-client 1.x hands the same string to
    /// both (grpc-js discovery: seconds, its Rust bridge for reads: milliseconds). Values below
    /// 100 are read as seconds (with a warning), others as milliseconds: the two readings only
    /// collide for timeouts no one sets (under 100 ms, or 100 s and more).
    int gossipTimeoutMs = 5000;
    bool throwOnAppendFailure = true;
    /// How long a catch-up subscription (a live tail) keeps reconnecting to a lost node, without an
    /// event, before it ends (besides Subscription::kMaxReconnects attempts): a server restarting on
    /// a long log keeps its port closed for seconds. Not in the connection string; 0 = attempts only.
    int subscriptionPatienceMs = 30000;
    QStringList warnings;           ///< unknown keys, deprecated spellings: shown, not fatal

    bool hasCredentials() const { return !username.isEmpty(); }
    UserCredentials defaultCredentials() const { return {username, password}; }
    bool usesGossip() const { return discover || hosts.size() > 1; }
    /// The settings as a connection string with the password replaced by `***`.
    QString toRedactedString() const;
    static QString nodePreferenceName(NodePreference p);
};

/// Parses the official connection-string grammar:
/// `<scheme>://[user:pass@]host[:port][,host[:port]…][/][?key=value[&key=value…]]`
/// with schemes esdb, kurrentdb, kurrent, kdb (each optionally `+discover`).
class ConnectionString
{
public:
    struct Result
    {
        ConnectionSettings settings;
        QString error; ///< empty on success; otherwise names the offending part
        bool ok() const { return error.isEmpty(); }
    };
    /// Errors and warnings never quote the password, even when the string is malformed.
    static Result parse(const QString &text);

private:
    static Result parseUnredacted(const QString &text);
};

} // namespace chronoscope
