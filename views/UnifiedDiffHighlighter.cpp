#include "UnifiedDiffHighlighter.h"

namespace chronoscope {

void UnifiedDiffHighlighter::highlightBlock(const QString &text)
{
    if (text.isEmpty())
        return;
    QTextCharFormat f;
    switch (text.at(0).unicode()) {
    case '+': f.setBackground(m_colors.added); break;
    case '-': f.setBackground(m_colors.removed); break;
    case '@': f.setForeground(m_dim); f.setFontItalic(true); break;
    default: return;
    }
    setFormat(0, int(text.size()), f);
}

} // namespace chronoscope
