#include "script/ProjectionFeed.h"

namespace chronoscope::engine {

FeedRecord feedRecordOf(std::string_view stream, std::string_view type, const QStringList &namedStreams)
{
    const bool system = !stream.empty() && stream.front() == '$';
    if (system && !namedStreams.contains(QString::fromUtf8(stream.data(), qsizetype(stream.size()))))
        return FeedRecord::Skip;
    if (type == "$>")
        return system ? FeedRecord::ResolvedLink : FeedRecord::Skip;
    if (!type.empty() && type.front() == '$')
        return FeedRecord::Skip;
    return FeedRecord::Event;
}

} // namespace chronoscope::engine
