#pragma once

#include "connection/ReadModelEndpoint.h"

#include <QList>
#include <QPointer>
#include <QString>

#include <functional>
#include <optional>

namespace chronoscope {
class CredentialStore;
}

namespace chronoscope::readmodel {

/// The window's read-model endpoints by name: those of the connected profile (passwords read from the
/// keychain when asked, never kept) and endpoints given in memory with their password (the demo's local
/// databases, tests). A mapping's `endpoint` is looked up here; the in-memory ones win over the profile's.
class EndpointDirectory
{
public:
    struct Lookup
    {
        std::optional<ReadModelEndpoint> endpoint;
        QString password; ///< in memory only
        QString error;    ///< no such endpoint, or the keychain failed (never the password)
    };
    using Done = std::function<void(const Lookup &)>;

    /// The connected profile's endpoints; `store` is where their passwords are (not owned; may be null).
    void setProfile(const QString &profileName, const QList<ReadModelEndpoint> &endpoints, CredentialStore *store);
    void clearProfile() { setProfile({}, {}, nullptr); }
    /// An endpoint known without a profile, its password held in memory only (replaces one of the same name).
    void addInMemory(const ReadModelEndpoint &endpoint, const QString &password);
    void clearInMemory() { m_memory.clear(); }

    /// Every endpoint name known (in memory first).
    QStringList names() const;
    /// Finds `name` and its password. `done` is called on this thread, at once or when the keychain answers.
    void lookup(const QString &name, const Done &done) const;

private:
    struct InMemory
    {
        ReadModelEndpoint endpoint;
        QString password;
    };
    QString m_profile;
    QList<ReadModelEndpoint> m_endpoints;
    QPointer<CredentialStore> m_store;
    QList<InMemory> m_memory;
};

} // namespace chronoscope::readmodel
