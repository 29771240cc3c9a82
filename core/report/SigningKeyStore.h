#pragma once

#include <QObject>
#include <QPointer>

#include <functional>

namespace chronoscope {

class CredentialStore;

/// The user's report signing key (F10): an Ed25519 private key kept only in a credential store (the
/// OS keychain, or a session's memory where there is none) — never in a file, a setting or a log.
/// The window's File menu and the command line use the same store. Every answer comes later, on
/// the thread that asked, as the credential store answers.
class SigningKeyStore : public QObject
{
    Q_OBJECT
public:
    /// The credential store entry (the value is the raw private key in base64).
    static constexpr const char *kStoreKey = "report-signing-key/ed25519";

    /// `store` is not owned; null: every call answers "no credential store".
    explicit SigningKeyStore(CredentialStore *store, QObject *parent = nullptr);
    void setStore(CredentialStore *store);

    /// The private key: `done(key, problem)`; both empty when no key was made yet.
    using KeyCallback = std::function<void(const QByteArray &privateKey, const QString &problem)>;
    void fetch(KeyCallback done);
    /// Makes a new key and stores it, replacing any: `done(fingerprint, message)`, the fingerprint
    /// empty when no key was made; the message says what happened (kept, or kept for this session only).
    using GenerateCallback = std::function<void(const QString &fingerprint, const QString &message)>;
    void generate(GenerateCallback done);
    /// The public half as PEM, for whoever verifies reports: `done(pem, error)`.
    using PemCallback = std::function<void(const QByteArray &pem, const QString &error)>;
    void publicKeyPem(PemCallback done);

private:
    QPointer<CredentialStore> m_store;
};

} // namespace chronoscope
