#include "connection/ProfileItemDelegate.h"

#include <QApplication>
#include <QPainter>

namespace chronoscope::views {

ProfileItemDelegate::ProfileItemDelegate(int productionRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_productionRole(productionRole)
{
}

void ProfileItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const bool production = index.data(m_productionRole).toBool();
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString badge = tr("PROD");
    QFont badgeFont = option.font;
    badgeFont.setBold(true);
    badgeFont.setPointSizeF(badgeFont.pointSizeF() * 0.8);
    const QFontMetrics fm(badgeFont);
    const int badgeWidth = fm.horizontalAdvance(badge) + 10;
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    if (production) {
        // The row's background spans the badge too; the name is then drawn clear of it.
        style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, opt.widget);
        opt.rect.setRight(opt.rect.right() - badgeWidth - 6);
    }
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
    if (!production)
        return;
    // Paint the badge over the full row background (drawn above), right-aligned.
    const QRect badgeRect(option.rect.right() - badgeWidth - 4, option.rect.center().y() - fm.height() / 2 - 1,
                          badgeWidth, fm.height() + 2);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0xc6, 0x28, 0x28));
    painter->drawRoundedRect(badgeRect, 3, 3);
    painter->setPen(Qt::white);
    painter->setFont(badgeFont);
    painter->drawText(badgeRect, Qt::AlignCenter, badge);
    painter->restore();
}

QSize ProfileItemDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setHeight(std::max(s.height(), option.fontMetrics.height() + 10));
    return s;
}

} // namespace chronoscope::views
