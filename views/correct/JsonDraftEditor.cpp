#include "correct/JsonDraftEditor.h"

#include "common/DiffColors.h"
#include "common/JsonHighlighter.h"
#include "correct/JsonPointerLocator.h"

#include <QEvent>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QVBoxLayout>

namespace chronoscope {

namespace {

QColor errorColor(bool dark)
{
    return dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb7, 0x1c, 0x1c);
}

QColor warningColor(bool dark)
{
    return dark ? QColor(0xff, 0xd5, 0x4f) : QColor(0x8a, 0x5a, 0x00);
}

} // namespace

JsonDraftEditor::JsonDraftEditor(const QString &objectName, int minimumLines, QWidget *parent)
    : QWidget(parent), m_edit(new QPlainTextEdit(this)), m_issues(new QLabel(this))
{
    setObjectName(objectName);
    m_edit->setObjectName(objectName + QStringLiteral("Text"));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_edit->setTabChangesFocus(true);
    // Its height is what is left: in the composer's scroll area a preferred height would push the
    // buttons out of view (the minimum still holds).
    m_edit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);
    m_edit->setMinimumHeight(m_edit->fontMetrics().lineSpacing() * minimumLines + 2 * m_edit->frameWidth() + 8);
    m_highlighter = new views::JsonHighlighter(m_edit->document(), DiffColors::isDark(palette()));
    m_issues->setObjectName(objectName + QStringLiteral("Issues"));
    m_issues->setWordWrap(true);
    m_issues->setTextFormat(Qt::RichText);
    m_issues->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_issues->setVisible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_issues);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_setting)
            Q_EMIT edited();
    });
}

QString JsonDraftEditor::text() const
{
    return m_edit->toPlainText();
}

void JsonDraftEditor::setText(const QString &text)
{
    if (text == m_edit->toPlainText())
        return;
    m_setting = true;
    m_edit->setPlainText(text);
    m_setting = false;
}

QString JsonDraftEditor::describe(const DraftIssue &issue)
{
    QString where;
    switch (issue.stage) {
    case DraftIssue::Stage::Syntax:
        where = issue.line > 0 ? tr("line %1, column %2").arg(issue.line).arg(issue.column) : tr("syntax");
        break;
    case DraftIssue::Stage::Schema: where = issue.pointer.isEmpty() ? tr("(the whole document)") : issue.pointer; break;
    case DraftIssue::Stage::Invariant: where = tr("invariant “%1”").arg(issue.invariant); break;
    case DraftIssue::Stage::Size: where = tr("size"); break;
    case DraftIssue::Stage::Draft: break;
    }
    const QString sign = issue.isError() ? QStringLiteral("✖ ") : QStringLiteral("⚠ ");
    const QString suffix = issue.isError() ? QString() : tr(" (warning)");
    if (where.isEmpty())
        return sign + issue.message + suffix;
    return sign + where + QStringLiteral(": ") + issue.message + suffix;
}

void JsonDraftEditor::setIssues(const QList<DraftIssue> &issues)
{
    m_shown = issues;
    render();
}

void JsonDraftEditor::render()
{
    const bool dark = DiffColors::isDark(palette());
    const DiffColors tints = DiffColors::forPalette(palette());
    const QString text = m_edit->toPlainText();
    QList<QTextEdit::ExtraSelection> marks;
    QStringList lines;
    m_lines.clear();
    // Errors first: they are what stands in the way.
    QList<DraftIssue> ordered;
    for (const DraftIssue &i : m_shown)
        if (i.isError())
            ordered << i;
    for (const DraftIssue &i : m_shown)
        if (!i.isError())
            ordered << i;
    for (const DraftIssue &issue : ordered) {
        int line = -1;
        if (issue.stage == DraftIssue::Stage::Syntax && issue.line > 0)
            line = issue.line - 1;
        else if (issue.stage == DraftIssue::Stage::Schema)
            line = JsonPointerLocator::lineOf(text, issue.pointer);
        const QColor colour = issue.isError() ? errorColor(dark) : warningColor(dark);
        if (line >= 0) {
            m_lines << line;
            const QTextBlock block = m_edit->document()->findBlockByNumber(line);
            if (block.isValid()) {
                QTextEdit::ExtraSelection whole;
                whole.cursor = QTextCursor(block);
                whole.format.setBackground(issue.isError() ? tints.removed : tints.changed);
                whole.format.setProperty(QTextFormat::FullWidthSelection, true);
                marks << whole;
                if (issue.stage == DraftIssue::Stage::Syntax && issue.column > 0) {
                    QTextEdit::ExtraSelection at;
                    at.cursor = QTextCursor(block);
                    const int column = std::min(issue.column - 1, std::max(0, block.length() - 2));
                    at.cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, column);
                    at.cursor.movePosition(QTextCursor::Right, QTextCursor::KeepAnchor, 1);
                    at.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
                    at.format.setUnderlineColor(colour);
                    at.format.setFontWeight(QFont::Bold);
                    marks << at;
                }
            }
        }
        lines
            << QStringLiteral("<span style=\"color:%1\">%2</span>").arg(colour.name(), describe(issue).toHtmlEscaped());
    }
    m_edit->setExtraSelections(marks);
    m_issues->setText(lines.join(QStringLiteral("<br>")));
    m_issues->setVisible(!lines.isEmpty());
}

void JsonDraftEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        m_highlighter->setDarkPalette(DiffColors::isDark(palette()));
        render();
    }
    QWidget::changeEvent(event);
}

} // namespace chronoscope
