#pragma once

#include "model/Types.h"

#include <QUuid>

#include <string>

namespace chronoscope::sandbox {

/// One record of the global log, immutable once written.
struct StoredRecord
{
    std::string stream;
    quint64 revision = 0;
    quint64 position = 0; ///< commit == prepare: one record per event
    std::string type;
    bool isJson = true;
    qint64 createdTicks = 0;
    std::string data;
    std::string metadata;
    QUuid id;
    std::string idString; ///< canonical form, cached: reads send it for every event
};

} // namespace chronoscope::sandbox
