#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace chronoscope {

/// Ed25519 (RFC 8032) through OpenSSL 3's EVP interface: key generation, signing, verification
/// and PEM for public keys. Keys are raw: 32 bytes of private seed, 32 bytes of public key.
///
/// The private key is a credential: callers keep it in the credential store only, never in a file
/// or a log; this class writes nothing anywhere and wipes the copies OpenSSL hands it.
class Ed25519
{
public:
    static constexpr qsizetype kKeyBytes = 32;
    static constexpr qsizetype kSignatureBytes = 64;

    struct KeyPair
    {
        QByteArray privateKey; ///< raw 32 bytes
        QByteArray publicKey;  ///< raw 32 bytes
    };
    /// A new key pair from OpenSSL's CSPRNG; nullopt (and `error`) if OpenSSL fails.
    static std::optional<KeyPair> generate(QString *error = nullptr);
    /// The public key of a raw private key; empty (and `error`) when it is not 32 bytes.
    static QByteArray publicKeyOf(const QByteArray &privateKey, QString *error = nullptr);

    /// The 64-byte signature of `message` (pure Ed25519: the message itself, no pre-hash).
    static QByteArray sign(const QByteArray &privateKey, const QByteArray &message, QString *error = nullptr);
    /// Whether `signature` is `publicKey`'s over `message`. False for malformed keys or signatures.
    static bool verify(const QByteArray &publicKey, const QByteArray &message, const QByteArray &signature);

    /// "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo), as `openssl pkey -pubout` writes it.
    static QByteArray publicKeyToPem(const QByteArray &publicKey, QString *error = nullptr);
    /// The raw public key in a PEM public key; empty (and `error`) when it is not an Ed25519 one.
    static QByteArray publicKeyFromPem(const QByteArray &pem, QString *error = nullptr);

    /// The raw private key in a PEM private key ("-----BEGIN PRIVATE KEY-----", PKCS#8, as
    /// `openssl genpkey -algorithm ed25519` writes it); empty (and `error`) when it is not an
    /// unencrypted Ed25519 one. For a key the user keeps, e.g. a CI secret: Chronoscope writes none.
    static QByteArray privateKeyFromPem(const QByteArray &pem, QString *error = nullptr);

    /// Lowercase hex SHA-256 of the raw public key.
    static QString fingerprint(const QByteArray &publicKey);
};

} // namespace chronoscope
