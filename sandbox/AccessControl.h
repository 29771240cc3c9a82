#pragma once

#include "EventStore.h"

#include <grpcpp/grpcpp.h>

#include <optional>
#include <string>
#include <vector>

namespace chronoscope::sandbox {

/// Who a call runs as. Anonymous when the call carries no `authorization` header.
struct Principal
{
    bool anonymous = true;
    std::string name;
    std::vector<std::string> roles; ///< the user's own name and its groups, e.g. {"admin", "$admins"}
    bool hasRole(const std::string &role) const;
    bool isAdmin() const { return hasRole("$admins"); }
};

/// What an operation wants to do to a stream: the five ACL keys of `$acl`.
enum class StreamAccess { Read, Write, Delete, MetaRead, MetaWrite };

/// Authentication and stream authorization as the real server does them when it is not started
/// with --insecure (protocol sheet §9, server docs "User authorization"):
/// - HTTP Basic against the default users `admin`/`changeit` ($admins) and `ops`/`changeit` ($ops);
///   bad credentials are UNAUTHENTICATED "Unauthenticated" without an `exception` trailer;
/// - no credentials is the anonymous user, who may not touch streams (AllowAnonymousStreamAccess
///   is false by default): PERMISSION_DENIED "Access Denied" with `exception: access-denied`;
/// - `$admins` may do everything; everyone else is checked against the stream's `$acl`, key by key,
///   falling back to the default ACL in `$settings` (`$userStreamAcl`, `$systemStreamAcl`) and
///   then to the built-in defaults: `$all` for user streams, `$admins` for `$`-prefixed ones;
/// - `$$x` is authorized with x's `$mr` / `$mw`; `$all` is the system stream `$all` (`$$$all`).
class AccessControl
{
public:
    explicit AccessControl(const EventStore &store) : m_store(store) {}

    /// As the real server's user-certificates plugin (off by default there too): a call without an
    /// `authorization` header that presents a client certificate verified against the trusted roots
    /// runs as the user named by the certificate's common name, when that user exists.
    void setUserCertificates(bool enabled) { m_userCertificates = enabled; }

    /// Who the call's credentials name; none (with `failure` set to UNAUTHENTICATED) when they are wrong.
    std::optional<Principal> authenticate(const grpc::ServerContextBase &context, grpc::Status *failure) const;

    /// OK, or the status the real server answers with (UNAUTHENTICATED / PERMISSION_DENIED).
    grpc::Status authorize(grpc::ServerContextBase *context, StreamAccess access, const std::string &stream) const;

    /// The decision for an already authenticated principal.
    bool isAllowed(const Principal &principal, StreamAccess access, const std::string &stream) const;

    static grpc::Status accessDenied(grpc::ServerContextBase *context);
    static grpc::Status unauthenticated();

private:
    std::vector<std::string> rolesFor(StreamAccess access, const std::string &stream) const;
    std::optional<std::vector<std::string>> defaultAclFromSettings(StreamAccess access, bool systemStream) const;

    std::optional<Principal> userFromCertificate(const grpc::ServerContextBase &context) const;

    const EventStore &m_store;
    bool m_userCertificates = false;
};

} // namespace chronoscope::sandbox
