#include "streams/StreamFilterProxy.h"

#include "catalog/StreamListModel.h"

#include <QFont>
#include <QPalette>
#include <QGuiApplication>

namespace chronoscope::views {

namespace {
QString deletionText(StreamDeletion d)
{
    switch (d) {
    case StreamDeletion::SoftDeleted:
        return StreamFilterProxy::tr("deleted");
    case StreamDeletion::Tombstoned:
        return StreamFilterProxy::tr("tombstoned");
    case StreamDeletion::None:
        break;
    }
    return {};
}
} // namespace

StreamFilterProxy::StreamFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    sort(0);
}

void StreamFilterProxy::setQuery(const StreamListQuery &query)
{
    m_query = query;
    m_regex = QRegularExpression(query.text);
    invalidateFilter();
}

void StreamFilterProxy::setOrder(Order order)
{
    if (m_order == order)
        return;
    m_order = order;
    invalidate(); // re-sorts
}

void StreamFilterProxy::setRequiredPrefix(const QByteArray &prefix)
{
    m_prefix = prefix;
    invalidateFilter();
}

QVariant StreamFilterProxy::data(const QModelIndex &index, int role) const
{
    const auto deletion = StreamDeletion(QSortFilterProxyModel::data(index, StreamListModel::DeletionRole).toInt());
    switch (role) {
    case Qt::DisplayRole: {
        QString text = QSortFilterProxyModel::data(index, role).toString().mid(m_prefix.size());
        if (deletion != StreamDeletion::None)
            text += QStringLiteral("  (%1)").arg(deletionText(deletion));
        return text;
    }
    case Qt::ToolTipRole:
        if (deletion != StreamDeletion::None)
            return tr("%1 — %2").arg(QSortFilterProxyModel::data(index, Qt::DisplayRole).toString(), deletionText(deletion));
        break;
    case Qt::FontRole:
        if (deletion != StreamDeletion::None) {
            QFont font;
            font.setStrikeOut(true);
            return font;
        }
        break;
    case Qt::ForegroundRole:
        if (deletion != StreamDeletion::None)
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        break;
    default:
        break;
    }
    return QSortFilterProxyModel::data(index, role);
}

bool StreamFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    QByteArray name = i.data(StreamListModel::NameRole).toByteArray();
    if (!m_prefix.isEmpty()) {
        if (!name.startsWith(m_prefix))
            return false;
        name = name.mid(m_prefix.size()); // a category or event type: `$` only if the type is
    }
    if (!m_query.includeSystem && name.startsWith('$'))
        return false;
    if (m_query.text.isEmpty())
        return true;
    const QString text = QString::fromUtf8(name);
    switch (m_query.match) {
    case StreamListQuery::Match::Contains:
        return text.contains(m_query.text, Qt::CaseInsensitive);
    case StreamListQuery::Match::Prefix:
        return text.startsWith(m_query.text);
    case StreamListQuery::Match::Regex:
        return !m_regex.isValid() || m_regex.match(text).hasMatch();
    }
    return true;
}

bool StreamFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // Newest first; unknown times after known ones; ties keep the order the names were found in.
    auto newer = [&](int role) -> std::optional<bool> {
        const QVariant a = left.data(role), b = right.data(role);
        if (a.isValid() != b.isValid())
            return a.isValid();
        if (a.isValid() && a.toLongLong() != b.toLongLong())
            return a.toLongLong() > b.toLongLong();
        return std::nullopt;
    };
    std::optional<bool> result;
    switch (m_order) {
    case Order::RecentlyChanged:
        result = newer(StreamListModel::LastEventTimeRole);
        break;
    case Order::RecentlyCreated:
        result = newer(StreamListModel::CreatedTimeRole);
        break;
    case Order::Name: {
        const QByteArray a = left.data(StreamListModel::NameRole).toByteArray();
        const QByteArray b = right.data(StreamListModel::NameRole).toByteArray();
        if (a != b)
            result = a < b;
        break;
    }
    }
    return result.value_or(left.row() < right.row());
}

} // namespace chronoscope::views
