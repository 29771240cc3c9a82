#include "CliReducer.h"

#include "CliOutput.h"
#include "fold/MergeReducer.h"
#include "script/ReducerFile.h"

namespace chronoscope::cli {

std::optional<CliReducer> CliReducer::load(const QString &path, const QString &stream, Output &out, QString *error)
{
    CliReducer r;
    const auto makeMerge = [] { return std::make_unique<engine::MergeReducer>(); };
    if (path.isEmpty()) {
        r.reducer = makeMerge();
        r.name = r.reducer->name();
        return r;
    }
    engine::ReducerFile::LoadError loadError;
    std::optional<engine::ReducerFile> file = engine::ReducerFile::load(path, &loadError);
    if (file)
        r.reducer = file->createReducer(&loadError, makeMerge);
    if (!r.reducer) {
        *error = QStringLiteral("--reducer: ") + loadError.toString();
        return std::nullopt;
    }
    if (!stream.isEmpty() && stream != QLatin1String("$all") && !file->appliesToStream(stream.toUtf8()))
        out.message(QStringLiteral("note: %1 is meant for %2, not %3; folding with it anyway")
                        .arg(file->name(), file->appliesTo().join(QStringLiteral(", ")), stream));
    r.name = file->name();
    r.arrayIdKey = file->arrayIdKey();
    r.file = std::make_shared<const engine::ReducerFile>(std::move(*file));
    return r;
}

} // namespace chronoscope::cli
