#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace chronoscope {

/// Ed25519 signatures of examination reports (F10), checked offline: no server, only the report
/// and, optionally, the public key the signer handed out.
///
/// **What is signed.** The canonical form of a report: the report's JSON object without its
/// `"signature"` member, serialized by `QJsonDocument::toJson(QJsonDocument::Compact)` — UTF-8, no
/// whitespace, object keys in QJsonObject's (sorted) order, Qt's number and string escaping. The
/// object is read back from that text once before serializing, so a report signed in memory and
/// one parsed from its file give the same bytes. Any change to a value, a key or the set of
/// members changes the canonical form; whitespace and key order in the file do not.
///
/// **The signature member.**
/// ```
/// "signature": { "algorithm": "Ed25519",
///                "publicKey": "<raw 32-byte key, base64>",
///                "publicKeyFingerprint": "<SHA-256 of the raw key, lowercase hex>",
///                "value": "<64-byte signature, base64>",
///                "signs": "<how the canonical form is made, for a human reader>" }
/// ```
/// The public key travels with the report, so "valid" alone says the report is as its signer
/// wrote it; "signed by whom" is answered by comparing the fingerprint, or by verifying against
/// the signer's PEM public key (`expectedPublicKey`).
class ReportSignature
{
public:
    static constexpr const char *kMember = "signature";
    static constexpr const char *kAlgorithm = "Ed25519";

    /// The bytes the signature covers (see the class comment).
    static QByteArray canonicalBytes(const QJsonObject &report);

    /// `report` with a "signature" member made with the raw Ed25519 `privateKey` (any previous
    /// signature replaced). On failure the report is returned unsigned and `error` says why.
    static QJsonObject sign(const QJsonObject &report, const QByteArray &privateKey, QString *error = nullptr);

    enum class Status {
        Valid,     ///< the signature matches the content (and the expected key, when one is given)
        Unsigned,  ///< no "signature" member
        Invalid,   ///< well-formed, but the content is not what was signed: altered after signing
        WrongKey,  ///< valid, but made with another key than the expected one
        Malformed  ///< the signature member cannot be checked (missing fields, bad base64, sizes, algorithm)
    };
    struct Check
    {
        Status status = Status::Unsigned;
        QString fingerprint; ///< of the key in the report, when it is readable
        QString message;     ///< for the user
        bool valid() const { return status == Status::Valid; }
    };
    /// Checks the signature; with a non-empty raw `expectedPublicKey`, also that it is that key's.
    static Check verify(const QJsonObject &report, const QByteArray &expectedPublicKey = {});

    /// "3f2a 91c0 …": the first 16 hex digits of a fingerprint in groups, for messages.
    static QString shortFingerprint(const QString &fingerprint);
};

} // namespace chronoscope
