#include "projections/ProjectionSourceHighlighter.h"

namespace chronoscope::views {

namespace {

QTextCharFormat charFormat(const QColor &color, bool bold = false, bool italic = false)
{
    QTextCharFormat f;
    f.setForeground(color);
    if (bold)
        f.setFontWeight(QFont::Bold);
    f.setFontItalic(italic);
    return f;
}

} // namespace

ProjectionSourceHighlighter::ProjectionSourceHighlighter(QTextDocument *document) : QSyntaxHighlighter(document)
{
    // Mid-tone colours: legible on white and on a dark base.
    m_rules.append({QRegularExpression(QStringLiteral(
                        "\\b(var|let|const|function|return|if|else|for|while|new|this|throw|true|false|null|undefined|"
                        "typeof|in|of|break|continue|switch|case|default)\\b")),
                    charFormat(QColor(0x3b, 0x7d, 0xd8), true)});
    m_rules.append({QRegularExpression(QStringLiteral(
                        "\\b(fromAll|fromCategory|fromStream|fromStreams|fromStreamsMatching|when|foreachStream|"
                        "partitionBy|outputState|outputTo|transformBy|filterBy|emit|linkTo|linkStreamTo|"
                        "copyTo|options|\\$init|\\$initShared|\\$any|\\$deleted|\\$created)\\b")),
                    charFormat(QColor(0xa3, 0x5c, 0xc8), true)});
    m_rules.append({QRegularExpression(QStringLiteral("\\b\\d+(\\.\\d+)?\\b")), charFormat(QColor(0xc0, 0x7a, 0x1a))});
    m_rules.append({QRegularExpression(QStringLiteral("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'|`[^`]*`")),
                    charFormat(QColor(0x2e, 0x9a, 0x4f))});
    m_comment = charFormat(QColor(0x80, 0x80, 0x80), false, true);
}

void ProjectionSourceHighlighter::highlightBlock(const QString &text)
{
    for (const Rule &rule : m_rules) {
        for (auto it = rule.pattern.globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            setFormat(int(m.capturedStart()), int(m.capturedLength()), rule.format);
        }
    }
    // Block comments across lines, then line comments (outside strings, roughly: good enough to read).
    int start = previousBlockState() == 1 ? 0 : int(text.indexOf(QLatin1String("/*")));
    setCurrentBlockState(0);
    while (start >= 0) {
        const int end = int(
            text.indexOf(QLatin1String("*/"), start + (previousBlockState() == 1 && start == 0 ? 0 : 2)));
        if (end < 0) {
            setFormat(start, int(text.size()) - start, m_comment);
            setCurrentBlockState(1);
            break;
        }
        setFormat(start, end + 2 - start, m_comment);
        start = int(text.indexOf(QLatin1String("/*"), end + 2));
    }
    static const QRegularExpression line(QStringLiteral("(^|[^:\"'])//.*$"));
    const QRegularExpressionMatch m = line.match(text);
    if (m.hasMatch()) {
        const int at = int(m.capturedStart()) + int(m.captured(1).size());
        setFormat(at, int(text.size()) - at, m_comment);
    }
}

} // namespace chronoscope::views
