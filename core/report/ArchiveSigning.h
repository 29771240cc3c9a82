#pragma once

#include "archive/ArchiveFormat.h"

#include <QByteArray>

namespace chronoscope {

/// Archives signed and checked with Ed25519 (core/report/Ed25519.h), the report signing key's
/// algorithm: archive/ sits below report/, so it is handed these (docs/ARCHIVE-FORMAT.md, footer).
namespace archiveSigning {
/// Signs with a raw 32-byte private key (SigningKeyStore::fetch gives the user's).
archive::Signer signer(const QByteArray &privateKey);
/// Checks any Ed25519 signature; whose key it is the caller compares (signerFingerprint()).
archive::SignatureCheck check();
} // namespace archiveSigning

} // namespace chronoscope
