#pragma once

#include "connection/CredentialStore.h"

namespace chronoscope {

/// Passwords in the OS keychain through QtKeychain's asynchronous jobs. Never falls back to an
/// insecure file: without a keychain every call reports Status::Unavailable.
class KeychainCredentialStore : public CredentialStore
{
    Q_OBJECT
public:
    explicit KeychainCredentialStore(const QString &service, QObject *parent = nullptr);

    void readPassword(const QString &key, Callback done) override;
    void writePassword(const QString &key, const QString &password, Callback done) override;
    void deletePassword(const QString &key, Callback done) override;

private:
    QString m_service;
};

} // namespace chronoscope
