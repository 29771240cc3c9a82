#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace chronoscope {

/// Syntax colours for reducer files: JSON (keys, strings, numbers, literals) with the JavaScript
/// embedded in string values (keywords, numbers, comments), or plain JavaScript for a projection
/// file. Colours come from the palette's lightness so both palettes read well.
class ReducerHighlighter : public QSyntaxHighlighter
{
public:
    enum class Language { Json, JavaScript };
    ReducerHighlighter(QTextDocument *document, Language language, bool dark);
    void setDark(bool dark);

protected:
    void highlightBlock(const QString &text) override;

private:
    void highlightJavaScript(const QString &text, int from, int to);
    void highlightJson(const QString &text);

    Language m_language;
    QTextCharFormat m_key, m_string, m_number, m_literal, m_keyword, m_comment, m_jsString;
    QRegularExpression m_keywords, m_numbers;
};

} // namespace chronoscope
