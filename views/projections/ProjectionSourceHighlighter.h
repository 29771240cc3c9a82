#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace chronoscope::views {

/// A light JavaScript highlighter for projection sources: keywords, the projection language's functions
/// (fromAll, when, foreachStream, emit, …), strings, numbers and comments. Colours read on light and dark
/// palettes alike.
class ProjectionSourceHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit ProjectionSourceHighlighter(QTextDocument *document);

protected:
    void highlightBlock(const QString &text) override;

private:
    struct Rule
    {
        QRegularExpression pattern;
        QTextCharFormat format;
    };
    QList<Rule> m_rules;
    QTextCharFormat m_comment;
};

} // namespace chronoscope::views
