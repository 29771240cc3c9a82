#pragma once

#include "model/Types.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace chronoscope::engine {

/// What became of an event payload.
struct DecodedPayload
{
    enum class Kind {
        Json,    ///< `json` holds the document (any top-level value, scalars included)
        Binary,  ///< not declared as JSON: shown as bytes (see PayloadDecoder::hexPreview)
        Invalid  ///< declared as JSON but unusable: `message` and `offset` say why and where
    };
    enum class Problem {
        None,
        Empty,        ///< zero bytes, or only whitespace
        TooLarge,     ///< over DecodeOptions::maxBytes
        InvalidUtf8,  ///< offset = first bad byte
        Truncated,    ///< the text ends before the document does
        Syntax,       ///< any other JSON syntax error, offset where the parser stopped
        TooDeep,      ///< nested deeper than QJsonDocument's 1024 levels
        DuplicateKey  ///< only with DecodeOptions::rejectDuplicateKeys
    };

    Kind kind = Kind::Invalid;
    Problem problem = Problem::None;
    QJsonValue json{QJsonValue::Undefined}; ///< Undefined unless kind == Json
    qsizetype byteCount = 0;
    qsizetype offset = -1;     ///< byte offset of the problem in the payload, -1 when none
    QString message;           ///< Invalid: the problem in words; Binary: what it is and its size
    QStringList warnings;      ///< Json: accepted but worth saying (duplicate keys)

    bool isJson() const { return kind == Kind::Json; }
};

struct DecodeOptions
{
    /// Payloads larger than this are not parsed (Problem::TooLarge). 16 MB parses in well under a second.
    qsizetype maxBytes = qsizetype(64) * 1024 * 1024;
    /// Duplicate keys: by default the document is accepted, the last value kept (what QJsonDocument
    /// does) and a warning added per repeat; with this set the payload is Invalid instead.
    bool rejectDuplicateKeys = false;
    /// At most this many duplicate-key warnings are listed; one more line gives the remaining count.
    int maxWarnings = 20;
};

/// Turns payload bytes into JSON, or a clear reason why not. Numbers: an integer written without
/// fraction or exponent that fits in 64 bits stays exact (QJsonValue keeps it as qint64); anything
/// else (a fraction, an exponent, beyond 64 bits) is a double, so 9007199254740993.0 reads as
/// 2^53 (Qt's parser, not ours: documented, and tested in tst_jsondiff). Never throws, never recurses on input
/// depth (Qt's parser stops at 1024 levels), linear in the payload size.
class PayloadDecoder
{
public:
    static DecodedPayload decode(const RecordedEvent &event, const DecodeOptions &options = {});
    static DecodedPayload decode(const QByteArray &data, const QByteArray &contentType,
                                 const DecodeOptions &options = {});
    /// Decodes as JSON whatever the content type says.
    static DecodedPayload decodeJson(const QByteArray &data, const DecodeOptions &options = {});

    /// application/json (parameters allowed), text/json and any `+json` media type.
    static bool isJsonContentType(const QByteArray &contentType);

    /// Offset of the first byte that is not valid UTF-8 (overlong forms, surrogates and code
    /// points above U+10FFFF included), or -1.
    static qsizetype invalidUtf8Offset(const QByteArray &data);

    /// Classic hex dump for the GUI: "00000010  7b 22 61 22 …  |{"a"…|", 16 bytes a line, at most
    /// maxBytes shown, then a line saying how many bytes were left out.
    static QString hexPreview(const QByteArray &data, qsizetype maxBytes = 256);
};

/// Shorthand for PayloadDecoder::decode(event).
inline DecodedPayload decodePayload(const RecordedEvent &event, const DecodeOptions &options = {})
{
    return PayloadDecoder::decode(event, options);
}

} // namespace chronoscope::engine
