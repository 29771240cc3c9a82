#pragma once

#include "model/Types.h"

#include <QString>

#include <map>
#include <string>

namespace chronoscope {

/// A typed error from a call to the server, mapped from the gRPC status and the `exception`
/// trailer as the official clients map them (protocol sheet §10). Never carries credentials.
struct ClientError
{
    enum class Kind {
        None,
        StreamNotFound,
        StreamDeleted,
        WrongExpectedVersion,
        AccessDenied,
        NotLeader,
        NotFound,
        InvalidArgument,
        InvalidTransaction,
        MaximumAppendSizeExceeded,
        MaximumAppendEventSizeExceeded,
        MissingRequiredMetadata,
        Timeout,
        DeadlineExceeded,
        Unavailable,
        Cancelled,
        Unimplemented,
        AlreadyExists,
        ProtocolError, ///< the server sent something we cannot interpret
        Unknown,
        TlsFailure, ///< the TLS handshake failed: untrusted CA, host name not in the certificate, …
        // Persistent subscriptions (`exception` trailers of RpcExceptions.PersistentSubscription*):
        PersistentSubscriptionNotFound, ///< persistent-subscription-does-not-exist
        PersistentSubscriptionExists,   ///< persistent-subscription-exists
        PersistentSubscriptionFailed,   ///< persistent-subscription-failed: `message` has the server's reason
        MaximumSubscribersReached,      ///< maximum-subscribers-reached
        PersistentSubscriptionDropped,  ///< persistent-subscription-dropped (updated, restarted)
    };

    Kind kind = Kind::None;
    int grpcCode = 0;
    QString message;
    QByteArray streamName;
    /// WrongExpectedVersion: what was expected and what the stream was at.
    ExpectedState expected;
    std::optional<quint64> actualRevision; ///< empty = the stream does not exist
    /// Persistent subscription errors: the group the server named.
    QString groupName;
    /// NotLeader: where the leader is.
    QString leaderHost;
    int leaderPort = 0;

    bool isError() const { return kind != Kind::None; }
    /// The server did not accept the credentials (UNAUTHENTICATED). The kind is AccessDenied, as the
    /// official clients report it; this tells it apart from a permission (ACL) denial.
    bool isAuthenticationFailure() const { return kind == Kind::AccessDenied && grpcCode == 16; }
    explicit operator bool() const { return isError(); }
    /// A stable lower-case name for the kind ("stream-not-found", "wrong-expected-version", …).
    static QString kindName(Kind kind);
    QString kindName() const { return kindName(kind); }
    /// One line for a user: the kind and the message.
    QString toString() const;

    static ClientError fromStatus(int grpcCode, const std::string &statusMessage,
                                  const std::multimap<std::string, std::string> &trailers);
    static ClientError protocol(const QString &what);
};

} // namespace chronoscope
