#pragma once

#include "connection/CredentialStore.h"

#include <QHash>
#include <QPointer>

namespace chronoscope {

/// Wraps the real store and remembers, for this session only, passwords it could not keep
/// (no keychain on this machine). Such writes still report Status::Unavailable with a message
/// saying the password is held in memory, so the user learns it will be asked again next time.
class SessionCredentialStore : public CredentialStore
{
    Q_OBJECT
public:
    /// `inner` is not owned.
    explicit SessionCredentialStore(CredentialStore *inner, QObject *parent = nullptr);

    void readPassword(const QString &key, Callback done) override;
    void writePassword(const QString &key, const QString &password, Callback done) override;
    void deletePassword(const QString &key, Callback done) override;

    /// Keeps a password for this session without touching the keychain (login prompt, "don't remember").
    void keepForSession(const QString &key, const QString &password) { m_memory.insert(key, password); }
    bool holdsInMemory(const QString &key) const { return m_memory.contains(key); }

private:
    QPointer<CredentialStore> m_inner;
    QHash<QString, QString> m_memory;
};

} // namespace chronoscope
