#pragma once

#include <QSyntaxHighlighter>

#include "common/DiffColors.h"

namespace chronoscope {

/// Colours the lines of a unified diff by their first character: '-' removed, '+' added,
/// '@' a collapsed run of unchanged lines.
class UnifiedDiffHighlighter : public QSyntaxHighlighter
{
public:
    explicit UnifiedDiffHighlighter(QTextDocument *document) : QSyntaxHighlighter(document) {}
    void setColors(const DiffColors &colors, const QColor &dim)
    {
        m_colors = colors;
        m_dim = dim;
        rehighlight();
    }

protected:
    void highlightBlock(const QString &text) override;

private:
    DiffColors m_colors;
    QColor m_dim;
};

} // namespace chronoscope
