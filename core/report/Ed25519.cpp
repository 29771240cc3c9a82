#include "report/Ed25519.h"

#include <QCryptographicHash>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <memory>

namespace chronoscope {

namespace {

struct PkeyFree { void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX *c) const { EVP_PKEY_CTX_free(c); } };
struct MdCtxFree { void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); } };
struct BioFree { void operator()(BIO *b) const { BIO_free(b); } };
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

const uchar *bytes(const QByteArray &b) { return reinterpret_cast<const uchar *>(b.constData()); }

/// Sets `error` to `what` and OpenSSL's last error (the queue is emptied either way).
void fail(QString *error, const QString &what)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (!error)
        return;
    *error = what;
    if (code) {
        char text[256] = {};
        ERR_error_string_n(code, text, sizeof text);
        *error += QStringLiteral(" (%1)").arg(QString::fromLatin1(text));
    }
}

Pkey privateKey(const QByteArray &raw, QString *error)
{
    if (raw.size() != Ed25519::kKeyBytes) {
        if (error)
            *error = QStringLiteral("an Ed25519 private key has 32 bytes, not %1").arg(raw.size());
        return nullptr;
    }
    Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes(raw), size_t(raw.size())));
    if (!key)
        fail(error, QStringLiteral("OpenSSL refused the Ed25519 private key"));
    return key;
}

Pkey publicKey(const QByteArray &raw)
{
    if (raw.size() != Ed25519::kKeyBytes)
        return nullptr;
    return Pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(raw), size_t(raw.size())));
}

QByteArray rawPublicKey(EVP_PKEY *key, QString *error)
{
    QByteArray out(Ed25519::kKeyBytes, Qt::Uninitialized);
    size_t length = size_t(out.size());
    if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<uchar *>(out.data()), &length) != 1
        || length != size_t(Ed25519::kKeyBytes)) {
        fail(error, QStringLiteral("OpenSSL could not give the public key"));
        return {};
    }
    return out;
}

/// Whether a key read from PEM is an Ed25519 one (else `error` names what it is).
bool isEd25519(EVP_PKEY *key, QString *error)
{
    if (EVP_PKEY_get_id(key) == EVP_PKEY_ED25519)
        return true;
    if (error)
        *error = QStringLiteral("the PEM holds a %1 key, not an Ed25519 one")
                     .arg(QString::fromLatin1(OBJ_nid2sn(EVP_PKEY_get_id(key))));
    return false;
}

} // namespace

std::optional<Ed25519::KeyPair> Ed25519::generate(QString *error)
{
    PkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
    EVP_PKEY *generated = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &generated) != 1) {
        fail(error, QStringLiteral("OpenSSL could not generate an Ed25519 key"));
        return std::nullopt;
    }
    Pkey key(generated);
    KeyPair pair;
    pair.privateKey = QByteArray(kKeyBytes, Qt::Uninitialized);
    size_t length = size_t(kKeyBytes);
    if (EVP_PKEY_get_raw_private_key(key.get(), reinterpret_cast<uchar *>(pair.privateKey.data()), &length) != 1
        || length != size_t(kKeyBytes)) {
        OPENSSL_cleanse(pair.privateKey.data(), size_t(pair.privateKey.size()));
        fail(error, QStringLiteral("OpenSSL could not give the private key"));
        return std::nullopt;
    }
    pair.publicKey = rawPublicKey(key.get(), error);
    if (pair.publicKey.isEmpty())
        return std::nullopt;
    return pair;
}

QByteArray Ed25519::publicKeyOf(const QByteArray &raw, QString *error)
{
    const Pkey key = privateKey(raw, error);
    return key ? rawPublicKey(key.get(), error) : QByteArray();
}

QByteArray Ed25519::sign(const QByteArray &raw, const QByteArray &message, QString *error)
{
    const Pkey key = privateKey(raw, error);
    if (!key)
        return {};
    // Ed25519 hashes internally: no digest is given (NULL md), and the one-shot call is required.
    MdCtx ctx(EVP_MD_CTX_new());
    QByteArray signature(kSignatureBytes, Qt::Uninitialized);
    size_t length = size_t(signature.size());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1
        || EVP_DigestSign(ctx.get(), reinterpret_cast<uchar *>(signature.data()), &length, bytes(message),
                          size_t(message.size())) != 1
        || length != size_t(kSignatureBytes)) {
        fail(error, QStringLiteral("OpenSSL could not sign"));
        return {};
    }
    return signature;
}

bool Ed25519::verify(const QByteArray &rawPublic, const QByteArray &message, const QByteArray &signature)
{
    const Pkey key = publicKey(rawPublic);
    if (!key || signature.size() != kSignatureBytes) {
        ERR_clear_error();
        return false;
    }
    MdCtx ctx(EVP_MD_CTX_new());
    const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1
        && EVP_DigestVerify(ctx.get(), bytes(signature), size_t(signature.size()), bytes(message),
                            size_t(message.size())) == 1;
    ERR_clear_error(); // a bad signature leaves an error queued; it is an answer, not a failure
    return ok;
}

QByteArray Ed25519::publicKeyToPem(const QByteArray &rawPublic, QString *error)
{
    const Pkey key = publicKey(rawPublic);
    if (!key) {
        fail(error, QStringLiteral("not an Ed25519 public key (%1 bytes)").arg(rawPublic.size()));
        return {};
    }
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1) {
        fail(error, QStringLiteral("OpenSSL could not write the public key"));
        return {};
    }
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(length));
}

QByteArray Ed25519::publicKeyFromPem(const QByteArray &pem, QString *error)
{
    Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    Pkey key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!key) {
        fail(error, QStringLiteral("not a PEM public key (-----BEGIN PUBLIC KEY-----)"));
        return {};
    }
    if (!isEd25519(key.get(), error))
        return {};
    return rawPublicKey(key.get(), error);
}

QByteArray Ed25519::privateKeyFromPem(const QByteArray &pem, QString *error)
{
    Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    // An empty passphrase: an encrypted key fails here instead of prompting on the terminal.
    char empty[] = "";
    Pkey key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, empty) : nullptr);
    if (!key) {
        fail(error, QStringLiteral("not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)"));
        return {};
    }
    if (!isEd25519(key.get(), error))
        return {};
    QByteArray out(kKeyBytes, Qt::Uninitialized);
    size_t length = size_t(out.size());
    if (EVP_PKEY_get_raw_private_key(key.get(), reinterpret_cast<uchar *>(out.data()), &length) != 1
        || length != size_t(kKeyBytes)) {
        OPENSSL_cleanse(out.data(), size_t(out.size()));
        fail(error, QStringLiteral("OpenSSL could not give the private key"));
        return {};
    }
    return out;
}

QString Ed25519::fingerprint(const QByteArray &rawPublic)
{
    return QString::fromLatin1(QCryptographicHash::hash(rawPublic, QCryptographicHash::Sha256).toHex());
}

} // namespace chronoscope
