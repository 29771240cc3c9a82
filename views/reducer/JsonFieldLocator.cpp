#include "reducer/JsonFieldLocator.h"

namespace chronoscope {

namespace {

/// A tolerant scan of JSON text that tracks each value's path and line.
class Scanner
{
public:
    Scanner(const QString &text, const QString &target, int scriptLine)
        : m_text(text), m_target(target), m_scriptLine(scriptLine) {}

    int run()
    {
        value(QString(), 0);
        return m_found;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek() const { return atEnd() ? QChar() : m_text.at(m_pos); }
    void skipSpace()
    {
        while (!atEnd() && peek().isSpace()) {
            if (peek() == QLatin1Char('\n'))
                ++m_line;
            ++m_pos;
        }
    }
    QString string()
    {
        QString out;
        ++m_pos; // the opening quote
        while (!atEnd() && peek() != QLatin1Char('"')) {
            if (peek() == QLatin1Char('\\'))
                ++m_pos;
            else
                out.append(peek());
            if (peek() == QLatin1Char('\n'))
                ++m_line; // not valid JSON, but keep counting
            ++m_pos;
        }
        ++m_pos;
        return out;
    }
    void value(const QString &path, int depth)
    {
        skipSpace();
        if (atEnd() || depth > 200 || m_found >= 0)
            return;
        if (path == m_target && m_scriptLine <= 0)
            m_found = m_line;
        if (path == m_target && m_scriptLine > 0 && peek() != QLatin1Char('['))
            m_found = m_line;
        const QChar c = peek();
        if (c == QLatin1Char('{')) {
            ++m_pos;
            for (;;) {
                skipSpace();
                if (atEnd() || peek() == QLatin1Char('}'))
                    break;
                if (peek() != QLatin1Char('"'))
                    return; // broken: give up
                const QString key = string();
                skipSpace();
                if (peek() != QLatin1Char(':'))
                    return;
                ++m_pos;
                value(path.isEmpty() ? key : path + QLatin1Char('.') + key, depth + 1);
                if (m_found >= 0)
                    return;
                skipSpace();
                if (peek() == QLatin1Char(','))
                    ++m_pos;
                else if (peek() != QLatin1Char('}'))
                    return;
            }
            ++m_pos;
        } else if (c == QLatin1Char('[')) {
            ++m_pos;
            for (int i = 0;; ++i) {
                skipSpace();
                if (atEnd() || peek() == QLatin1Char(']'))
                    break;
                if (path == m_target && m_scriptLine > 0 && i == m_scriptLine - 1) {
                    m_found = m_line;
                    return;
                }
                value(path + QLatin1Char('[') + QString::number(i) + QLatin1Char(']'), depth + 1);
                if (m_found >= 0)
                    return;
                skipSpace();
                if (peek() == QLatin1Char(','))
                    ++m_pos;
                else if (peek() != QLatin1Char(']'))
                    return;
            }
            ++m_pos;
            if (path == m_target && m_found < 0)
                m_found = m_line; // fewer lines than asked: the array's end
        } else if (c == QLatin1Char('"')) {
            string();
        } else {
            while (!atEnd() && !peek().isSpace() && peek() != QLatin1Char(',') && peek() != QLatin1Char('}')
                   && peek() != QLatin1Char(']'))
                ++m_pos;
        }
    }

    const QString &m_text;
    const QString m_target;
    const int m_scriptLine;
    qsizetype m_pos = 0;
    int m_line = 0;
    int m_found = -1;
};

} // namespace

int JsonFieldLocator::lineOf(const QString &json, const QString &field, int scriptLine)
{
    if (field.isEmpty())
        return -1;
    return Scanner(json, field, scriptLine).run();
}

} // namespace chronoscope
