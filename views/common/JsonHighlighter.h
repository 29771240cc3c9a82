#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace chronoscope::views {

/// Colours JSON text: keys, strings, numbers, literals (true/false/null) and punctuation, with
/// colours chosen for the palette the document is shown in (light or dark).
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit JsonHighlighter(QTextDocument *document, bool darkPalette = false);
    void setDarkPalette(bool dark);

    QTextCharFormat keyFormat() const { return m_key; }
    QTextCharFormat stringFormat() const { return m_string; }
    QTextCharFormat numberFormat() const { return m_number; }
    QTextCharFormat literalFormat() const { return m_literal; }

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_key, m_string, m_number, m_literal, m_punctuation;
    QRegularExpression m_token;
};

} // namespace chronoscope::views
