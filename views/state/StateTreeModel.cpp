#include "state/StateTreeModel.h"

#include "json/JsonFormat.h"

#include <QFont>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace chronoscope {

using namespace engine;

struct StateTreeModel::Node
{
    QString key;          ///< the member name, or "[i]" for an array element, "(root)" for a scalar root
    QString path;         ///< JSON Pointer
    QJsonValue value;
    Node *parent = nullptr;
    int row = 0;
    bool populated = false;
    std::vector<std::unique_ptr<Node>> children;
};

StateTreeModel::StateTreeModel(QObject *parent)
    : QAbstractItemModel(parent), m_root(std::make_unique<Node>())
{
    m_root->populated = true;
}

StateTreeModel::~StateTreeModel() = default;

void StateTreeModel::setState(const QJsonValue &state, const DiffResult &diff)
{
    beginResetModel();
    m_state = state;
    m_root = std::make_unique<Node>();
    m_root->value = state;
    if (!state.isObject() && !state.isArray()) {
        // A scalar state still shows as one row.
        auto n = std::make_unique<Node>();
        n->key = QStringLiteral("(root)");
        n->value = state;
        n->parent = m_root.get();
        m_root->children.push_back(std::move(n));
        m_root->populated = true;
    }
    m_changes.clear();
    for (const DiffEntry &e : diff.entries) {
        if (e.kind == DiffEntry::Kind::Removed)
            continue; // not in this state; the diff pane shows it
        m_changes.insert(e.path.toPointer(), e.kind == DiffEntry::Kind::Added ? Added : Changed);
        JsonPath p = e.path;
        while (!p.isRoot()) {
            p.pop();
            const QString key = p.toPointer();
            if (!m_changes.contains(key))
                m_changes.insert(key, ContainsChange);
        }
    }
    endResetModel();
}

void StateTreeModel::setChangeColors(const QColor &added, const QColor &changed)
{
    m_added = added;
    m_changed = changed;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::BackgroundRole});
}

void StateTreeModel::populate(Node *node) const
{
    if (node->populated)
        return;
    node->populated = true;
    auto add = [node](const QString &key, const QString &segment, const QJsonValue &v) {
        auto n = std::make_unique<Node>();
        n->key = key;
        n->path = node->path + QLatin1Char('/') + segment;
        n->value = v;
        n->parent = node;
        n->row = int(node->children.size());
        node->children.push_back(std::move(n));
    };
    if (node->value.isObject()) {
        const QList<JsonFormat::Member> members = JsonFormat::members(node->value.toObject());
        node->children.reserve(size_t(members.size()));
        for (const JsonFormat::Member &m : members)
            add(m.first, JsonPath::escapeKey(m.first), m.second);
    } else if (node->value.isArray()) {
        const QJsonArray a = node->value.toArray();
        node->children.reserve(size_t(a.size()));
        for (qsizetype i = 0; i < a.size(); ++i)
            add(QLatin1Char('[') + QString::number(i) + QLatin1Char(']'), QString::number(i), a.at(i));
    }
}

StateTreeModel::Node *StateTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex StateTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0 || (parent.isValid() && parent.column() != 0))
        return {};
    Node *p = nodeOf(parent);
    populate(p);
    if (size_t(row) >= p->children.size())
        return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex StateTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    Node *p = nodeOf(child)->parent;
    if (!p || p == m_root.get())
        return {};
    return createIndex(p->row, 0, p);
}

int StateTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    Node *n = nodeOf(parent);
    populate(n);
    return int(n->children.size());
}

int StateTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool StateTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *n = nodeOf(parent);
    if (n == m_root.get())
        return rowCount(parent) > 0;
    if (n->value.isObject())
        return !n->value.toObject().isEmpty();
    return n->value.isArray() && !n->value.toArray().isEmpty();
}

static QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("boolean");
    case QJsonValue::Double: return v.toDouble() == double(v.toInteger()) ? QStringLiteral("integer") : QStringLiteral("number");
    case QJsonValue::String: return QStringLiteral("string");
    case QJsonValue::Array: return QStringLiteral("array");
    case QJsonValue::Object: return QStringLiteral("object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("undefined");
}

static QString summary(const QJsonValue &v)
{
    if (v.isObject()) {
        const qsizetype n = v.toObject().size();
        return n == 1 ? QStringLiteral("{1 key}") : QStringLiteral("{%1 keys}").arg(n);
    }
    if (v.isArray()) {
        const qsizetype n = v.toArray().size();
        return n == 1 ? QStringLiteral("[1 item]") : QStringLiteral("[%1 items]").arg(n);
    }
    return JsonFormat::compact(v, 200);
}

StateTreeModel::Change StateTreeModel::changeOf(const Node *node) const
{
    if (m_changes.isEmpty())
        return Unchanged;
    return m_changes.value(node->path, Unchanged);
}

QVariant StateTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *n = nodeOf(index);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KeyColumn: return n->key;
        case ValueColumn: return summary(n->value);
        case TypeColumn: return typeName(n->value);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ValueColumn)
            return JsonFormat::compact(n->value, 2000);
        return n->path.isEmpty() ? QStringLiteral("(root)") : n->path;
    case PathRole: return n->path;
    case ValueRole: return JsonFormat::compact(n->value);
    case ChangeRole: return int(changeOf(n));
    case Qt::BackgroundRole: {
        const Change c = changeOf(n);
        const QColor color = c == Added ? m_added : c == Changed ? m_changed : QColor();
        return color.isValid() ? QVariant(color) : QVariant();
    }
    case Qt::FontRole:
        if (changeOf(n) != Unchanged && index.column() == KeyColumn) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    }
    return {};
}

QVariant StateTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn: return tr("Key");
    case ValueColumn: return tr("Value");
    case TypeColumn: return tr("Type");
    }
    return {};
}

QModelIndex StateTreeModel::indexForPath(const QString &pointer) const
{
    if (m_root->children.size() == 1 && m_root->children.front()->key == QLatin1String("(root)") && !m_state.isObject()
        && !m_state.isArray())
        return pointer.isEmpty() ? index(0, 0) : QModelIndex();
    JsonPath path;
    if (pointer.isEmpty() || !JsonPath::fromPointer(pointer, &path))
        return {};
    QModelIndex at;
    for (const PathSegment &s : path.segments()) {
        Node *n = nodeOf(at);
        populate(n);
        int row = -1;
        if (n->value.isArray()) {
            if (s.isIndex() && size_t(s.index) < n->children.size())
                row = int(s.index);
        } else {
            // Members are in code point order: binary search.
            const QString key = s.isIndex() ? QString::number(s.index) : s.key;
            auto it = std::lower_bound(n->children.begin(), n->children.end(), key,
                                       [](const std::unique_ptr<Node> &c, const QString &k) { return JsonPath::keyLess(c->key, k); });
            if (it != n->children.end() && (*it)->key == key)
                row = (*it)->row;
        }
        if (row < 0)
            return {};
        at = index(row, 0, at);
    }
    return at;
}

QString StateTreeModel::pathOf(const QModelIndex &index) const
{
    return index.isValid() ? nodeOf(index)->path : QString();
}

QString StateTreeModel::valueText(const QModelIndex &index) const
{
    if (!index.isValid())
        return {};
    const QJsonValue v = nodeOf(index)->value;
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    if (v.isString())
        return v.toString(); // the text itself, what one pastes
    return JsonFormat::compact(v);
}

} // namespace chronoscope
