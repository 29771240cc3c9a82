#include "reducer/ReducerHighlighter.h"

namespace chronoscope {

ReducerHighlighter::ReducerHighlighter(QTextDocument *document, Language language, bool dark)
    : QSyntaxHighlighter(document), m_language(language),
      m_keywords(QStringLiteral("\\b(function|var|let|const|return|if|else|for|while|do|new|delete|typeof|"
                                "instanceof|in|of|this|true|false|null|undefined|break|continue|switch|case|"
                                "default|throw|try|catch|finally|fromAll|fromStream|fromStreams|fromCategory|when|"
                                "foreachStream|partitionBy|outputState|emit|linkTo)\\b")),
      m_numbers(QStringLiteral("\\b-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?\\b"))
{
    setDark(dark);
}

void ReducerHighlighter::setDark(bool dark)
{
    m_key.setForeground(dark ? QColor(0x9c, 0xdc, 0xfe) : QColor(0x00, 0x4f, 0x9e));
    m_string.setForeground(dark ? QColor(0xce, 0x91, 0x78) : QColor(0xa3, 0x15, 0x15));
    m_jsString.setForeground(dark ? QColor(0xd7, 0xba, 0x7d) : QColor(0x8a, 0x5a, 0x00));
    m_number.setForeground(dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x86, 0x58));
    m_literal.setForeground(dark ? QColor(0x56, 0x9c, 0xd6) : QColor(0x00, 0x00, 0xff));
    m_keyword.setForeground(dark ? QColor(0xc5, 0x86, 0xc0) : QColor(0x7a, 0x1f, 0xa2));
    m_keyword.setFontWeight(QFont::Bold);
    m_comment.setForeground(dark ? QColor(0x6a, 0x99, 0x55) : QColor(0x4b, 0x7a, 0x2e));
    m_comment.setFontItalic(true);
    rehighlight();
}

void ReducerHighlighter::highlightBlock(const QString &text)
{
    if (m_language == Language::JavaScript)
        highlightJavaScript(text, 0, int(text.size()));
    else
        highlightJson(text);
}

void ReducerHighlighter::highlightJavaScript(const QString &text, int from, int to)
{
    const QString part = text.mid(from, to - from);
    for (auto it = m_numbers.globalMatch(part); it.hasNext();) {
        const auto m = it.next();
        setFormat(from + int(m.capturedStart()), int(m.capturedLength()), m_number);
    }
    for (auto it = m_keywords.globalMatch(part); it.hasNext();) {
        const auto m = it.next();
        setFormat(from + int(m.capturedStart()), int(m.capturedLength()), m_keyword);
    }
    // Strings and line comments (a comment start inside a string does not count).
    QChar quote;
    int start = -1;
    for (int i = from; i < to; ++i) {
        const QChar c = text.at(i);
        if (!quote.isNull()) {
            if (c == QLatin1Char('\\')) {
                ++i;
            } else if (c == quote) {
                setFormat(start, i - start + 1, m_jsString);
                quote = QChar();
            }
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"') || c == QLatin1Char('`')) {
            quote = c;
            start = i;
        } else if (c == QLatin1Char('/') && i + 1 < to && text.at(i + 1) == QLatin1Char('/')) {
            setFormat(i, to - i, m_comment);
            return;
        }
    }
    if (!quote.isNull())
        setFormat(start, to - start, m_jsString);
}

void ReducerHighlighter::highlightJson(const QString &text)
{
    const int n = int(text.size());
    for (int i = 0; i < n; ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('"')) {
            int j = i + 1;
            for (; j < n && text.at(j) != QLatin1Char('"'); ++j)
                if (text.at(j) == QLatin1Char('\\'))
                    ++j;
            const int end = std::min(j, n - 1);
            int k = end + 1;
            while (k < n && text.at(k).isSpace())
                ++k;
            const bool isKey = k < n && text.at(k) == QLatin1Char(':');
            setFormat(i, end - i + 1, isKey ? m_key : m_string);
            if (!isKey) {
                // A string value may be a line of script (projection, upcasters, invariants): colour
                // the JavaScript in it. Escaped quotes inside stay part of the string.
                const QString inner = text.mid(i + 1, end - i - 1);
                static const QRegularExpression code(
                    QStringLiteral("\\b(function|return|var|let|const|if|fromAll|fromStream|fromCategory)\\b|=>|[{}()]"));
                if (code.match(inner).hasMatch())
                    highlightJavaScript(text, i + 1, end);
            }
            i = end;
        } else if (c.isDigit() || (c == QLatin1Char('-') && i + 1 < n && text.at(i + 1).isDigit())) {
            int j = i + 1;
            while (j < n && (text.at(j).isDigit() || text.at(j) == QLatin1Char('.') || text.at(j) == QLatin1Char('e')
                             || text.at(j) == QLatin1Char('E') || text.at(j) == QLatin1Char('+') || text.at(j) == QLatin1Char('-')))
                ++j;
            setFormat(i, j - i, m_number);
            i = j - 1;
        } else if (c.isLetter()) {
            int j = i;
            while (j < n && text.at(j).isLetter())
                ++j;
            const QString word = text.mid(i, j - i);
            if (word == QLatin1String("true") || word == QLatin1String("false") || word == QLatin1String("null"))
                setFormat(i, j - i, m_literal);
            i = j - 1;
        }
    }
}

} // namespace chronoscope
