#pragma once

#include "json/JsonDiff.h"

#include <QString>

namespace chronoscope::engine {

struct DiffTextOptions
{
    /// Values longer than this (in characters of compact JSON) are cut and end with "…"; < 0: never.
    qsizetype maxValueChars = 80;
};

/// The stable one-line-per-change rendering used by tests and the CLI, in DiffResult::entries order
/// (sorted by path), each line ending in '\n':
///   `+ /items/2: {"id":7}`            added (path in the after document)
///   `- /coupon: "X"`                   removed (path in the before document)
///   `~ /status: "placed" -> "paid"`    changed (value or type)
///   `> /items/0: moved from /items/2`  an id-paired element whose relative order changed
/// Values are compact JSON with sorted keys. The root is written "(root)". Control characters in
/// keys are written as \uXXXX so that a change stays on one line.
class DiffText
{
public:
    static QString render(const QList<DiffEntry> &entries, const DiffTextOptions &options = {});
    static QString line(const DiffEntry &entry, const DiffTextOptions &options = {});
    static QString pathText(const JsonPath &path);
};

} // namespace chronoscope::engine
