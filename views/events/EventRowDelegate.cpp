#include "events/EventRowDelegate.h"

namespace chronoscope::views {

EventRowDelegate::EventRowDelegate(int matchRole, int deletedRole, int pendingRole, QObject *parent)
    : QStyledItemDelegate(parent), m_matchRole(matchRole), m_deletedRole(deletedRole), m_pendingRole(pendingRole)
{
}

void EventRowDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(m_matchRole).toBool()) {
        // A yellow marker that reads on light and dark palettes alike.
        const bool dark = option->palette.color(QPalette::Base).lightness() < 128;
        option->backgroundBrush = dark ? QColor(0x6b, 0x5a, 0x10) : QColor(0xff, 0xec, 0x8b);
        option->palette.setColor(QPalette::Text, dark ? QColor(0xff, 0xff, 0xff) : QColor(0, 0, 0));
    }
    if (index.data(m_deletedRole).toBool())
        option->font.setStrikeOut(true);
    if (index.data(m_pendingRole).toBool())
        option->palette.setColor(QPalette::Text, option->palette.color(QPalette::PlaceholderText));
}

} // namespace chronoscope::views
