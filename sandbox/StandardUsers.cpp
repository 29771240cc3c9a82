#include "StandardUsers.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace chronoscope::sandbox {

namespace {

/// Rfc2898PasswordHashAlgorithm.Hash: a random 16-byte salt, 20 bytes of PBKDF2-SHA1 at 1000 iterations,
/// both base64.
std::pair<QString, QString> hashPassword(const QByteArray &password)
{
    QByteArray salt(16, Qt::Uninitialized);
    for (char &c : salt)
        c = char(QRandomGenerator::system()->bounded(256));
    const QByteArray hash = pbkdf2Sha1(password, salt, 1000, 20);
    return {QString::fromLatin1(hash.toBase64()), QString::fromLatin1(salt.toBase64())};
}

ProposedEvent event(const char *type, bool isJson, const QByteArray &data)
{
    return ProposedEvent{QUuid::createUuid(), type, isJson, data.toStdString(), {}, 0};
}

} // namespace

QByteArray pbkdf2Sha1(const QByteArray &password, const QByteArray &salt, int iterations, int length)
{
    QByteArray out;
    for (quint32 block = 1; out.size() < length; ++block) {
        QByteArray index(4, Qt::Uninitialized);
        index[0] = char(block >> 24);
        index[1] = char(block >> 16);
        index[2] = char(block >> 8);
        index[3] = char(block);
        QByteArray u = QMessageAuthenticationCode::hash(salt + index, password, QCryptographicHash::Sha1);
        QByteArray t = u;
        for (int i = 1; i < iterations; ++i) {
            u = QMessageAuthenticationCode::hash(u, password, QCryptographicHash::Sha1);
            for (int k = 0; k < t.size(); ++k)
                t[k] = char(t[k] ^ u[k]);
        }
        out += t;
    }
    return out.left(length);
}

int writeStandardUsers(EventStore &store)
{
    // BecomeLeader reads each user's stream and creates the user when it has none.
    if (store.view("$user-admin").hasEvents)
        return 0;
    // The two creations run side by side, each a chain of writes (ACL, then user, then $users); the
    // single writer takes them in turn, so they interleave: both ACLs, both users, both $users entries.
    int written = 0;
    const auto append = [&store, &written](const std::string &stream, const ProposedEvent &e) {
        if (!store.append(stream, EventStore::Expected::Any, 0, {e}).error)
            ++written;
    };
    // UpdateStreamAcl with write, delete and metadata-write roles $admins (read left to the defaults).
    for (const DefaultUser &u : kDefaultUsers)
        append(std::string("$$$user-") + u.name,
               event("$metadata", true, R"({"$acl":{"$w":"$admins","$d":"$admins","$mw":"$admins"}})"));
    for (const DefaultUser &u : kDefaultUsers) {
        const auto [hash, salt] = hashPassword(u.password);
        // UserData as Json.ToJsonBytes writes it (Newtonsoft: camel-cased, declaration order, indented by two).
        const QByteArray data = QByteArray("{\n  \"loginName\": \"") + u.name + "\",\n  \"fullName\": \"" + u.fullName
            + "\",\n  \"groups\": [\n    \"" + u.group + "\"\n  ],\n  \"hash\": \"" + hash.toLatin1()
            + "\",\n  \"salt\": \"" + salt.toLatin1() + "\",\n  \"disabled\": false\n}";
        append(std::string("$user-") + u.name, event("$UserCreated", true, data));
    }
    for (const DefaultUser &u : kDefaultUsers)
        append("$users", event("$User", false, QByteArray(u.name)));
    return written;
}

} // namespace chronoscope::sandbox
