#include "report/ArchiveSigning.h"

#include "report/Ed25519.h"

namespace chronoscope::archiveSigning {

archive::Signer signer(const QByteArray &privateKey)
{
    return [privateKey](const QByteArray &message, QString *error) -> std::optional<archive::SignatureValue> {
        archive::SignatureValue value;
        value.publicKey = Ed25519::publicKeyOf(privateKey, error);
        if (value.publicKey.isEmpty())
            return std::nullopt;
        value.value = Ed25519::sign(privateKey, message, error);
        if (value.value.isEmpty())
            return std::nullopt;
        return value;
    };
}

archive::SignatureCheck check()
{
    return [](const QByteArray &publicKey, const QByteArray &message, const QByteArray &signature) {
        return Ed25519::verify(publicKey, message, signature);
    };
}

} // namespace chronoscope::archiveSigning
