#pragma once

#include <QStringList>

#include <string_view>

namespace chronoscope::engine {

/// What a projection does with one record of the log, as the server's reader feeds it
/// (docs/PROJECTIONS.md "Processing"): `$` streams are the server's own — fromAll() and fromCategory()
/// never see them — and events of `$` types (links, metadata) reach no handler; a `$` stream named in
/// fromStream(s) (`$ce-order`) is read with its links resolved. The sandbox's runner and the core's
/// ProjectionCompare both decide by this, so the local fold sees what the server's projection saw.
enum class FeedRecord {
    Skip,        ///< never reaches the projection
    Event,       ///< the record itself, if JsReducer::selects() it
    ResolvedLink ///< the link's target (with the link's metadata), if JsReducer::selects() it
};

/// `namedStreams`: JsReducer::sourceStreams().
FeedRecord feedRecordOf(std::string_view stream, std::string_view type, const QStringList &namedStreams);

} // namespace chronoscope::engine
