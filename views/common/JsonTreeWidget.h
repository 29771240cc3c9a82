#pragma once

#include <QJsonValue>
#include <QTreeWidget>

namespace chronoscope::views {

/// A JSON document as a tree (key | value | type) that folds: objects and arrays collapse and
/// expand. Huge documents are cut at `maxNodes` items, with a last item saying so.
class JsonTreeWidget : public QTreeWidget
{
    Q_OBJECT
public:
    explicit JsonTreeWidget(QWidget *parent = nullptr);

    void setJson(const QJsonValue &value, int maxNodes = 20000);
    /// Items shown (for tests: the cap holds).
    int nodeCount() const { return m_nodes; }
    bool wasTruncated() const { return m_truncated; }
    /// The item at a path like `shippingAddress/city` (array elements by index), or null.
    QTreeWidgetItem *itemAtPath(const QString &path) const;

    enum Column { KeyColumn, ValueColumn, TypeColumn };

private:
    void add(QTreeWidgetItem *parent, const QString &key, const QJsonValue &value);

    int m_nodes = 0;
    int m_maxNodes = 0;
    bool m_truncated = false;
};

} // namespace chronoscope::views
