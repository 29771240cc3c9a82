#include "reducer/ReducerEditor.h"

#include "common/DiffColors.h"
#include "fold/FoldController.h"
#include "reducer/JsonFieldLocator.h"
#include "reducer/ReducerHighlighter.h"
#include "session/TimelineSession.h"

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTabWidget>
#include <QTextBlock>
#include <QCryptographicHash>
#include <QDateTime>
#include <QStandardPaths>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace chronoscope {

ReducerEditor::ReducerEditor(FoldController *controller, QWidget *parent)
    : QWidget(parent), m_controller(controller)
{
    setObjectName(QStringLiteral("reducerEditor"));
    m_toolBar = new QToolBar(this);
    m_toolBar->setObjectName(QStringLiteral("reducerToolBar"));
    m_toolBar->setIconSize(QSize(16, 16));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    QAction *open = m_toolBar->addAction(tr("Open…"), this, &ReducerEditor::openDialog);
    open->setToolTip(tr("Open a reducer file (*.reducer.json)"));
    QAction *saveAction = m_toolBar->addAction(tr("Save"), this, [this] { save(); });
    saveAction->setObjectName(QStringLiteral("reducerSave"));
    saveAction->setShortcut(QKeySequence::Save);
    saveAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    saveAction->setToolTip(tr("Save and fold again with this file (Ctrl+S)"));
    addAction(saveAction);
    m_toolBar->addAction(tr("Revert"), this, &ReducerEditor::revert)
        ->setToolTip(tr("Reload the file from disk, dropping unsaved edits"));
    m_toolBar->addSeparator();
    m_toolBar->addWidget(new QLabel(tr(" Reducer: "), this));
    m_choice = new QComboBox(this);
    m_choice->setObjectName(QStringLiteral("reducerChoice"));
    m_choice->addItem(tr("Merge (built-in)"));
    m_choice->addItem(tr("This file"));
    m_choice->setToolTip(tr("Fold with the built-in merge reducer (no configuration) or with the reducer file"));
    m_toolBar->addWidget(m_choice);
    connect(m_choice, qOverload<int>(&QComboBox::activated), this, &ReducerEditor::choiceChanged);

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_json = makeEditor(QStringLiteral("reducerJson"));
    m_script = makeEditor(QStringLiteral("reducerScript"));
    const bool dark = DiffColors::isDark(palette());
    m_jsonHighlighter = new ReducerHighlighter(m_json->document(), ReducerHighlighter::Language::Json, dark);
    m_scriptHighlighter = new ReducerHighlighter(m_script->document(), ReducerHighlighter::Language::JavaScript, dark);
    m_tabs->addTab(m_json, tr("reducer"));
    m_json->setPlaceholderText(tr("Open a reducer file (*.reducer.json) to fold with your own projection, upcasters "
                                  "and invariants. Without one, the built-in merge reducer folds every event's data."));

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("reducerStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("reducerError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: white; background: #b3261e; padding: 4px; border-radius: 3px; }"));
    m_error->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_toolBar);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_status);

    connect(controller, &FoldController::reducerFailed, this, &ReducerEditor::showLoadError);
    connect(controller, &FoldController::reducerChanged, this, [this](const QString &name) {
        clearError();
        m_status->setText(tr("Folding with: %1").arg(name) + appliesToNote());
        m_choice->setCurrentIndex(m_controller->reducer().merge ? 0 : 1);
    });
    m_status->setText(tr("Folding with: %1").arg(controller->reducerName()));
    m_draftTimer = new QTimer(this);
    m_draftTimer->setSingleShot(true);
    m_draftTimer->setInterval(1500);
    connect(m_draftTimer, &QTimer::timeout, this, &ReducerEditor::writeDraft);
    for (QPlainTextEdit *e : {m_json, m_script})
        connect(e, &QPlainTextEdit::textChanged, this, [this] {
            if (isModified())
                m_draftTimer->start();
        });
    updateTitles();
}

QString ReducerEditor::appliesToNote() const
{
    // A file meant for other streams folds this one to (nearly) its initial state: say why.
    TimelineSession *session = m_controller->session();
    if (m_controller->reducer().merge || !session || session->stream().isEmpty())
        return {};
    const QJsonValue applies = QJsonDocument::fromJson(m_json->toPlainText().toUtf8()).object().value(QStringLiteral("appliesTo"));
    QStringList patterns;
    if (applies.isString())
        patterns << applies.toString();
    for (const QJsonValue &p : applies.toArray())
        patterns << p.toString();
    const QString stream = QString::fromUtf8(session->stream());
    for (const QString &p : patterns)
        if (QRegularExpression(QRegularExpression::wildcardToRegularExpression(p)).match(stream).hasMatch())
            return {};
    return patterns.isEmpty() ? QString()
                              : tr(" — note: the file applies to %1, not to %2").arg(patterns.join(QStringLiteral(", ")), stream);
}

QString ReducerEditor::draftPath(const QString &path)
{
    const QByteArray key = QCryptographicHash::hash(QFileInfo(path).absoluteFilePath().toUtf8(), QCryptographicHash::Sha1).toHex();
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/reducer-drafts/")
        + QString::fromLatin1(key) + QStringLiteral(".json");
}

void ReducerEditor::writeDraft()
{
    if (m_path.isEmpty() || !isModified())
        return;
    const QString path = draftPath(m_path);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QJsonObject draft{{QStringLiteral("path"), m_path},
                      {QStringLiteral("json"), m_json->toPlainText()},
                      {QStringLiteral("written"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
    if (!m_scriptPath.isEmpty())
        draft.insert(QStringLiteral("script"), m_script->toPlainText());
    QSaveFile f(path);
    if (f.open(QIODevice::WriteOnly)) {
        f.write(QJsonDocument(draft).toJson());
        f.commit(); // a failed draft is not worth a message: the edits are still in the editor
    }
}

void ReducerEditor::dropDraft()
{
    m_draftTimer->stop();
    if (!m_path.isEmpty())
        QFile::remove(draftPath(m_path));
}

bool ReducerEditor::restoreDraft()
{
    QFile f(draftPath(m_path));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject draft = QJsonDocument::fromJson(f.readAll()).object();
    if (draft.value(QStringLiteral("path")).toString() != m_path)
        return false;
    auto putBack = [](QPlainTextEdit *e, const QString &text) {
        if (text == e->toPlainText())
            return;
        QTextCursor c(e->document()); // an edit, so the document counts as modified
        c.select(QTextCursor::Document);
        c.insertText(text);
    };
    putBack(m_json, draft.value(QStringLiteral("json")).toString());
    if (!m_scriptPath.isEmpty() && draft.contains(QStringLiteral("script")))
        putBack(m_script, draft.value(QStringLiteral("script")).toString());
    if (!isModified())
        return false;
    m_status->setText(tr("Unsaved edits from %1 were restored from a draft. Save to keep them, Revert to drop them.")
                          .arg(draft.value(QStringLiteral("written")).toString()));
    return true;
}

void ReducerEditor::revert()
{
    if (m_path.isEmpty())
        return;
    dropDraft();
    m_json->document()->setModified(false);
    m_script->document()->setModified(false);
    openFile(m_path, false);
}

QPlainTextEdit *ReducerEditor::makeEditor(const QString &name)
{
    auto *e = new QPlainTextEdit(this);
    e->setObjectName(name);
    e->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    e->setLineWrapMode(QPlainTextEdit::NoWrap);
    e->setTabStopDistance(4 * e->fontMetrics().horizontalAdvance(QLatin1Char(' ')));
    connect(e->document(), &QTextDocument::modificationChanged, this, &ReducerEditor::updateTitles);
    return e;
}

void ReducerEditor::showEvent(QShowEvent *event)
{
    // Closing the window with unsaved edits asks first (the window is not ours: watch its close).
    if (!m_watchingWindow && window() != this) {
        window()->installEventFilter(this);
        m_watchingWindow = true;
    }
    QWidget::showEvent(event);
}

bool ReducerEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == window() && event->type() == QEvent::Close && isModified() && !maybeDiscard()) {
        event->ignore();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void ReducerEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        const bool dark = DiffColors::isDark(palette());
        m_jsonHighlighter->setDark(dark);
        m_scriptHighlighter->setDark(dark);
    }
    QWidget::changeEvent(event);
}

bool ReducerEditor::isModified() const
{
    return m_json->document()->isModified() || (!m_scriptPath.isEmpty() && m_script->document()->isModified());
}

bool ReducerEditor::maybeDiscard()
{
    if (!isModified())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved reducer"), tr("The reducer file has unsaved changes. Save them?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    if (answer == QMessageBox::Discard)
        dropDraft();
    return answer == QMessageBox::Discard;
}

void ReducerEditor::openDialog()
{
    const QString dir = m_path.isEmpty() ? QDir::homePath() : QFileInfo(m_path).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Reducer File"), dir,
                                                      tr("Reducer files (*.reducer.json);;JSON (*.json);;All files (*)"));
    if (!path.isEmpty())
        openFile(path, true);
}

static bool readText(const QString &path, QString *text, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QObject::tr("Cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    *text = QString::fromUtf8(f.readAll());
    return true;
}

bool ReducerEditor::openFile(const QString &path, bool use)
{
    if (!maybeDiscard())
        return false;
    QString text, error;
    if (!readText(path, &text, &error)) {
        m_error->setText(error);
        m_error->show();
        return false;
    }
    clearError();
    m_path = QFileInfo(path).absoluteFilePath();
    m_json->setPlainText(text);
    m_json->document()->setModified(false);
    // The projection script, when the file names one, opens in a second tab.
    m_scriptPath.clear();
    const QString rel = QJsonDocument::fromJson(text.toUtf8()).object().value(QStringLiteral("projectionFile")).toString();
    const int scriptTab = m_tabs->indexOf(m_script);
    if (!rel.isEmpty() && readText(QFileInfo(m_path).dir().filePath(rel), &text, &error)) {
        m_scriptPath = QFileInfo(m_path).dir().filePath(rel);
        m_script->setPlainText(text);
        m_script->document()->setModified(false);
        if (scriptTab < 0)
            m_tabs->addTab(m_script, QString());
    } else if (scriptTab >= 0) {
        m_tabs->removeTab(scriptTab);
    }
    m_tabs->setCurrentIndex(0);
    restoreDraft();
    updateTitles();
    if (use)
        m_controller->setReducer(ReducerChoice::reducerFile(m_path));
    return true;
}

bool ReducerEditor::save()
{
    if (m_path.isEmpty()) {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save Reducer File"), QDir::homePath(),
                                                          tr("Reducer files (*.reducer.json)"));
        if (path.isEmpty())
            return false;
        m_path = path;
    }
    auto write = [this](const QString &path, QPlainTextEdit *editor) {
        QSaveFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(editor->toPlainText().toUtf8()) < 0 || !f.commit()) {
            m_error->setText(tr("Cannot save %1: %2").arg(path, f.errorString()));
            m_error->show();
            return false;
        }
        editor->document()->setModified(false);
        return true;
    };
    if (!m_scriptPath.isEmpty() && m_script->document()->isModified() && !write(m_scriptPath, m_script))
        return false;
    if (!write(m_path, m_json))
        return false;
    dropDraft();
    updateTitles();
    clearError();
    m_status->setText(tr("Saved; folding again…"));
    m_controller->setReducer(ReducerChoice::reducerFile(m_path)); // live re-fold
    return true;
}

void ReducerEditor::choiceChanged(int index)
{
    if (index == 1 && m_path.isEmpty()) {
        m_choice->setCurrentIndex(0);
        openDialog();
        return;
    }
    if (index == 1 && isModified()) {
        save(); // folding with "this file" means what is in the editor
        return;
    }
    m_controller->setReducer(index == 0 ? ReducerChoice::mergeReducer() : ReducerChoice::reducerFile(m_path));
}

void ReducerEditor::updateTitles()
{
    const QString name = m_path.isEmpty() ? tr("reducer") : QFileInfo(m_path).fileName();
    m_tabs->setTabText(0, name + (m_json->document()->isModified() ? QStringLiteral(" *") : QString()));
    const int scriptTab = m_tabs->indexOf(m_script);
    if (scriptTab >= 0)
        m_tabs->setTabText(scriptTab, QFileInfo(m_scriptPath).fileName()
                                          + (m_script->document()->isModified() ? QStringLiteral(" *") : QString()));
    m_choice->setItemText(1, m_path.isEmpty() ? tr("This file") : tr("This file (%1)").arg(QFileInfo(m_path).fileName()));
}

void ReducerEditor::showLoadError(const QString &file, const QString &field, int line, const QString &message)
{
    if (QFileInfo(file).absoluteFilePath() != m_path)
        return;
    QPlainTextEdit *editor = m_json;
    int at = -1;
    if (field == QLatin1String("projectionFile") && line > 0 && !m_scriptPath.isEmpty()) {
        editor = m_script;
        at = line - 1;
    } else if (field.isEmpty()) {
        const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("at line (\\d+)")).match(message);
        if (m.hasMatch())
            at = m.captured(1).toInt() - 1;
    } else {
        at = JsonFieldLocator::lineOf(m_json->toPlainText(), field, line);
        if (at < 0) // a sub-field that is missing: mark its parent
            at = JsonFieldLocator::lineOf(m_json->toPlainText(), field.section(QLatin1Char('.'), 0, 0).section(QLatin1Char('['), 0, 0));
    }
    QString where = field.isEmpty() ? QString() : field + QStringLiteral(": ");
    if (line > 0)
        where += tr("line %1: ").arg(line);
    m_error->setText(tr("The reducer file was not loaded (still folding with %1). %2%3")
                         .arg(m_controller->reducerName(), where, message));
    m_error->show();
    m_status->setText(tr("Fix the error and save again (Ctrl+S)."));
    m_choice->setCurrentIndex(m_controller->reducer().merge ? 0 : 1);
    markLine(editor, at);
}

void ReducerEditor::markLine(QPlainTextEdit *editor, int line)
{
    m_json->setExtraSelections({});
    m_script->setExtraSelections({});
    m_errorLine = line;
    m_errorEditor = line >= 0 ? editor : nullptr;
    if (line < 0)
        return;
    QTextEdit::ExtraSelection mark;
    mark.format.setBackground(DiffColors::forPalette(palette()).removed);
    mark.format.setProperty(QTextFormat::FullWidthSelection, true);
    mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    mark.format.setUnderlineColor(QColor(0xd7, 0x3a, 0x49));
    mark.cursor = QTextCursor(editor->document()->findBlockByNumber(line));
    editor->setExtraSelections({mark});
    m_tabs->setCurrentWidget(editor);
    QTextCursor c = mark.cursor;
    editor->setTextCursor(c);
    editor->centerCursor();
}

void ReducerEditor::clearError()
{
    m_error->hide();
    m_error->clear();
    markLine(m_json, -1);
}

} // namespace chronoscope
