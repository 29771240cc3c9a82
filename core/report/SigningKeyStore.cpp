#include "report/SigningKeyStore.h"

#include "connection/CredentialStore.h"
#include "report/Ed25519.h"
#include "report/ReportSignature.h"

#include <optional>

namespace chronoscope {

SigningKeyStore::SigningKeyStore(CredentialStore *store, QObject *parent) : QObject(parent), m_store(store) {}

void SigningKeyStore::setStore(CredentialStore *store)
{
    m_store = store;
}

void SigningKeyStore::fetch(KeyCallback done)
{
    if (!m_store) {
        done({}, tr("no credential store"));
        return;
    }
    m_store->readPassword(QString::fromLatin1(kStoreKey), [done](const CredentialStore::Result &r) {
        if (r.status == CredentialStore::Status::NotFound) {
            done({}, {});
            return;
        }
        if (r.status != CredentialStore::Status::Ok) {
            done({}, tr("the keychain could not be read: %1").arg(r.message));
            return;
        }
        const auto key = QByteArray::fromBase64Encoding(r.password.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!key || key.decoded.size() != Ed25519::kKeyBytes) {
            done({}, tr("the stored signing key is damaged: generate a new one"));
            return;
        }
        done(key.decoded, {});
    });
}

void SigningKeyStore::generate(GenerateCallback done)
{
    QString error;
    std::optional<Ed25519::KeyPair> pair = Ed25519::generate(&error);
    if (!pair || !m_store) {
        done({}, tr("No signing key was made: %1").arg(pair ? tr("no credential store") : error));
        return;
    }
    const QString fingerprint = Ed25519::fingerprint(pair->publicKey);
    const QString secret = QString::fromLatin1(pair->privateKey.toBase64());
    pair->privateKey.fill('\0');
    m_store->writePassword(
        QString::fromLatin1(kStoreKey), secret, [done, fingerprint](const CredentialStore::Result &r) {
            const QString shortPrint = ReportSignature::shortFingerprint(fingerprint);
            if (r.status == CredentialStore::Status::Ok)
                done(fingerprint,
                     tr("Report signing key made and kept in the keychain (fingerprint %1)").arg(shortPrint));
            else
                done(fingerprint,
                     tr("Report signing key made (fingerprint %1), but the keychain could not keep it: "
                        "it signs reports in this session only")
                         .arg(shortPrint));
        });
}

void SigningKeyStore::publicKeyPem(PemCallback done)
{
    fetch([done](const QByteArray &privateKey, const QString &problem) {
        QString error = problem;
        if (error.isEmpty() && privateKey.isEmpty())
            error = tr("there is no signing key yet: File ▸ Generate Report Signing Key… makes one");
        QByteArray pem;
        if (error.isEmpty())
            pem = Ed25519::publicKeyToPem(Ed25519::publicKeyOf(privateKey, &error), &error);
        done(error.isEmpty() ? pem : QByteArray(), error);
    });
}

} // namespace chronoscope
