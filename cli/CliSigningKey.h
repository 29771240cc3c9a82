#pragma once

#include <QByteArray>
#include <QString>

namespace chronoscope::cli {

/// The private key `--sign <file>` names: a PEM Ed25519 private key (PKCS#8, `openssl genpkey
/// -algorithm ed25519`), the pair of the PEM public key `verify-report --key` and `archive verify
/// --key` take; `-` reads it from stdin (a CI secret piped in, never on disk); `keychain:` is the
/// window's report signing key (SigningKeyStore, in the keychain: the key its reports are signed
/// with). As ssh does with its keys, a file others may read is refused. The key is never printed.
struct CliSigningKey
{
    QByteArray privateKey; ///< raw 32 bytes; empty when not loaded
    QString error;
    bool refused = false; ///< the file is readable by others: exit 3, not 1

    static CliSigningKey load(const QString &spec);
    static constexpr const char *kKeychain = "keychain:";
    ~CliSigningKey();
};

} // namespace chronoscope::cli
