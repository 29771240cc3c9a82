#pragma once

#include <QByteArray>
#include <QString>

namespace chronoscope {

/// Pretty-prints JSON text as written: members keep their order and numbers their spelling
/// (QJsonDocument sorts keys and reformats numbers, which is not what the payload said).
/// Expects valid JSON (check first, e.g. with PayloadDecoder); on anything else it still ends,
/// linear in the input, and never reads past it.
class JsonReindent
{
public:
    /// `indent` spaces per level; output stops after about `maxBytes` bytes, then a line says how
    /// much was left out.
    static QString pretty(const QByteArray &json, int indent = 4, qsizetype maxBytes = 2 << 20);
};

} // namespace chronoscope
