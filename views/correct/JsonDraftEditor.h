#pragma once

#include "correct/DraftValidation.h"

#include <QList>
#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace chronoscope {

namespace views {
class JsonHighlighter;
}

/// One JSON field of a draft (data or custom metadata): a highlighted editor and, under it, what
/// validation found there — each issue at its place: a syntax error's line is marked (and its
/// column underlined), a schema finding's line found by its JSON Pointer, an invariant by name.
/// Errors and warnings look different (colour and sign), so a warning never reads as a refusal.
class JsonDraftEditor : public QWidget
{
    Q_OBJECT
public:
    /// `minimumLines`: the editor never gets shorter (the composer scrolls instead).
    explicit JsonDraftEditor(const QString &objectName, int minimumLines = 3, QWidget *parent = nullptr);

    QPlainTextEdit *editor() const { return m_edit; }
    QLabel *issuesLabel() const { return m_issues; }
    QString text() const;
    /// Replaces the text without counting as an edit (edited() is not emitted).
    void setText(const QString &text);

    /// Shows these issues (all of this field); an empty list clears the marks.
    void setIssues(const QList<DraftIssue> &issues);
    const QList<DraftIssue> &issues() const { return m_shown; }
    /// The 0-based lines marked, in the order of the issues.
    QList<int> markedLines() const { return m_lines; }
    /// One line per issue as shown ("✖ line 3, column 14: …", "⚠ /channel: …").
    static QString describe(const DraftIssue &issue);

Q_SIGNALS:
    /// The user changed the text.
    void edited();

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();

    QPlainTextEdit *m_edit;
    views::JsonHighlighter *m_highlighter;
    QLabel *m_issues;
    QList<DraftIssue> m_shown;
    QList<int> m_lines;
    bool m_setting = false;
};

} // namespace chronoscope
