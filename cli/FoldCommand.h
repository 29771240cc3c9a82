#pragma once

#include "CliCommand.h"

namespace chronoscope::cli {

/// `chronoscope-cli fold`: a stream's (or `$all`'s) state at a revision, a time or its head, with a
/// reducer file or the merge reducer, as JSON; `--bisect` finds the first event after which a
/// predicate on the state holds (the window's TimelineQueries::bisect over a FoldEngine).
class FoldCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("fold"); }
    QString summary() const override;
    QString help() const override;
    int run(const QStringList &arguments, Output &out) override;
};

} // namespace chronoscope::cli
