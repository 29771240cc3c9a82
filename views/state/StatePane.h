#pragma once

#include <QSet>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QSortFilterProxyModel;
class QTimer;
class QTreeView;

namespace chronoscope {

class FoldController;
class StateTreeModel;
struct CursorState;

/// The folded state at the cursor as a tree. Follows the controller's answers; what is expanded
/// (by JSON path), the selected row and the scroll position survive scrubbing. The rows the
/// cursor's event changed are highlighted. A filter box (debounced) keeps matching rows and their
/// ancestors; the context menu copies a value or its path. Fold errors of the cursor's event show
/// above the tree, all errors met while building in a list below it (a click moves the cursor).
class StatePane : public QWidget
{
    Q_OBJECT
public:
    explicit StatePane(FoldController *controller, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    StateTreeModel *model() const { return m_model; }
    QLineEdit *filterEdit() const { return m_filter; }
    QLabel *headerLabel() const { return m_header; }
    /// JSON pointers of the expanded rows.
    QSet<QString> expandedPaths() const { return m_expanded; }

    void copyValue();
    void copyPath();

protected:
    void changeEvent(QEvent *event) override;

private:
    void showState(const CursorState &state);
    /// While a fold runs long: "Folding to #N… · shown: …" in the header.
    void showFoldingTarget();
    void updateHeader(const CursorState &state);
    void updateBuildErrors();
    void applyFilter();
    void restoreView(const QString &current, int scroll);
    void updateColors();
    void showContextMenu(const QPoint &pos);

    FoldController *m_controller;
    QLabel *m_header;
    QString m_shownHeader; ///< what the header says of the state shown (a long fold adds where it is heading)
    QProgressBar *m_busy;
    QTimer *m_busyDelay;
    QLabel *m_eventErrors;
    QLineEdit *m_filter;
    QTimer *m_filterDelay;
    QTreeView *m_view;
    StateTreeModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QListWidget *m_buildErrors;
    QSet<QString> m_expanded;
    bool m_restoring = false;
    bool m_seenState = false;
};

} // namespace chronoscope
