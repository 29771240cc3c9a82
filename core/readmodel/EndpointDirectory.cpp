#include "readmodel/EndpointDirectory.h"

#include "connection/CredentialStore.h"

namespace chronoscope::readmodel {

void EndpointDirectory::setProfile(const QString &profileName, const QList<ReadModelEndpoint> &endpoints,
                                   CredentialStore *store)
{
    m_profile = profileName;
    m_endpoints = endpoints;
    m_store = store;
}

void EndpointDirectory::addInMemory(const ReadModelEndpoint &endpoint, const QString &password)
{
    m_memory.removeIf([&endpoint](const InMemory &m) { return m.endpoint.name == endpoint.name; });
    m_memory.append(InMemory{endpoint, password});
}

QStringList EndpointDirectory::names() const
{
    QStringList out;
    for (const InMemory &m : m_memory)
        out.append(m.endpoint.name);
    for (const ReadModelEndpoint &e : m_endpoints)
        if (!out.contains(e.name))
            out.append(e.name);
    return out;
}

void EndpointDirectory::lookup(const QString &name, const Done &done) const
{
    for (const InMemory &m : m_memory)
        if (m.endpoint.name == name)
            return done(Lookup{m.endpoint, m.password, {}});
    for (const ReadModelEndpoint &e : m_endpoints) {
        if (e.name != name)
            continue;
        if (!m_store)
            return done(Lookup{e, {}, {}}); // no keychain: try without a password (trust, peer, no requirepass)
        const QString key = e.credentialKey(m_profile);
        m_store->readPassword(key, [e, done](const CredentialStore::Result &r) {
            if (r.status == CredentialStore::Status::Ok || r.status == CredentialStore::Status::NotFound)
                done(Lookup{e, r.password, {}});
            else
                done(Lookup{std::nullopt,
                            {},
                            QStringLiteral("the keychain cannot give the password of read-model endpoint %1: %2")
                                .arg(e.name, r.message)});
        });
        return;
    }
    const QString known = names().isEmpty() ? QStringLiteral("none") : names().join(QStringLiteral(", "));
    done(Lookup{
        std::nullopt,
        {},
        m_profile.isEmpty()
            ? QStringLiteral("no read-model endpoint \"%1\": connect with a profile that has it (known: %2)")
                  .arg(name, known)
            : QStringLiteral("profile %1 has no read-model endpoint \"%2\" (known: %3)").arg(m_profile, name, known)});
}

} // namespace chronoscope::readmodel
