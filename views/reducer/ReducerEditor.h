#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QToolBar;

namespace chronoscope {

class FoldController;
class ReducerHighlighter;

/// Edits a reducer file (*.reducer.json) and the projection script it names (projectionFile), with
/// syntax highlighting. Saving (Ctrl+S) writes both and folds again with the file; a load error is
/// shown under the editor and its line is marked (in the JSON or in the script). The toolbar holds
/// the reducer choice: the built-in merge reducer or this file. Unsaved edits are never dropped
/// silently: opening another file or closing the window asks first, and edits are kept as a draft
/// (in the application data folder) until saved, so that a crash loses nothing: opening the file
/// again brings the draft back (Revert drops it).
class ReducerEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ReducerEditor(FoldController *controller, QWidget *parent = nullptr);

    /// Opens `path` (asking first when there are unsaved edits). `use`: fold with it at once.
    bool openFile(const QString &path, bool use = false);
    /// Writes the file(s) and folds with them. False when writing failed (said in the error bar).
    bool save();
    bool isModified() const;
    QString filePath() const { return m_path; }
    /// Asks whether unsaved edits may go (Save / Discard / Cancel); true when nothing is lost.
    bool maybeDiscard();
    /// Reloads the file from disk, dropping edits and the draft.
    void revert();
    /// Where the draft of `path` is kept.
    static QString draftPath(const QString &path);

    QToolBar *toolBar() const { return m_toolBar; }
    QComboBox *reducerChoice() const { return m_choice; }
    QPlainTextEdit *jsonEditor() const { return m_json; }
    QPlainTextEdit *scriptEditor() const { return m_script; }
    QTabWidget *tabs() const { return m_tabs; }
    QLabel *errorLabel() const { return m_error; }
    /// The marked error line (0-based) and the editor it is in; -1 / null when none.
    int errorLine() const { return m_errorLine; }
    QPlainTextEdit *errorEditor() const { return m_errorEditor; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void openDialog();
    void choiceChanged(int index);
    void showLoadError(const QString &file, const QString &field, int line, const QString &message);
    void clearError();
    void markLine(QPlainTextEdit *editor, int line);
    void updateTitles();
    QString appliesToNote() const;
    void writeDraft();
    void dropDraft();
    bool restoreDraft();
    QPlainTextEdit *makeEditor(const QString &name);

    FoldController *m_controller;
    QToolBar *m_toolBar;
    QComboBox *m_choice;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_json;
    QPlainTextEdit *m_script;
    ReducerHighlighter *m_jsonHighlighter;
    ReducerHighlighter *m_scriptHighlighter;
    QLabel *m_status;
    QLabel *m_error;
    QString m_path;
    QString m_scriptPath;
    int m_errorLine = -1;
    QPlainTextEdit *m_errorEditor = nullptr;
    bool m_watchingWindow = false;
    class QTimer *m_draftTimer;
};

} // namespace chronoscope
