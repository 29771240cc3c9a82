#include "CliSigningKey.h"

#include "connection/KeychainCredentialStore.h"
#include "report/Ed25519.h"
#include "report/SigningKeyStore.h"

#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>

namespace chronoscope::cli {

namespace {

/// Overwrites `bytes` (a copy of a private key) before it is freed.
void wipe(QByteArray &bytes)
{
    volatile char *p = bytes.data();
    for (qsizetype i = 0; i < bytes.size(); ++i)
        p[i] = 0;
}

/// The window's report signing key from the keychain (the window's store, "Chronoscope"), waiting a
/// few seconds at most: a headless machine may have no keychain at all.
CliSigningKey fromKeychain()
{
    CliSigningKey key;
    KeychainCredentialStore store(QStringLiteral("Chronoscope"));
    SigningKeyStore keys(&store);
    QEventLoop loop;
    bool answered = false;
    keys.fetch([&](const QByteArray &privateKey, const QString &problem) {
        key.privateKey = privateKey;
        key.error = problem;
        answered = true;
        loop.quit();
    });
    if (!answered) {
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!answered)
        key.error = QStringLiteral("no answer from the keychain");
    else if (key.privateKey.isEmpty() && key.error.isEmpty())
        key.error = QStringLiteral("no report signing key in the keychain: the window's File > Generate Report "
                                   "Signing Key… makes one");
    if (!key.error.isEmpty())
        key.error = QStringLiteral("--sign keychain: %1").arg(key.error);
    return key;
}

} // namespace

CliSigningKey::~CliSigningKey()
{
    wipe(privateKey);
}

CliSigningKey CliSigningKey::load(const QString &spec)
{
    if (spec == QLatin1String(kKeychain))
        return fromKeychain();
    CliSigningKey key;
    QFile file;
    if (spec == QLatin1String("-")) {
        if (!file.open(stdin, QIODevice::ReadOnly)) {
            key.error = QStringLiteral("--sign -: cannot read stdin");
            return key;
        }
    } else {
        file.setFileName(spec);
        const QFileInfo info(spec);
        if (info.exists()
            && (info.permissions()
                & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup
                   | QFileDevice::WriteOther))) {
            key.refused = true;
            key.error =
                QStringLiteral("%1: a private key others may read or change is refused (chmod 600 %1)").arg(spec);
            return key;
        }
        if (!file.open(QIODevice::ReadOnly)) {
            key.error = QStringLiteral("--sign: cannot read %1: %2").arg(spec, file.errorString());
            return key;
        }
    }
    QByteArray pem = file.read(64 * 1024);
    QString problem;
    key.privateKey = Ed25519::privateKeyFromPem(pem, &problem);
    wipe(pem);
    if (key.privateKey.isEmpty())
        key.error =
            QStringLiteral("--sign %1: %2").arg(spec == QLatin1String("-") ? QStringLiteral("(stdin)") : spec, problem);
    return key;
}

} // namespace chronoscope::cli
