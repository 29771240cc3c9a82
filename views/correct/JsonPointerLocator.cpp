#include "correct/JsonPointerLocator.h"

#include <QStringList>

namespace chronoscope {

namespace {

/// A forgiving walk over the text: it follows the pointer's tokens down and remembers the line of
/// the deepest one it reached.
class Walker
{
public:
    Walker(const QString &text, QStringList tokens) : m_text(text), m_tokens(std::move(tokens)) {}

    int run()
    {
        skipSpace();
        value(0, true); // a broken text still tells how far the pointer got
        return m_found;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek() const { return atEnd() ? QChar() : m_text.at(m_pos); }
    void advance()
    {
        if (m_text.at(m_pos) == QLatin1Char('\n'))
            ++m_line;
        ++m_pos;
    }
    void skipSpace()
    {
        while (!atEnd() && peek().isSpace())
            advance();
    }
    bool string(QString *out)
    {
        if (peek() != QLatin1Char('"'))
            return false;
        advance();
        while (!atEnd() && peek() != QLatin1Char('"')) {
            if (peek() == QLatin1Char('\\')) {
                advance();
                if (atEnd())
                    return false;
                const QChar c = peek();
                if (out)
                    *out += c == QLatin1Char('n') ? QChar(u'\n') : c == QLatin1Char('t') ? QChar(u'\t') : c;
                advance();
                continue;
            }
            if (out)
                *out += peek();
            advance();
        }
        if (atEnd())
            return false;
        advance();
        return true;
    }
    /// `depth`: how many tokens are matched so far; `onPath`: this value is the pointer's prefix.
    bool value(int depth, bool onPath)
    {
        if (onPath && depth == 0)
            m_found = m_line; // members and elements set it where their key or value starts
        const bool descend = onPath && depth < m_tokens.size();
        const QChar c = peek();
        if (c == QLatin1Char('{')) {
            advance();
            skipSpace();
            if (peek() == QLatin1Char('}')) {
                advance();
                return true;
            }
            for (;;) {
                skipSpace();
                const int keyLine = m_line;
                QString key;
                if (!string(&key))
                    return false;
                skipSpace();
                if (peek() != QLatin1Char(':'))
                    return false;
                advance();
                skipSpace();
                const bool match = descend && key == m_tokens.at(depth);
                if (match)
                    m_found = keyLine;
                if (!value(depth + 1, match))
                    return false;
                if (match)
                    return true; // found what could be found below
                skipSpace();
                if (peek() == QLatin1Char(',')) {
                    advance();
                    continue;
                }
                if (peek() == QLatin1Char('}')) {
                    advance();
                    return true;
                }
                return false;
            }
        }
        if (c == QLatin1Char('[')) {
            advance();
            skipSpace();
            if (peek() == QLatin1Char(']')) {
                advance();
                return true;
            }
            for (int index = 0;; ++index) {
                skipSpace();
                const bool match = descend && m_tokens.at(depth) == QString::number(index);
                if (match)
                    m_found = m_line;
                if (!value(depth + 1, match))
                    return false;
                if (match)
                    return true;
                skipSpace();
                if (peek() == QLatin1Char(',')) {
                    advance();
                    continue;
                }
                if (peek() == QLatin1Char(']')) {
                    advance();
                    return true;
                }
                return false;
            }
        }
        if (c == QLatin1Char('"'))
            return string(nullptr);
        // A number or a literal: up to the next delimiter.
        const qsizetype start = m_pos;
        while (!atEnd() && !peek().isSpace() && peek() != QLatin1Char(',') && peek() != QLatin1Char('}')
               && peek() != QLatin1Char(']'))
            advance();
        return m_pos > start;
    }

    const QString &m_text;
    QStringList m_tokens;
    qsizetype m_pos = 0;
    int m_line = 0;
    int m_found = -1;
};

} // namespace

int JsonPointerLocator::lineOf(const QString &json, const QString &pointer)
{
    QStringList tokens;
    if (!pointer.isEmpty()) {
        if (!pointer.startsWith(QLatin1Char('/')))
            return -1;
        tokens = pointer.mid(1).split(QLatin1Char('/'));
        for (QString &t : tokens)
            t.replace(QLatin1String("~1"), QLatin1String("/")).replace(QLatin1String("~0"), QLatin1String("~"));
    }
    return Walker(json, tokens).run();
}

} // namespace chronoscope
