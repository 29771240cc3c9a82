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

/// Records no read of `$all` shows (KurrentDB `EventFilter.DefaultAllFilterStrategy`, applied by every `$all`
/// read, subscription and persistent subscription): `$epoch-information`, and the checkpoints and parked
/// messages of persistent subscriptions to `$all` (`$persistentsubscription-$all::…-checkpoint` / `-parked`).
inline bool hiddenFromAll(const StoredRecord &r)
{
    const std::string &s = r.stream;
    if (s.size() < 2 || s[0] != '$')
        return false;
    if (s == "$epoch-information")
        return true;
    static const std::string prefix = "$persistentsubscription-$all::";
    const auto endsWith = [&s](const char *suffix, size_t n) {
        return s.size() >= prefix.size() + n && s.compare(s.size() - n, n, suffix) == 0;
    };
    return s.compare(0, prefix.size(), prefix) == 0 && (endsWith("-checkpoint", 11) || endsWith("-parked", 7));
}

} // namespace chronoscope::sandbox
