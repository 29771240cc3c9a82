#include "common/JsonTreeWidget.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace chronoscope::views {

namespace {
QString scalarText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String: return QLatin1Char('"') + v.toString() + QLatin1Char('"');
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Double: {
        const QVariant n = v.toVariant(); // keeps 64-bit integers exact
        return n.typeId() == QMetaType::LongLong ? QString::number(n.toLongLong()) : QString::number(v.toDouble(), 'g', 17);
    }
    default: return {};
    }
}

QString typeText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Object: return QObject::tr("object");
    case QJsonValue::Array: return QObject::tr("array");
    case QJsonValue::String: return QObject::tr("string");
    case QJsonValue::Double: return QObject::tr("number");
    case QJsonValue::Bool: return QObject::tr("bool");
    case QJsonValue::Null: return QObject::tr("null");
    default: return {};
    }
}
} // namespace

JsonTreeWidget::JsonTreeWidget(QWidget *parent) : QTreeWidget(parent)
{
    setColumnCount(3);
    setHeaderLabels({tr("Key"), tr("Value"), tr("Type")});
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    header()->setSectionResizeMode(KeyColumn, QHeaderView::Interactive);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    header()->setSectionResizeMode(TypeColumn, QHeaderView::ResizeToContents);
    setColumnWidth(KeyColumn, 200);
}

void JsonTreeWidget::setJson(const QJsonValue &value, int maxNodes)
{
    setUpdatesEnabled(false);
    clear();
    m_nodes = 0;
    m_maxNodes = maxNodes;
    m_truncated = false;
    if (value.isObject() || value.isArray()) {
        // The document's members at the top level; nested objects below them.
        if (value.isObject()) {
            const QJsonObject o = value.toObject();
            for (auto it = o.begin(); it != o.end() && !m_truncated; ++it)
                add(nullptr, it.key(), it.value());
        } else {
            const QJsonArray a = value.toArray();
            for (qsizetype i = 0; i < a.size() && !m_truncated; ++i)
                add(nullptr, QString::number(i), a.at(i));
        }
    } else if (!value.isUndefined()) {
        add(nullptr, tr("(value)"), value);
    }
    if (m_truncated) {
        auto *more = new QTreeWidgetItem(this);
        more->setText(KeyColumn, tr("…"));
        more->setText(ValueColumn, tr("the document is cut here: only the first %n item(s) are shown", nullptr, m_nodes));
        more->setFirstColumnSpanned(true);
    }
    expandToDepth(1);
    setUpdatesEnabled(true);
}

void JsonTreeWidget::add(QTreeWidgetItem *parent, const QString &key, const QJsonValue &value)
{
    if (m_nodes >= m_maxNodes) {
        m_truncated = true;
        return;
    }
    ++m_nodes;
    auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(this);
    item->setText(KeyColumn, key);
    item->setText(TypeColumn, typeText(value));
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        item->setText(ValueColumn, tr("{%n key(s)}", nullptr, int(o.size())));
        for (auto it = o.begin(); it != o.end() && !m_truncated; ++it)
            add(item, it.key(), it.value());
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        item->setText(ValueColumn, tr("[%n item(s)]", nullptr, int(a.size())));
        for (qsizetype i = 0; i < a.size() && !m_truncated; ++i)
            add(item, QString::number(i), a.at(i));
    } else {
        QString text = scalarText(value);
        if (text.size() > 4096) // a long string stays readable in the text view
            text = text.left(4096) + QStringLiteral("…");
        item->setText(ValueColumn, text);
        item->setToolTip(ValueColumn, text.left(1024));
    }
}

QTreeWidgetItem *JsonTreeWidget::itemAtPath(const QString &path) const
{
    QTreeWidgetItem *item = nullptr;
    for (const QString &part : path.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        QTreeWidgetItem *next = nullptr;
        const int n = item ? item->childCount() : topLevelItemCount();
        for (int i = 0; i < n && !next; ++i) {
            QTreeWidgetItem *c = item ? item->child(i) : topLevelItem(i);
            if (c->text(KeyColumn) == part)
                next = c;
        }
        if (!next)
            return nullptr;
        item = next;
    }
    return item;
}

} // namespace chronoscope::views
