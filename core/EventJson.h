#pragma once

#include "Types.h"

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
};

} // namespace chronoscope
