#pragma once

#include "json/JsonDiff.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace chronoscope::engine {

struct UnifiedDiffOptions
{
    /// Unchanged lines kept around each change; a longer unchanged run becomes one
    /// "@@ N unchanged lines @@" line. < 0 keeps the whole document.
    int context = -1;
    /// When set, the text starts with "--- <beforeLabel>" and "+++ <afterLabel>" lines.
    QString beforeLabel;
    QString afterLabel;
};

/// A unified diff of the two documents pretty-printed (two-space indent, sorted keys), driven by the
/// structural diff rather than by a line diff: ' ' lines are in both documents, '-' lines only in the
/// before one, '+' lines only in the after one. Keeping the ' ' and '-' lines gives exactly the
/// pretty-printed before document, keeping ' ' and '+' the after one (a line whose trailing comma
/// differs appears as '-' then '+'). A moved array element appears as '-' at its old place and '+'
/// at its new one. With DiffOptions::reportMoves off, an array that was only reordered is unchanged
/// in the tree and is shown once, in its after order.
class UnifiedDiff
{
public:
    struct Line
    {
        char marker = ' '; ///< ' ', '-', '+', or '@' for a collapsed run
        QString text;
    };

    static QList<Line> lines(const DiffNode &tree, int context = -1);
    static QString render(const DiffNode &tree, const UnifiedDiffOptions &options = {});
    /// One side of the diff: the unchanged lines plus those marked `marker` ('-' gives the before
    /// document, '+' the after one, pretty-printed line by line).
    static QStringList side(const QList<Line> &lines, char marker);
};

} // namespace chronoscope::engine
