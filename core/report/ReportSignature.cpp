#include "report/ReportSignature.h"

#include "report/Ed25519.h"

#include <QJsonDocument>

#include <optional>

namespace chronoscope {

namespace {

const QString kSigns = QStringLiteral(
    "the report without its \"signature\" member, as compact JSON with sorted keys (QJsonDocument::Compact)");

QString member() { return QString::fromLatin1(ReportSignature::kMember); }

/// Strict base64: nullopt for anything else.
std::optional<QByteArray> fromBase64(const QJsonValue &v)
{
    if (!v.isString())
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(v.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return *decoded;
}

} // namespace

QByteArray ReportSignature::canonicalBytes(const QJsonObject &report)
{
    QJsonObject content = report;
    content.remove(member());
    // Once through the parser: numbers and strings then are what any reader of the file gets.
    const QByteArray once = QJsonDocument(content).toJson(QJsonDocument::Compact);
    return QJsonDocument::fromJson(once).toJson(QJsonDocument::Compact);
}

QJsonObject ReportSignature::sign(const QJsonObject &report, const QByteArray &privateKey, QString *error)
{
    QJsonObject unsignedReport = report;
    unsignedReport.remove(member());
    const QByteArray publicKey = Ed25519::publicKeyOf(privateKey, error);
    if (publicKey.isEmpty())
        return unsignedReport;
    const QByteArray signature = Ed25519::sign(privateKey, canonicalBytes(unsignedReport), error);
    if (signature.isEmpty())
        return unsignedReport;
    QJsonObject out = unsignedReport;
    out.insert(member(), QJsonObject{
                             {QStringLiteral("algorithm"), QString::fromLatin1(kAlgorithm)},
                             {QStringLiteral("publicKey"), QString::fromLatin1(publicKey.toBase64())},
                             {QStringLiteral("publicKeyFingerprint"), Ed25519::fingerprint(publicKey)},
                             {QStringLiteral("value"), QString::fromLatin1(signature.toBase64())},
                             {QStringLiteral("signs"), kSigns},
                         });
    return out;
}

ReportSignature::Check ReportSignature::verify(const QJsonObject &report, const QByteArray &expectedPublicKey)
{
    Check c;
    if (!report.contains(member())) {
        c.status = Status::Unsigned;
        c.message = QStringLiteral("the report is not signed");
        return c;
    }
    auto malformed = [&c](const QString &why) {
        c.status = Status::Malformed;
        c.message = QStringLiteral("the report's signature cannot be checked: %1").arg(why);
        return c;
    };
    const QJsonValue sigValue = report.value(member());
    if (!sigValue.isObject())
        return malformed(QStringLiteral("\"signature\" is not an object"));
    const QJsonObject sig = sigValue.toObject();
    const QString algorithm = sig.value(QStringLiteral("algorithm")).toString();
    if (algorithm != QLatin1String(kAlgorithm))
        return malformed(algorithm.isEmpty() ? QStringLiteral("no \"algorithm\"")
                                             : QStringLiteral("algorithm \"%1\" is not Ed25519").arg(algorithm));
    const std::optional<QByteArray> publicKey = fromBase64(sig.value(QStringLiteral("publicKey")));
    if (!publicKey || publicKey->size() != Ed25519::kKeyBytes)
        return malformed(QStringLiteral("\"publicKey\" is not 32 bytes of base64"));
    c.fingerprint = Ed25519::fingerprint(*publicKey);
    const QJsonValue statedFingerprint = sig.value(QStringLiteral("publicKeyFingerprint"));
    if (!statedFingerprint.isUndefined() && statedFingerprint.toString() != c.fingerprint)
        return malformed(QStringLiteral("\"publicKeyFingerprint\" is not the SHA-256 of \"publicKey\""));
    const std::optional<QByteArray> signature = fromBase64(sig.value(QStringLiteral("value")));
    if (!signature || signature->size() != Ed25519::kSignatureBytes)
        return malformed(QStringLiteral("\"value\" is not 64 bytes of base64"));

    if (!Ed25519::verify(*publicKey, canonicalBytes(report), *signature)) {
        c.status = Status::Invalid;
        c.message = QStringLiteral("the signature does not match: the report was altered after it was signed");
        return c;
    }
    if (!expectedPublicKey.isEmpty() && expectedPublicKey != *publicKey) {
        c.status = Status::WrongKey;
        c.message = QStringLiteral("the signature is valid but made with another key (%1), not the expected one (%2)")
                        .arg(shortFingerprint(c.fingerprint), shortFingerprint(Ed25519::fingerprint(expectedPublicKey)));
        return c;
    }
    c.status = Status::Valid;
    c.message = expectedPublicKey.isEmpty()
        ? QStringLiteral("signature valid (key %1)").arg(shortFingerprint(c.fingerprint))
        : QStringLiteral("signature valid, made with the expected key (%1)").arg(shortFingerprint(c.fingerprint));
    return c;
}

QString ReportSignature::shortFingerprint(const QString &fingerprint)
{
    QString out;
    for (qsizetype i = 0; i < std::min<qsizetype>(fingerprint.size(), 16); i += 4)
        out += (out.isEmpty() ? QString() : QStringLiteral(" ")) + fingerprint.mid(i, 4);
    return out;
}

} // namespace chronoscope
