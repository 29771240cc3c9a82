#pragma once

#include "model/Types.h"
#include "payload/PayloadViewDecoder.h"

#include <QJsonObject>

namespace chronoscope {

/// The whole event as one JSON object, for "copy as JSON": identity, position, times, and the
/// payload and metadata as JSON when they are JSON, else as UTF-8 text, else base64
/// (`dataEncoding` / `metadataEncoding` say which).
class EventJson
{
public:
    static QJsonObject toJson(const RecordedEvent &event);
    static QByteArray toText(const RecordedEvent &event); ///< indented

    /// As toJson(event), with the data as `dataView` reads it (the decoder the inspector uses, chosen
    /// or automatic; `dataView` is the decoding of `event.data`):
    /// - decoded to JSON (JSON, protobuf, base64 of JSON): `data` is that JSON, `dataEncoding`
    ///   "json"; when the JSON is not the raw bytes themselves (protobuf, base64) `dataDecoder` names
    ///   the decoder, `dataDecoderNote` says what it found (e.g. the message type) and
    ///   `dataRawBase64` keeps the raw bytes;
    /// - decoded to text: `data` is the whole text (not the view's capped one), `dataEncoding`
    ///   "utf8"; `dataDecoder` and `dataRawBase64` as above when the text is not the raw bytes;
    /// - not decodable: `data` is the raw bytes in base64, `dataEncoding` "base64".
    static QJsonObject toJson(const RecordedEvent &event, const PayloadView &dataView);
    static QByteArray toText(const RecordedEvent &event, const PayloadView &dataView); ///< indented
};

} // namespace chronoscope
