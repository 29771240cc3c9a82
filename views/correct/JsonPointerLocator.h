#pragma once

#include <QString>

namespace chronoscope {

/// Finds the line of a JSON Pointer's value in a JSON text, to mark a schema finding at its field.
class JsonPointerLocator
{
public:
    /// The 0-based line where the value at `pointer` ("/total/amount", "" = the document) starts; for
    /// a member the line of its key. The nearest existing ancestor's line when the value is missing
    /// (a required member: the object that lacks it); -1 when the text is too broken to tell.
    static int lineOf(const QString &json, const QString &pointer);
};

} // namespace chronoscope
