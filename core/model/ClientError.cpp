#include "model/ClientError.h"

namespace chronoscope {
namespace {

QByteArray trailer(const std::multimap<std::string, std::string> &trailers, const char *key)
{
    const auto it = trailers.find(key);
    return it == trailers.end() ? QByteArray() : QByteArray::fromStdString(it->second);
}

// gRPC status codes, spelled out so core does not need grpc headers here.
enum GrpcCode {
    Ok = 0, Cancelled = 1, UnknownCode = 2, InvalidArgument = 3, DeadlineExceeded = 4, NotFound = 5,
    AlreadyExists = 6, PermissionDenied = 7, FailedPrecondition = 9, Aborted = 10, Unimplemented = 12,
    Internal = 13, Unavailable = 14, DataLoss = 15, Unauthenticated = 16,
};

ExpectedState parseExpected(const QByteArray &text)
{
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v == -2)
        return ExpectedState::any();
    if (v == -1)
        return ExpectedState::noStream();
    if (v == -4)
        return ExpectedState::streamExists();
    return ExpectedState::at(quint64(v));
}

/// gRPC reports a failed TLS handshake as UNAVAILABLE with the TLS library's words in the text.
bool isTlsHandshakeFailure(const QString &m)
{
    static const char *const kMarkers[] = {"Ssl handshake failed", "SSL_ERROR_SSL", "CERTIFICATE_VERIFY_FAILED",
                                           "certificate verify failed", "not in peer certificate",
                                           "Handshake failed", "handshake failed", "WRONG_VERSION_NUMBER",
                                           "wrong version number"};
    for (const char *marker : kMarkers)
        if (m.contains(QLatin1String(marker)))
            return true;
    return false;
}

QString tlsFailureMessage(const QString &grpcText)
{
    QString why;
    if (grpcText.contains(QLatin1String("not in peer certificate")))
        why = QStringLiteral("the server's certificate is not issued for this host name");
    else if (grpcText.contains(QLatin1String("verify failed"), Qt::CaseInsensitive)
             || grpcText.contains(QLatin1String("CERTIFICATE_VERIFY_FAILED")))
        // OpenSSL's text through gRPC does not say which check failed: name every one it may be.
        why = QStringLiteral("the server's certificate failed verification: it is not signed by a trusted CA, or it "
                             "has expired or is not yet valid (set tlsCAFile to the CA that signed it, or "
                             "tlsVerifyCert=false to accept any certificate)");
    else if (grpcText.contains(QLatin1String("WRONG_VERSION_NUMBER"))
             || grpcText.contains(QLatin1String("wrong version number")))
        why = QStringLiteral("the server does not speak TLS (is it started with --insecure? then use tls=false)");
    else
        why = QStringLiteral("the handshake was refused");
    return QStringLiteral("TLS handshake failed: %1 [%2]").arg(why, grpcText);
}

/// gRPC refuses a reply above the channel's limits (GrpcChannel) with RESOURCE_EXHAUSTED or UNKNOWN
/// and its own words: say what the server sent.
void nameLimitBreach(ClientError *e)
{
    if (e->message.contains(QLatin1String("larger than max"))) {
        e->kind = ClientError::Kind::ProtocolError;
        e->message = QStringLiteral("the server sent a message larger than the client's receive limit, refused "
                                    "[%1]")
                         .arg(e->message);
    } else if (e->message == QLatin1String("Buffers full")) { // the channel's memory quota (GrpcChannel)
        e->kind = ClientError::Kind::ProtocolError;
        e->message = QStringLiteral("the server sent more than the client's channel memory quota holds (a message "
                                    "announced larger than the client takes), refused [%1]")
                         .arg(e->message);
    } else if (e->message.contains(QLatin1String("metadata size exceeds limit"))) {
        e->kind = ClientError::Kind::ProtocolError;
        e->message = QStringLiteral("the server sent headers or trailers larger than the client's metadata limit, "
                                    "refused [%1]")
                         .arg(e->message);
    }
}

} // namespace

QString ClientError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None: return QStringLiteral("none");
    case Kind::StreamNotFound: return QStringLiteral("stream-not-found");
    case Kind::StreamDeleted: return QStringLiteral("stream-deleted");
    case Kind::WrongExpectedVersion: return QStringLiteral("wrong-expected-version");
    case Kind::AccessDenied: return QStringLiteral("access-denied");
    case Kind::NotLeader: return QStringLiteral("not-leader");
    case Kind::NotFound: return QStringLiteral("not-found");
    case Kind::InvalidArgument: return QStringLiteral("invalid-argument");
    case Kind::InvalidTransaction: return QStringLiteral("invalid-transaction");
    case Kind::MaximumAppendSizeExceeded: return QStringLiteral("maximum-append-size-exceeded");
    case Kind::MaximumAppendEventSizeExceeded: return QStringLiteral("maximum-append-event-size-exceeded");
    case Kind::MissingRequiredMetadata: return QStringLiteral("missing-required-metadata-property");
    case Kind::Timeout: return QStringLiteral("timeout");
    case Kind::DeadlineExceeded: return QStringLiteral("deadline-exceeded");
    case Kind::Unavailable: return QStringLiteral("unavailable");
    case Kind::Cancelled: return QStringLiteral("cancelled");
    case Kind::Unimplemented: return QStringLiteral("unimplemented");
    case Kind::AlreadyExists: return QStringLiteral("already-exists");
    case Kind::ProtocolError: return QStringLiteral("protocol-error");
    case Kind::Unknown: return QStringLiteral("unknown");
    case Kind::TlsFailure: return QStringLiteral("tls-failure");
    case Kind::PersistentSubscriptionNotFound: return QStringLiteral("persistent-subscription-does-not-exist");
    case Kind::PersistentSubscriptionExists: return QStringLiteral("persistent-subscription-exists");
    case Kind::PersistentSubscriptionFailed: return QStringLiteral("persistent-subscription-failed");
    case Kind::MaximumSubscribersReached: return QStringLiteral("maximum-subscribers-reached");
    case Kind::PersistentSubscriptionDropped: return QStringLiteral("persistent-subscription-dropped");
    }
    return QStringLiteral("unknown");
}

QString ClientError::toString() const
{
    if (!isError())
        return QString();
    QString text = kindName();
    if (!message.isEmpty())
        text += QStringLiteral(": ") + message;
    return text;
}

ClientError ClientError::protocol(const QString &what)
{
    ClientError e;
    e.kind = Kind::ProtocolError;
    e.grpcCode = UnknownCode;
    e.message = what;
    return e;
}

ClientError ClientError::fromStatus(int grpcCode, const std::string &statusMessage,
                                    const std::multimap<std::string, std::string> &trailers)
{
    ClientError e;
    e.grpcCode = grpcCode;
    e.message = QString::fromStdString(statusMessage);
    if (grpcCode == Ok)
        return e;
    e.streamName = trailer(trailers, "stream-name");

    // The `exception` trailer wins; without one the status code decides (as the Node client does).
    const QByteArray exception = trailer(trailers, "exception");
    if (exception == "stream-deleted") {
        e.kind = Kind::StreamDeleted;
    } else if (exception == "wrong-expected-version") {
        e.kind = Kind::WrongExpectedVersion;
        e.expected = parseExpected(trailer(trailers, "expected-version"));
        const QByteArray actual = trailer(trailers, "actual-version");
        bool ok = false;
        const qint64 a = actual.toLongLong(&ok);
        if (ok && a >= 0)
            e.actualRevision = quint64(a);
    } else if (exception == "access-denied") {
        e.kind = Kind::AccessDenied;
    } else if (exception == "not-leader") {
        e.kind = Kind::NotLeader;
        e.leaderHost = QString::fromUtf8(trailer(trailers, "leader-endpoint-host"));
        e.leaderPort = trailer(trailers, "leader-endpoint-port").toInt();
    } else if (exception == "stream-not-found") {
        e.kind = Kind::StreamNotFound;
    } else if (exception == "invalid-transaction") {
        e.kind = Kind::InvalidTransaction;
    } else if (exception == "maximum-append-size-exceeded") {
        e.kind = Kind::MaximumAppendSizeExceeded;
    } else if (exception == "maximum-append-event-size-exceeded") {
        e.kind = Kind::MaximumAppendEventSizeExceeded;
    } else if (exception == "missing-required-metadata-property") {
        e.kind = Kind::MissingRequiredMetadata;
    } else if (exception.startsWith("persistent-subscription-") || exception == "maximum-subscribers-reached") {
        e.kind = exception == "persistent-subscription-does-not-exist" ? Kind::PersistentSubscriptionNotFound
            : exception == "persistent-subscription-exists"            ? Kind::PersistentSubscriptionExists
            : exception == "persistent-subscription-failed"            ? Kind::PersistentSubscriptionFailed
            : exception == "persistent-subscription-dropped"           ? Kind::PersistentSubscriptionDropped
                                                                       : Kind::MaximumSubscribersReached;
        e.streamName = trailer(trailers, "stream-name");
        e.groupName = QString::fromUtf8(trailer(trailers, "group-name"));
    } else {
        switch (grpcCode) {
        case Aborted: e.kind = Kind::Timeout; break;
        case DeadlineExceeded: e.kind = Kind::DeadlineExceeded; break;
        case Unavailable:
            if (isTlsHandshakeFailure(e.message)) {
                e.kind = Kind::TlsFailure;
                e.message = tlsFailureMessage(e.message);
            } else {
                e.kind = Kind::Unavailable;
            }
            break;
        case Internal: case DataLoss: e.kind = Kind::Unavailable; break;
        case Unauthenticated:
            e.kind = Kind::AccessDenied;
            e.message = QStringLiteral("authentication failed: the server did not accept the user name and password (%1)")
                            .arg(e.message);
            break;
        case PermissionDenied: e.kind = Kind::AccessDenied; break;
        case NotFound: e.kind = Kind::NotFound; break;
        case Cancelled: e.kind = Kind::Cancelled; break;
        case InvalidArgument: e.kind = Kind::InvalidArgument; break;
        case Unimplemented: e.kind = Kind::Unimplemented; break;
        case AlreadyExists: e.kind = Kind::AlreadyExists; break;
        default:
            e.kind = Kind::Unknown;
            nameLimitBreach(&e);
            break;
        }
    }
    return e;
}

} // namespace chronoscope
