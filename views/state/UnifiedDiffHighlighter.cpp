#include "state/UnifiedDiffHighlighter.h"

namespace chronoscope {

void UnifiedDiffHighlighter::highlightBlock(const QString &text)
{
    if (text.isEmpty())
        return;
    QTextCharFormat f;
    if (text.startsWith(QLatin1String("--- ")) || text.startsWith(QLatin1String("+++ "))) {
        // The labels of the two sides, not changed lines.
        f.setFontWeight(QFont::Bold);
        setFormat(0, int(text.size()), f);
        return;
    }
    switch (text.at(0).unicode()) {
    case '+': f.setBackground(m_colors.added); break;
    case '-': f.setBackground(m_colors.removed); break;
    case '@': f.setForeground(m_dim); f.setFontItalic(true); break;
    default: return;
    }
    setFormat(0, int(text.size()), f);
}

} // namespace chronoscope
