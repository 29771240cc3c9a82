#pragma once

#include "model/Reducer.h"

#include <QString>

#include <memory>
#include <optional>

namespace chronoscope::engine {
class ReducerFile;
}

namespace chronoscope::cli {

class Output;

/// The reducer a command folds with, made as the window's fold worker makes it: a reducer file
/// (`--reducer`, JavaScript or merge, with its upcasters and invariants) or, without one, the merge
/// reducer.
struct CliReducer
{
    std::unique_ptr<engine::Reducer> reducer;
    std::shared_ptr<const engine::ReducerFile> file; ///< its schemas, invariants and templates; null for merge
    QString name;       ///< "merge", or the reducer file's name
    QString arrayIdKey; ///< the file's, for diffs (empty for merge)

    /// None with `error` set (the file's problem, with its field and line). A file that does not
    /// apply to `stream` is used anyway, with a note on stderr (the window lets you, too); an empty
    /// `stream` skips that check (a caller with a stricter rule applies its own).
    static std::optional<CliReducer> load(const QString &path, const QString &stream, Output &out, QString *error);
};

} // namespace chronoscope::cli
