#include "CliSigningKey.h"

#include "report/Ed25519.h"

#include <QFile>
#include <QFileInfo>

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

} // namespace

CliSigningKey::~CliSigningKey()
{
    wipe(privateKey);
}

CliSigningKey CliSigningKey::load(const QString &spec)
{
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
