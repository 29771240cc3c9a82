#pragma once

#include <QString>

namespace chronoscope {

/// Finds where a field of a reducer file is in its text, to mark a load error on the right line.
/// Fields are written as ReducerFile::LoadError names them: `name`, `limits.timeLimitMs`,
/// `upcasters[0].function`. For a script field given as an array of lines, `scriptLine` (1-based)
/// picks the element; a script in one string is on its string's line.
class JsonFieldLocator
{
public:
    /// The 0-based text line of the field's value (or of the script line within it); -1 when the
    /// field is not in the text (or the text is too broken to tell).
    static int lineOf(const QString &json, const QString &field, int scriptLine = -1);
};

} // namespace chronoscope
