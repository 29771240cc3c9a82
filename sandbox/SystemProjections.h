#pragma once

#include "StoredRecord.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace chronoscope::sandbox {

/// What the real server's five standard projections write for one event of the log, as its
/// handlers do (protocol sheet §12; KurrentDB `Projections/Standard`):
///   `$streams`             `$>` "0@<stream>" in `$streams` for every stream's event 0
///   `$by_category`         `$>` "<rev>@<stream>" in `$ce-<category>` (category = name before the first '-')
///   `$by_event_type`       `$>` "<rev>@<stream>" in `$et-<type>` (`$et-$deleted` for a tombstone)
///   `$by_correlation_id`   `$>` in `$bc-<id>` for events whose JSON metadata has a string `$correlationId`
///   `$stream_by_category`  `$@` "<stream>" in `$category-<category>` for every stream's event 0
/// Link metadata has the server's bookkeeping shape: `$v` (projection version), `$c`/`$p` (the
/// source position), the handler's extras (`$o` origin stream, `$eventTimestamp`, `$deleted`),
/// `$causedBy` (source event id) and `$correlationId` when the source has one.
/// Records of `$`-streams (metadata, links, other projections' output) are not indexed.
class SystemProjections
{
public:
    static constexpr int kCount = 5;

    struct Emission
    {
        std::string stream;
        std::string type;
        std::string data;
        std::string metadata;
    };

    static const char *name(int id);
    /// The projection's id, or -1 for an unknown name.
    static int find(const std::string &name);

    /// Appends what projection `id` writes for `r` to `out`; false when the projections do not
    /// look at `r` at all (a record of a `$`-stream).
    static bool process(int id, const StoredRecord &r, std::vector<Emission> &out);

    /// For a record a projection wrote: which one, and the position of the event it indexes
    /// (how a reloaded log restores the projections' checkpoints).
    static std::optional<std::pair<int, quint64>> emittedBy(const StoredRecord &r);
};

} // namespace chronoscope::sandbox
