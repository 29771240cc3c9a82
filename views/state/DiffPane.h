#pragma once

#include "json/JsonDiff.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace chronoscope {

class FoldController;
class UnifiedDiffHighlighter;
struct CursorState;
struct MarkerStates;
struct WhatIfOutcome;

/// Structural diffs of folded states: the change made by the event at the cursor, cursor A vs B,
/// a what-if vs the actual state, or a correction's dry run; side by side (a tree: path | before | after) or unified
/// (pretty-printed JSON with -/+ lines). Added, removed and changed values are coloured from the
/// palette; "no changes" says so. Arrays pair by index or by an id key (the reducer file's
/// arrayIdKey by default): the choice goes to the controller, which diffs in its worker.
class DiffPane : public QWidget
{
    Q_OBJECT
public:
    enum class Mode { Event, Markers, WhatIf, Correction, ReadModel, Projection };
    enum class Rendering { SideBySide, Unified };

    explicit DiffPane(FoldController *controller, QWidget *parent = nullptr);

    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    void setRendering(Rendering rendering);
    Rendering rendering() const { return m_rendering; }
    void setShowUnchanged(bool show);

    /// Shows a diff directly (what the controller's results go through; tests use it too).
    void showDiff(const engine::DiffResult &diff, const QString &title, const QString &beforeLabel,
                  const QString &afterLabel, const QString &message = {});

    /// A correction's dry run: the state at the head vs with the draft applied (the composer's). The
    /// pane switches to Mode::Correction and keeps it until another is shown.
    void showCorrection(const engine::DiffResult &diff, const QString &title, const QString &message = {});
    /// A projection's partition, the server's state vs a local fold (the Projections pane's comparison):
    /// Mode::Projection, kept until another is shown.
    void showProjection(const engine::DiffResult &diff, const QString &title, const QString &beforeLabel,
                        const QString &afterLabel, const QString &message = {});

    /// The fold vs the read model's row (issue 14; the read-model dock's): shown in Mode::ReadModel, which
    /// the pane switches to (and keeps until another mode is chosen). `before` is the fold, `after` the row.
    void showReadModel(const engine::DiffResult &diff, const QString &title, const QString &beforeLabel,
                       const QString &afterLabel, const QString &message = {});

    QTreeWidget *tree() const { return m_tree; }
    QPlainTextEdit *unified() const { return m_unified; }
    QLabel *titleLabel() const { return m_title; }
    QLabel *messageLabel() const { return m_message; }
    QComboBox *modeBox() const { return m_modeBox; }
    QComboBox *renderingBox() const { return m_renderingBox; }
    QCheckBox *byIdBox() const { return m_byId; }
    QLineEdit *idKeyEdit() const { return m_idKey; }
    /// "no changes", a hint or an error instead of a diff (empty when a diff is shown).
    QString messageText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();
    void render();
    void fillTree();
    void addNode(QTreeWidgetItem *parent, const engine::DiffNode &node, const QString &path, int depth, int *budget);
    void applyDiffOptions();

    FoldController *m_controller;
    Mode m_mode = Mode::Event;
    Rendering m_rendering = Rendering::SideBySide;
    bool m_showUnchanged = false;
    bool m_haveWhatIf = false;
    bool m_haveCorrection = false;
    engine::DiffResult m_correction;
    QString m_correctionTitle, m_correctionMessage;
    bool m_haveReadModel = false;
    engine::DiffResult m_readModel;
    QString m_readModelTitle, m_readModelBefore, m_readModelAfter, m_readModelMessage;
    bool m_haveProjection = false;
    engine::DiffResult m_projection;
    QString m_projectionTitle, m_projectionBefore, m_projectionAfter, m_projectionMessage;

    engine::DiffResult m_diff;
    QString m_beforeLabel, m_afterLabel;
    QString m_note; ///< a hint or an error shown instead of the diff

    QComboBox *m_modeBox;
    QComboBox *m_renderingBox;
    QCheckBox *m_unchangedBox;
    QCheckBox *m_byId;
    QLineEdit *m_idKey;
    QLabel *m_title;
    QStackedWidget *m_stack;
    QTreeWidget *m_tree;
    QPlainTextEdit *m_unified;
    UnifiedDiffHighlighter *m_highlighter;
    QLabel *m_message;
};

} // namespace chronoscope
