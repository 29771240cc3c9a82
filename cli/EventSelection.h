#pragma once

#include "CliTimeline.h"

#include <QJsonObject>
#include <QSet>
#include <QStringList>

#include <optional>

namespace chronoscope::cli {

class CommandLine;

/// Which events of a read a command takes (export, archive create): a range, inclusive at both
/// ends, of revisions (a stream's) or times, some types, and in `$all` some stream name prefixes.
/// The read stops at the first event past `--to`.
struct EventSelection
{
    std::optional<TimelinePoint> from; ///< @N: from revision N; a time: from the first event created at or after it
    std::optional<TimelinePoint> to;   ///< @N: up to revision N; a time: the prefix created at or before it
    QSet<QByteArray> types;            ///< empty: every type
    QList<QByteArray> streamPrefixes;  ///< empty: every stream
    bool started = false;

    /// Adds --from, --to, --type and --stream-prefix to `line`.
    static void addOptions(CommandLine &line);
    /// Reads them; none with `error` set for a bad point, an empty list or --from after --to.
    static std::optional<EventSelection> parse(const CommandLine &line, QString *error);
    /// An error when the selection does not fit the input (revisions or stream prefixes on the wrong
    /// kind of timeline); empty when it does.
    QString checkFor(bool isAll) const;

    enum class Verdict { Skip, Take, Stop };
    Verdict judge(const RecordedEvent &e);

    bool isEverything() const { return !from && !to && types.isEmpty() && streamPrefixes.isEmpty(); }
    /// "revisions @3–@9, types A,B" / "every event", for an archive's provenance.
    QString describe() const;
    /// {from, to, types, streamPrefixes}, the keys given only.
    QJsonObject toJson() const;
};

} // namespace chronoscope::cli
