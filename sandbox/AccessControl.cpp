#include "AccessControl.h"

#include "StandardUsers.h"
#include "WireFormat.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace chronoscope::sandbox {
namespace {

constexpr const auto &kUsers = kDefaultUsers;

const char *aclKey(StreamAccess access)
{
    switch (access) {
    case StreamAccess::Read: return "$r";
    case StreamAccess::Write: return "$w";
    case StreamAccess::Delete: return "$d";
    case StreamAccess::MetaRead: return "$mr";
    case StreamAccess::MetaWrite: return "$mw";
    }
    return "$r";
}

const QStringList &rolesOf(const StreamAcl &acl, StreamAccess access)
{
    switch (access) {
    case StreamAccess::Read: return acl.readRoles;
    case StreamAccess::Write: return acl.writeRoles;
    case StreamAccess::Delete: return acl.deleteRoles;
    case StreamAccess::MetaRead: return acl.metaReadRoles;
    case StreamAccess::MetaWrite: return acl.metaWriteRoles;
    }
    return acl.readRoles;
}

std::vector<std::string> toStd(const QStringList &roles)
{
    std::vector<std::string> out;
    for (const QString &r : roles)
        out.push_back(r.toStdString());
    return out;
}

// "Basic base64(user:password)" → user and password; false when the header is not that shape.
bool parseBasic(const std::string &header, std::string *user, std::string *password)
{
    const QByteArray h = QByteArray::fromStdString(header).trimmed();
    const int space = h.indexOf(' ');
    if (space <= 0 || h.left(space).toLower() != "basic")
        return false;
    const auto result = QByteArray::fromBase64Encoding(h.mid(space + 1).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return false;
    const QByteArray &decoded = result.decoded;
    const int colon = decoded.indexOf(':');
    if (colon <= 0)
        return false;
    *user = decoded.left(colon).toStdString();
    *password = decoded.mid(colon + 1).toStdString();
    return true;
}

Principal principalOf(const DefaultUser &u)
{
    Principal p;
    p.anonymous = false;
    p.name = u.name;
    p.roles = {u.name, u.group}; // users always have a role named after themselves
    return p;
}

} // namespace

std::optional<Principal> AccessControl::userFromCertificate(const grpc::ServerContextBase &context) const
{
    const auto auth = context.auth_context();
    // The handshake verified the chain (the server requests and verifies client certificates
    // whenever trusted roots are configured); an unverified peer has no certificate properties.
    if (!auth || !auth->IsPeerAuthenticated())
        return std::nullopt;
    for (const grpc::string_ref &cn : auth->FindPropertyValues("x509_common_name")) {
        const std::string name(cn.data(), cn.size());
        for (const DefaultUser &u : kUsers)
            if (name == u.name)
                return principalOf(u);
    }
    return std::nullopt;
}

bool Principal::hasRole(const std::string &role) const
{
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

grpc::Status AccessControl::accessDenied(grpc::ServerContextBase *context)
{
    return wire::error(context, grpc::StatusCode::PERMISSION_DENIED, "Access Denied", "access-denied");
}

grpc::Status AccessControl::unauthenticated()
{
    // The real server's authentication middleware answers before any service runs: no trailer keys.
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "Unauthenticated");
}

std::optional<Principal> AccessControl::authenticate(const grpc::ServerContextBase &context, grpc::Status *failure) const
{
    const auto &md = context.client_metadata();
    const auto it = md.find("authorization");
    if (it == md.end()) {
        if (m_userCertificates)
            if (auto p = userFromCertificate(context))
                return p;
        return Principal{};
    }
    std::string user, password;
    if (parseBasic(std::string(it->second.data(), it->second.size()), &user, &password)) {
        for (const DefaultUser &u : kUsers)
            if (user == u.name && password == u.password)
                return principalOf(u);
    }
    if (failure)
        *failure = unauthenticated();
    return std::nullopt;
}

grpc::Status AccessControl::authorize(grpc::ServerContextBase *context, StreamAccess access, const std::string &stream) const
{
    grpc::Status failure;
    const std::optional<Principal> principal = authenticate(*context, &failure);
    if (!principal)
        return failure;
    return isAllowed(*principal, access, stream) ? grpc::Status::OK : accessDenied(context);
}

bool AccessControl::isAllowed(const Principal &principal, StreamAccess access, const std::string &stream) const
{
    if (principal.isAdmin())
        return true; // $admins bypass every stream check and cannot be locked out by an ACL
    if (principal.anonymous)
        return false; // AllowAnonymousStreamAccess=false, the real server's default
    std::string target = stream;
    if (target.size() > 2 && target.compare(0, 2, "$$") == 0) { // `$$x` is guarded by x's metadata ACL
        target = target.substr(2);
        access = access == StreamAccess::Read ? StreamAccess::MetaRead : StreamAccess::MetaWrite;
    }
    for (const std::string &role : rolesFor(access, target))
        if (role == "$all" || principal.hasRole(role))
            return true;
    return false;
}

std::vector<std::string> AccessControl::rolesFor(StreamAccess access, const std::string &stream) const
{
    if (const auto metadata = m_store.metadataOf(stream); metadata && metadata->acl) {
        const QStringList &roles = rolesOf(*metadata->acl, access);
        if (!roles.isEmpty())
            return toStd(roles);
    }
    const bool system = !stream.empty() && stream[0] == '$';
    if (auto fromSettings = defaultAclFromSettings(access, system))
        return *fromSettings;
    return {system ? "$admins" : "$all"};
}

std::optional<std::vector<std::string>> AccessControl::defaultAclFromSettings(StreamAccess access, bool systemStream) const
{
    const std::string settings = "$settings";
    const StreamView v = m_store.view(settings);
    if (v.state != StreamView::State::Present || !v.hasEvents)
        return std::nullopt;
    std::string data;
    m_store.readStream(settings, v.last, false, 1, [&](const StoredRecord &r) { data = r.data; });
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(data)).object();
    const QJsonValue acl = o.value(systemStream ? QLatin1String("$systemStreamAcl") : QLatin1String("$userStreamAcl"));
    const QJsonValue roles = acl.toObject().value(QLatin1String(aclKey(access)));
    if (roles.isString())
        return std::vector<std::string>{roles.toString().toStdString()};
    if (!roles.isArray())
        return std::nullopt;
    std::vector<std::string> out;
    for (const QJsonValue &r : roles.toArray())
        out.push_back(r.toString().toStdString());
    return out;
}

} // namespace chronoscope::sandbox
