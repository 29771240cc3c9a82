#pragma once

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace chronoscope {
class EventListModel;
struct ClientError;
}

namespace chronoscope::views {

/// The right-hand pane: the newest events of the selected stream in a sortable table, under a
/// title line that says which stream, whether it is loading, and why a load failed.
class EventsPane : public QWidget
{
    Q_OBJECT
public:
    explicit EventsPane(QWidget *parent = nullptr);

    void setModel(EventListModel *model);

private:
    void updateTitle();
    void onLoaded(const ClientError &error);

    EventListModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy;
    QLabel *m_title;
    QTableView *m_table;
    QString m_error;
};

} // namespace chronoscope::views
