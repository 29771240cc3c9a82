#pragma once

#include "model/Reducer.h"

#include <QString>

#include <memory>
#include <optional>

namespace chronoscope::cli {

class Output;

/// The reducer a command folds with, made as the window's fold worker makes it: a reducer file
/// (`--reducer`, JavaScript or merge, with its upcasters and invariants) or, without one, the merge
/// reducer.
struct CliReducer
{
    std::unique_ptr<engine::Reducer> reducer;
    QString name;       ///< "merge", or the reducer file's name
    QString arrayIdKey; ///< the file's, for diffs (empty for merge)

    /// None with `error` set (the file's problem, with its field and line). A file that does not
    /// apply to `stream` is used anyway, with a note on stderr (the window lets you, too).
    static std::optional<CliReducer> load(const QString &path, const QString &stream, Output &out, QString *error);
};

} // namespace chronoscope::cli
