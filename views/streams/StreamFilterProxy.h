#pragma once

#include "catalog/StreamListQuery.h"

#include <QSortFilterProxyModel>

namespace chronoscope::views {

/// What a StreamBrowser shows of a StreamListModel: the names matching the filter (contains,
/// prefix or regex), system streams only when asked, in the chosen order, with deleted streams
/// marked. With a required prefix (`$ce-`, `$et-`) it lists only those link streams and shows
/// the name after the prefix: the category or event type.
class StreamFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class Order { RecentlyChanged, RecentlyCreated, Name };
    Q_ENUM(Order)

    explicit StreamFilterProxy(QObject *parent = nullptr);

    /// The filter text and how it matches (the includeSystem and match fields of `query`).
    void setQuery(const StreamListQuery &query);
    void setOrder(Order order);
    Order order() const { return m_order; }
    void setRequiredPrefix(const QByteArray &prefix);
    const QByteArray &requiredPrefix() const { return m_prefix; }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    StreamListQuery m_query;
    QRegularExpression m_regex;
    QByteArray m_prefix;
    Order m_order = Order::RecentlyChanged;
};

} // namespace chronoscope::views
