#pragma once

#include "json/JsonDiff.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QHash>
#include <QJsonValue>

#include <memory>
#include <vector>

namespace chronoscope {

/// A folded state as a tree: key | value | type, one row per object member (in code point order)
/// or array element. Children are made when first asked for, so a state with a hundred thousand
/// keys costs only what is expanded. Rows whose path the cursor's event changed carry ChangeRole
/// (and a background when colours are set); their ancestors are marked as containing a change.
class StateTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1, ///< the row's JSON Pointer (QString)
        ValueRole,                   ///< the row's value as compact JSON (QString)
        ChangeRole,                  ///< Change
    };
    enum Change { Unchanged = 0, Added, Changed, ContainsChange };

    explicit StateTreeModel(QObject *parent = nullptr);
    ~StateTreeModel() override;

    /// Replaces the state (a model reset) and marks the paths `diff` says the last event touched.
    void setState(const QJsonValue &state, const engine::DiffResult &diff = {});
    QJsonValue state() const { return m_state; }
    /// Backgrounds for Added / Changed rows; invalid colours: no background.
    void setChangeColors(const QColor &added, const QColor &changed);

    /// The index of the row at `pointer` (column 0), invalid when there is none.
    QModelIndex indexForPath(const QString &pointer) const;
    QString pathOf(const QModelIndex &index) const;
    /// The value of the row as pretty JSON (what "Copy value" copies).
    QString valueText(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;
    void populate(Node *node) const;
    Change changeOf(const Node *node) const;

    QJsonValue m_state;
    std::unique_ptr<Node> m_root;
    QHash<QString, Change> m_changes; ///< by pointer, ancestors included as ContainsChange
    QColor m_added, m_changed;
};

} // namespace chronoscope
