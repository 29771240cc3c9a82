#pragma once

#include <QStyledItemDelegate>

namespace chronoscope::views {

/// Paints the event list's rows: search matches on a highlighted background, links whose target
/// is gone struck out, cells still waiting for their payload dimmed. Reads the roles it is given.
class EventRowDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    EventRowDelegate(int matchRole, int deletedRole, int pendingRole, QObject *parent = nullptr);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_matchRole;
    int m_deletedRole;
    int m_pendingRole;
};

} // namespace chronoscope::views
